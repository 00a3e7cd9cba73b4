"""Physics-first policy: rules in the process's own terms (tags, engineering units,
envelopes, rates, interlocks across tags), decided by a pure, deterministic core.

    load_policy(path)       -> Policy            (PolicyError lists every FILE:LINE error)
    compile_policy(policy)  -> DecisionCore      (once; then per request:)
    core.decide(request)    -> Decision          (pure, bounded; names the deciding rule)
    core.observe(request, read_values, ok)       (state from accepted writes and reads)

Requests are protocol-neutral (``PolicyRequest``); ``interlock.policy.modbus`` adapts
Modbus/TCP PDUs. The format: docs/policy.md; its JSON Schema: docs/policy.schema.json.
"""

from __future__ import annotations

from pathlib import Path

from interlock.policy.core import DecisionCore, compile_policy
from interlock.policy.errors import PolicyError, PolicyIssue
from interlock.policy.loader import parse_policy
from interlock.policy.model import Policy
from interlock.policy.request import Decision, PolicyRequest, RuleHit, Verdict
from interlock.text_files import read_text_file

__all__ = [
    "Decision",
    "DecisionCore",
    "Policy",
    "PolicyError",
    "PolicyIssue",
    "PolicyRequest",
    "RuleHit",
    "Verdict",
    "compile_policy",
    "load_policy",
    "parse_policy",
]


def load_policy(path: str | Path) -> Policy:
    """The policy in a file; PolicyError (every error, FILE:LINE) when it is wrong."""
    path = Path(path)
    text = read_text_file(path)
    result = parse_policy(text, str(path))
    if isinstance(result, Policy):
        return result
    raise PolicyError(result)

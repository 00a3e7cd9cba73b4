"""The JSON documents of `interlock policy check` and `interlock policy replay --json`
(shapes documented in docs/policy.md and pinned by tests/cli/test_policy_cli.py)."""

from __future__ import annotations

from typing import Any

from interlock.model import Endpoint
from interlock.policy.errors import PolicyIssue
from interlock.policy.model import Policy
from interlock.policy.replay import Replayed, ReplayResult


def endpoint_text(endpoint: Endpoint) -> str:
    """ip:port, with an IPv6 address in brackets."""
    ip = f"[{endpoint.ip}]" if ":" in endpoint.ip else endpoint.ip
    return f"{ip}:{endpoint.port}"


def decision_record(replayed: Replayed, capture: str) -> dict[str, Any]:
    request, decision = replayed.request, replayed.decision
    return {
        "capture": capture,
        "frame": replayed.frame,
        "time": request.time,
        "client": endpoint_text(replayed.client),
        "server": endpoint_text(replayed.server),
        "protocol": request.protocol,
        "unit": request.unit,
        "function": request.function,
        "function_name": request.function_name,
        "sub_function": request.sub_function,
        "operation": request.operation.value,
        "space": request.space or None,
        "address": request.address,
        "quantity": request.quantity,
        "values": list(request.values),
        "verdict": decision.verdict,
        "rule": decision.rule,
        "reason": decision.reason,
        "mode": decision.mode,
        "exception_code": decision.exception_code,
        "asset": decision.asset,
        "tag": decision.tags[0] if decision.tags else None,
        "tags": list(decision.tags),
        "hits": [
            {"rule": hit.rule, "reason": hit.reason, "mode": hit.mode, "tag": hit.tag}
            for hit in decision.hits
        ],
    }


def replay_summary(result: ReplayResult, captures: list[str]) -> dict[str, Any]:
    totals = result.totals
    return {
        "requests": totals.requests,
        "allowed": totals.verdicts["allow"],
        "alerted": totals.verdicts["alert"],
        "blocked": totals.verdicts["block"],
        "rules": [
            {"rule": rule, "verdict": verdict, "requests": count}
            for (rule, verdict), count in sorted(totals.rules.items())
        ],
        "undecided": dict(sorted(totals.undecided.items())),
        "captures": [
            {"path": path, "frames": health.frames, "error": health.capture_error}
            for path, health in zip(captures, result.health, strict=False)
        ],
    }


def policy_document(policy: Policy) -> dict[str, Any]:
    """What `check --json` prints for a valid policy."""
    return {
        "policy": policy.source,
        "valid": True,
        "default": policy.default,
        "mode": policy.mode,
        "malformed": policy.malformed,
        "failure_mode": policy.failure_mode,
        "assets": [
            {
                "name": a.name,
                "protocol": a.protocol,
                "unit": a.unit,
                "address": a.address,
                "criticality": a.criticality,
                "failure_mode": a.failure_mode,
            }
            for a in policy.assets
        ],
        "tags": len(policy.tags),
        "envelopes": sum(1 for t in policy.tags if t.envelope is not None),
        "rules": [r.name for r in policy.rules],
        "interlocks": [i.name for i in policy.interlocks],
        "windows": [w.name for w in policy.windows],
        "errors": [],
    }


def errors_document(source: str, issues: tuple[PolicyIssue, ...]) -> dict[str, Any]:
    return {
        "policy": source,
        "valid": False,
        "errors": [{"file": i.source, "line": i.line, "message": i.message} for i in issues],
    }

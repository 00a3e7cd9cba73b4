"""The policy's load errors: one per thing wrong, each at its line, all reported at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interlock.errors import ConfigError


@dataclass(frozen=True, slots=True, order=True)
class PolicyIssue:
    """One thing wrong in a policy file, where it is."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class PolicyError(ConfigError):
    """A policy file that cannot be loaded; the message lists every error as FILE:LINE: text.

    Nothing of a wrong policy is ever used: ``check``, ``replay`` and the gateway all refuse
    it with these same lines.
    """

    code = "policy"
    exit_status = 2

    def __init__(self, issues: Sequence[PolicyIssue]) -> None:
        self.issues = tuple(issues)
        count = len(self.issues)
        head = f"the policy has {count} error{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(str(issue) for issue in self.issues)]))

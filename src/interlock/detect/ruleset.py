"""Loaded rules: each rule as written (where, what, which kind), and the set a run uses.

A ``RuleSet`` is what detection runs with: the enabled match rules compiled into the
dispatch index, and the enabled behavioural rules with their detector kind's factory.
It is immutable; each run builds its own detectors from it (detectors keep state).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from interlock.detect.hits import Detector, PlantContext, RuleInfo
from interlock.detect.index import DispatchIndex
from interlock.detect.kinds import DetectorFactory
from interlock.detect.match import MatchRule

DEFAULT_WINDOW: Final = 3600.0
"""Seconds: hits of one rule between the same endpoints within this long of the first
become one alert (a rule's `window` overrides it)."""


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    source: str
    line: int
    enabled: bool
    window: float
    match: MatchRule | None = None
    kind: str | None = None
    """The detector kind (``detector:``), for behavioural rules."""
    factory: DetectorFactory | None = field(default=None, compare=False)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def kind_name(self) -> str:
        return self.kind or "match"


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    """Every rule loaded, enabled or not, by id."""
    index: DispatchIndex = field(compare=False)

    @classmethod
    def of(cls, rules: list[Rule]) -> RuleSet:
        ordered = tuple(sorted(rules, key=lambda r: r.info.id))
        index = DispatchIndex([r.match for r in ordered if r.enabled and r.match is not None])
        return cls(ordered, index)

    @property
    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.info.id == rule_id), None)

    def windows(self) -> dict[str, float]:
        return {r.info.id: r.window for r in self.rules}

    def detectors(self, context: PlantContext) -> list[tuple[Rule, Detector]]:
        """A fresh detector for each enabled behavioural rule, in rule id order."""
        return [
            (rule, rule.factory(rule.info, dict(rule.params), context))
            for rule in self.rules
            if rule.enabled and rule.factory is not None
        ]

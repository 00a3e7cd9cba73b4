"""Each rule's own tests: ``<pack>.tests.yaml`` beside ``<pack>.yaml``, run by the real engine.

    cases:
      - rule: ics.modbus.restart_communications
        name: FC 8/1 answered
        transactions:                  # Transaction fields; see parse_transaction
          - {protocol: modbus, function: 8, sub_function: 1, status: ok}
        flows: []                      # optional: FlowSeen fields
        expect:                        # [] : the rule must not fire
          - {rule: ics.modbus.restart_communications, outcome: succeeded, count: 1}

A case feeds its transactions and flows (in time order) to a DetectionRun with the whole
rule set, and compares the alerts of its rule and of every rule its `expect` names with
`expect` (as a multiset; `count` compared when given). Every rule needs at least one
case where it fires and one where it must not.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from interlock.detect.alert import OUTCOMES
from interlock.detect.engine import DetectionRun
from interlock.detect.hits import FlowSeen
from interlock.detect.loader import TESTS_SUFFIX, pack_files
from interlock.detect.nodes import LoadError, RuleReader, compose_pack, line_of
from interlock.detect.ruleset import RuleSet
from interlock.detect.rulespec import EmptyContext
from interlock.detect.testvalues import parse_flow, parse_transaction
from interlock.model import Transaction
from interlock.zones.nodes import suggest

CASE_KEYS: Final = ("rule", "name", "expect"), ("transactions", "flows", "description")
EXPECT_KEYS: Final = ("rule", "outcome"), ("count",)


@dataclass(frozen=True)
class Expected:
    rule: str
    outcome: str
    count: int | None


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    source: str
    line: int
    transactions: tuple[Transaction, ...]
    flows: tuple[FlowSeen, ...]
    expect: tuple[Expected, ...]

    @property
    def fires(self) -> bool:
        return any(e.rule == self.rule for e in self.expect)


@dataclass(frozen=True)
class CaseResult:
    case: Case | None
    rule: str
    name: str
    where: str
    passed: bool
    problem: str = ""


def tests_file(pack: Path) -> Path:
    return pack.with_name(pack.name.removesuffix(".yaml") + TESTS_SUFFIX)


def read_cases(text: str, source: str, rules: RuleSet) -> tuple[list[Case], list[LoadError]]:
    root = compose_pack(text, source, "cases")
    if isinstance(root, LoadError):
        return [], [root]
    reader = RuleReader(source)
    top = reader.mapping(root, "a rule tests file", ("cases",), ("description",))
    items = reader.sequence(top["cases"], "`cases`") if top and "cases" in top else None
    cases = [c for c in (_case(reader, node, rules) for node in items or []) if c is not None]
    return cases, reader.errors


def _case(reader: RuleReader, node: yaml.Node, rules: RuleSet) -> Case | None:
    fields = reader.mapping(node, "a test case", *CASE_KEYS)
    if fields is None:
        return None
    before = len(reader.errors)
    known = sorted(r.info.id for r in rules.rules)
    rule = reader.string(fields["rule"], "rule") if "rule" in fields else None
    if rule is not None and rules.get(rule) is None:
        reader.error(fields["rule"], f"no rule `{rule}`{suggest(rule, known)}")
    name = reader.string(fields["name"], "name") if "name" in fields else None
    transactions = [
        parse_transaction(reader, item, n)
        for n, item in enumerate(_items(reader, fields, "transactions"))
    ]
    flows = [parse_flow(reader, item, n) for n, item in enumerate(_items(reader, fields, "flows"))]
    expect = [_expected(reader, item, rules, known) for item in _items(reader, fields, "expect")]
    if len(reader.errors) > before or rule is None or name is None:
        return None
    return Case(
        rule, name, reader.source, line_of(node),
        tuple(t for t in transactions if t is not None),
        tuple(f for f in flows if f is not None),
        tuple(e for e in expect if e is not None),
    )  # fmt: skip


def _items(reader: RuleReader, fields: dict[str, yaml.Node], key: str) -> list[yaml.Node]:
    if key not in fields:
        return []
    return reader.sequence(fields[key], f"`{key}`") or []


def _expected(
    reader: RuleReader, node: yaml.Node, rules: RuleSet, known: list[str]
) -> Expected | None:
    fields = reader.mapping(node, "an expected alert", *EXPECT_KEYS)
    if fields is None or "rule" not in fields or "outcome" not in fields:
        return None
    rule = reader.string(fields["rule"], "rule")
    if rule is not None and rules.get(rule) is None:
        reader.error(fields["rule"], f"no rule `{rule}`{suggest(rule, known)}")
    outcome = reader.string(fields["outcome"], "outcome")
    if outcome is not None and outcome not in OUTCOMES:
        reader.error(fields["outcome"], f"unknown outcome `{outcome}`{suggest(outcome, OUTCOMES)}")
    count = reader.integer(fields["count"], "count", 1, None) if "count" in fields else None
    if rule is None or outcome is None:
        return None
    return Expected(rule, outcome, count)


def run_case(case: Case, rules: RuleSet) -> CaseResult:
    run = DetectionRun(rules, EmptyContext(), "0" * 64, "test")
    events: list[tuple[float, int, int, Any]] = [
        (_tx_time(tx), 0, n, tx) for n, tx in enumerate(case.transactions)
    ]
    events += [(flow.last_seen, 1, n, flow) for n, flow in enumerate(case.flows)]
    for _time, kind, _n, event in sorted(events, key=lambda e: e[:3]):
        if kind == 0:
            run.transaction(event)
        else:
            run.flow(event)
    result = run.finish()
    relevant = {case.rule} | {e.rule for e in case.expect}
    actual: list[tuple[str, str, int]] = [
        (a.rule, a.outcome, a.count) for a in result.alerts if a.rule in relevant
    ]
    where = f"{case.source}:{case.line}"
    problem = _compare(list(case.expect), actual)
    return CaseResult(case, case.rule, case.name, where, not problem, problem)


def _compare(expected: list[Expected], actual: list[tuple[str, str, int]]) -> str:
    left = list(actual)
    missing = []
    for e in expected:
        found = next(
            (a for a in left if a[0] == e.rule and a[1] == e.outcome and e.count in (None, a[2])),
            None,
        )
        if found is None:
            missing.append(e)
        else:
            left.remove(found)
    if not missing and not left:
        return ""
    want = ", ".join(_text(e.rule, e.outcome, e.count) for e in expected) or "no alert"
    got = ", ".join(_text(*a) for a in sorted(actual)) or "no alert"
    return f"expected {want}; got {got}"


def _text(rule: str, outcome: str, count: int | None) -> str:
    return f"{rule} {outcome}" + (f" x{count}" if count is not None else "")


def _tx_time(tx: Transaction) -> float:
    ts = tx.request_ts if tx.request_ts is not None else tx.response_ts
    return ts if ts is not None else 0.0


def run_tests(packs: list[Path], rules: RuleSet) -> tuple[list[CaseResult], list[LoadError]]:
    """Every case of the packs' tests files, and the rules of those packs lacking a firing
    or a non-firing case (reported as failed results)."""
    results: list[CaseResult] = []
    errors: list[LoadError] = []
    # A disabled rule's tests still run: enabling is a deployment choice, not its logic.
    rules = RuleSet.of([dataclasses.replace(r, enabled=True) for r in rules.rules])
    for pack in packs:
        found: list[Case] = []
        path = tests_file(pack)
        if path.is_file():
            found, problems = read_cases(path.read_text(encoding="utf-8"), str(path), rules)
            errors += problems
        results += [run_case(case, rules) for case in found]
        for rule in (r for r in rules.rules if r.source == str(pack)):
            mine = [c for c in found if c.rule == rule.info.id]
            for fires, what in ((True, "firing"), (False, "non-firing")):
                if not any(c.fires == fires for c in mine):
                    results.append(
                        CaseResult(
                            None, rule.info.id, f"needs a {what} case", rule.where, False,
                            f"no {what} case in {path.name}",
                        )
                    )  # fmt: skip
    return results, errors


def packs_of(path: Path) -> list[Path]:
    return pack_files(path)

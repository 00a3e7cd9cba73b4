"""The ``match:`` rule kind, compiled: conditions on one transaction, and the hit it makes.

A match rule names a protocol and, usually, function codes; the dispatch index
(``interlock.detect.index``) only hands it transactions of that protocol and function, so
the conditions here run for candidates only. Every condition must hold:

    function_name, sub_function, operation, status   one value or a list (any of)
    details: {path: condition}                       dotted path into Transaction.details
    target_space                                     any target in one of these spaces
    anomaly / not_anomaly                            anomaly codes, `*` globs allowed

A details condition is a value (equal; or contained, when the detail is a list), a list
(any of), or one operator: ``{not: value-or-list}``, ``{exists: bool}``,
``{range: [low, high]}`` (inclusive), ``{prefix: text}``.

Outcome comes from the paired response: status ok -> succeeded, exception (an exception
response, a negative confirmation, an error class, IIN error bits) -> refused, unanswered
-> attempted, anything else -> unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import translate
from typing import Any, Final

from interlock.detect.alert import Outcome
from interlock.detect.anomalies import CAPTURE_ARTEFACTS
from interlock.detect.hits import Hit, RuleInfo
from interlock.model import Transaction

OUTCOME_OF_STATUS: Final[dict[str, Outcome]] = {
    "ok": "succeeded",
    "exception": "refused",
    "unanswered": "attempted",
}
DETAIL_OPERATORS: Final = ("not", "exists", "range", "prefix")
MISSING: Final = object()

Predicate = Callable[[Transaction], bool]


@dataclass(frozen=True)
class DetailCondition:
    path: tuple[str, ...]
    operator: str
    """``eq`` (one value), ``in`` (a list), or one of DETAIL_OPERATORS."""
    value: Any


@dataclass(frozen=True)
class MatchSpec:
    """A ``match:`` block as written (validated by the loader)."""

    protocols: tuple[str, ...]
    functions: tuple[int, ...] = ()
    function_names: tuple[str, ...] = ()
    sub_functions: tuple[int, ...] = ()
    operations: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    details: tuple[DetailCondition, ...] = ()
    target_spaces: tuple[str, ...] = ()
    anomalies: tuple[str, ...] = ()
    not_anomalies: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchRule:
    """A compiled match rule: its predicates, and how it words a hit."""

    info: RuleInfo
    spec: MatchSpec
    message: str
    predicates: tuple[Predicate, ...] = field(default=(), compare=False)

    def matches(self, tx: Transaction) -> bool:
        # A plain loop: all() with a generator costs a frame per call on the hot path.
        for predicate in self.predicates:  # noqa: SIM110
            if not predicate(tx):
                return False
        return True

    def hit(self, tx: Transaction) -> Hit:
        frame = tx.request_frame if tx.request_frame is not None else tx.response_frame
        ts = tx.request_ts if tx.request_ts is not None else tx.response_ts
        outcome = OUTCOME_OF_STATUS.get(tx.status, "unknown")
        details: dict[str, Any] = {
            "function": tx.function,
            "function_name": tx.function_name,
            "status": tx.status,
        }
        if tx.sub_function is not None:
            details["sub_function"] = tx.sub_function
        if tx.exception_code is not None:
            details["exception_code"] = tx.exception_code
        if tx.anomalies:
            details["anomalies"] = list(tx.anomalies)
        if tx.details:
            details["transaction"] = plain(tx.details)
        return Hit(
            self.info,
            tx.protocol,
            tx.client,
            tx.server,
            ts if ts is not None else 0.0,
            frame if frame is not None else 0,
            outcome,
            render_message(self.message, tx, outcome),
            details,
        )


def compile_rule(info: RuleInfo, spec: MatchSpec, message: str) -> MatchRule:
    """The rule with one predicate per condition beyond protocol and function (the index
    checks those); cheap conditions first."""
    predicates: list[Predicate] = []
    if spec.function_names:
        names = frozenset(spec.function_names)
        predicates.append(lambda tx: tx.function_name in names)
    if spec.sub_functions:
        subs = frozenset(spec.sub_functions)
        predicates.append(lambda tx: tx.sub_function in subs)
    if spec.operations:
        operations = frozenset(spec.operations)
        predicates.append(lambda tx: tx.operation.value in operations)
    if spec.statuses:
        statuses = frozenset(spec.statuses)
        predicates.append(lambda tx: tx.status in statuses)
    if spec.target_spaces:
        spaces = frozenset(spec.target_spaces)
        predicates.append(lambda tx: any(t.space in spaces for t in tx.targets))
    predicates += [_detail_predicate(c) for c in spec.details]
    if spec.anomalies:
        predicates.append(anomaly_predicate(spec.anomalies, spec.not_anomalies))
    return MatchRule(info, spec, message, tuple(predicates))


def anomaly_predicate(codes: tuple[str, ...], excluded: tuple[str, ...]) -> Predicate:
    """True when the transaction has an anomaly code matching `codes` and not `excluded`;
    codes that describe the capture rather than the peer never match."""
    wanted = _glob(codes)
    unwanted = _glob(excluded) if excluded else None

    def predicate(tx: Transaction) -> bool:
        for code in tx.anomalies:
            if code in CAPTURE_ARTEFACTS or not wanted(code):
                continue
            if unwanted is None or not unwanted(code):
                return True
        return False

    return predicate


def _glob(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    exact = frozenset(p for p in patterns if not any(c in p for c in "*?["))
    globs = [p for p in patterns if p not in exact]
    if not globs:
        return exact.__contains__
    regex = re.compile("|".join(translate(p) for p in globs))
    return lambda code: code in exact or regex.match(code) is not None


def _detail_predicate(condition: DetailCondition) -> Predicate:
    path, operator, expected = condition.path, condition.operator, condition.value

    def predicate(tx: Transaction) -> bool:
        return detail_holds(lookup(tx.details, path), operator, expected)

    return predicate


def lookup(details: Any, path: tuple[str, ...]) -> Any:
    """The value at a dotted path; through a list, the list of each element's value."""
    value = details
    for part in path:
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, list | tuple):
            found = [v.get(part, MISSING) for v in value if isinstance(v, dict)]
            value = [v for v in found if v is not MISSING] or MISSING
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


def detail_holds(actual: Any, operator: str, expected: Any) -> bool:
    if operator == "exists":
        return bool((actual is not MISSING) == expected)
    if actual is MISSING:
        return operator == "not"
    values = list(actual) if isinstance(actual, list | tuple) else [actual]
    if operator == "eq":
        return any(_same(v, expected) for v in values)
    if operator == "in":
        return any(_same(v, e) for v in values for e in expected)
    if operator == "not":
        excluded = expected if isinstance(expected, list) else [expected]
        return not any(_same(v, e) for v in values for e in excluded)
    if operator == "range":
        low, high = expected
        return any(_number(v) and low <= v <= high for v in values)
    if operator == "prefix":
        return any(isinstance(v, str) and v.startswith(str(expected)) for v in values)
    raise ValueError(f"unknown detail operator {operator}")


def _same(actual: Any, expected: Any) -> bool:
    # YAML `true` is not the detail 1, nor `1` the detail True.
    if isinstance(actual, bool) or isinstance(expected, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    return bool(actual == expected)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


PLACEHOLDER: Final = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
MESSAGE_FIELDS: Final = (
    "client",
    "server",
    "protocol",
    "function",
    "function_name",
    "sub_function",
    "status",
    "outcome",
    "anomalies",
    "details",
)
"""Placeholders a rule's message may use; `details.PATH` reads a transaction detail."""


def render_message(template: str, tx: Transaction, outcome: str) -> str:
    parts = _TEMPLATES.get(template)
    if parts is None:
        # split with one group: literal, placeholder, literal, ..., literal
        parts = _TEMPLATES[template] = tuple(PLACEHOLDER.split(template))
    out = [parts[0]]
    for at in range(1, len(parts), 2):
        out.append(_field_text(parts[at], tx, outcome))
        out.append(parts[at + 1])
    return "".join(out)


_TEMPLATES: dict[str, tuple[str, ...]] = {}
"""Rule message templates, split once (there are as many as rules)."""


def _field_text(name: str, tx: Transaction, outcome: str) -> str:
    root, _, rest = name.partition(".")
    value: Any
    if root == "details":
        value = lookup(tx.details, tuple(rest.split("."))) if rest else MISSING
        return "?" if value is MISSING else str(value)
    if root == "client":
        return f"{tx.client.ip}:{tx.client.port}"
    if root == "server":
        return f"{tx.server.ip}:{tx.server.port}"
    if root == "anomalies":
        return ", ".join(tx.anomalies)
    if root == "outcome":
        return outcome
    value = {
        "protocol": tx.protocol,
        "function": tx.function,
        "function_name": tx.function_name,
        "sub_function": tx.sub_function,
        "status": tx.status,
    }.get(root, MISSING)
    return "?" if value is MISSING or value is None else str(value)


def plain(value: Any) -> Any:
    """Details as JSON can hold them: bytes as hex, tuples as lists, keys as text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value

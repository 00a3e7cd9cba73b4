"""The dispatch index: which match rules can fire on a transaction, found in one lookup.

Rules are filed by protocol, then by function code. A transaction is checked against the
rules filed under its (protocol, function), the protocol's rules that name no function,
and, only when it carries anomaly codes, the protocol's anomaly rules; a rule filed under
another protocol or function costs nothing. So a Modbus read in a capture meets no rule
at all when no rule names Modbus function 3.

Requests that carry other requests (a CIP Multiple Service Packet) are also looked up
under each service they carry (``interlock.detect.facets``): a Reset inside a Multiple
Service Packet meets the Reset rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from interlock.detect.facets import FACETS
from interlock.detect.match import MatchRule
from interlock.model import Transaction


@dataclass
class ProtocolRules:
    by_function: dict[int, tuple[MatchRule, ...]] = field(default_factory=dict)
    any_function: tuple[MatchRule, ...] = ()
    on_anomaly: tuple[MatchRule, ...] = ()


class DispatchIndex:
    def __init__(self, rules: list[MatchRule]) -> None:
        self.protocols: dict[str, ProtocolRules] = {}
        for rule in rules:
            for protocol in rule.spec.protocols:
                entry = self.protocols.setdefault(protocol, ProtocolRules())
                if rule.spec.functions:
                    for function in rule.spec.functions:
                        found = entry.by_function.get(function, ())
                        entry.by_function[function] = (*found, rule)
                elif rule.spec.anomalies:
                    entry.on_anomaly = (*entry.on_anomaly, rule)
                else:
                    entry.any_function = (*entry.any_function, rule)

    def __len__(self) -> int:
        return len({id(r) for e in self.protocols.values() for r in _all(e)})

    def matches(self, tx: Transaction) -> list[tuple[MatchRule, Transaction]]:
        """Each rule that fires on tx (or on a request it carries), with what it fired on.
        The common case, no rule for the transaction's function, costs two lookups."""
        entry = self.protocols.get(tx.protocol)
        if entry is None:
            return NOTHING
        candidates = entry.by_function.get(tx.function)
        facets = FACETS.get(tx.protocol)
        if not (candidates or entry.any_function or tx.anomalies or facets is not None):
            return NOTHING
        found: list[tuple[MatchRule, Transaction]] = []
        if candidates:
            found += [(rule, tx) for rule in candidates if rule.matches(tx)]
        if entry.any_function:
            found += [(rule, tx) for rule in entry.any_function if rule.matches(tx)]
        if tx.anomalies and entry.on_anomaly:
            found += [(rule, tx) for rule in entry.on_anomaly if rule.matches(tx)]
        if facets is not None and (entry.by_function or entry.any_function):
            by_function, any_function = entry.by_function, entry.any_function
            for inner in facets(tx, lambda code: bool(any_function) or code in by_function):
                for rule in (*by_function.get(inner.function, ()), *any_function):
                    if rule.matches(inner):
                        found.append((rule, inner))
        return found or NOTHING


NOTHING: list[tuple[MatchRule, Transaction]] = []
"""Shared empty result (callers only iterate it)."""


def _all(entry: ProtocolRules) -> Iterator[MatchRule]:
    for rules in entry.by_function.values():
        yield from rules
    yield from entry.any_function
    yield from entry.on_anomaly

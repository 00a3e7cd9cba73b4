"""Access rules compiled for matching: which clients, operations, functions, windows and
addresses each allows or denies; the first rule that matches a request decides.

A client's address is parsed once and the rules it matches are remembered (a bounded
table: a flood of spoofed addresses cannot grow it without limit).
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from interlock.policy.model import AccessRule, Policy, Window
from interlock.policy.request import PolicyRequest
from interlock.policy.windows import inside

MAX_CLIENTS_REMEMBERED: Final = 4096


@dataclass(frozen=True, slots=True)
class Coverage:
    """Address intervals [start, end) of one asset space, merged and sorted."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.ends[i] >= end


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: AccessRule
    operations: frozenset[str] | None
    functions: frozenset[int] | None
    windows: tuple[Window, ...]
    assets: frozenset[str]
    coverage: dict[tuple[str, str], Coverage]

    def fits(self, request: PolicyRequest) -> bool:
        """Operation, function and window match (the client is matched beforehand)."""
        if self.operations is not None and request.operation not in self.operations:
            return False
        if self.functions is not None and request.function not in self.functions:
            return False
        return not self.windows or any(inside(w, request.time) for w in self.windows)

    def reaches(self, request: PolicyRequest, asset: str | None) -> bool:
        """Every address the request acts on is a target of the rule."""
        if not (self.assets or self.coverage):
            return True
        if asset is None:
            return False
        if asset in self.assets:
            return True
        spans = request_spans(request)
        if not spans:
            return False
        coverage = self.coverage.get((asset, request.space))
        return coverage is not None and all(coverage.covers(a, b) for a, b in spans)


def request_spans(request: PolicyRequest) -> list[tuple[int, int]]:
    """The address intervals [start, end) a request acts on (a write and a read for FC 23)."""
    spans = []
    if request.address is not None:
        spans.append((request.address, request.address + max(request.quantity, 1)))
    if request.read_address is not None:
        spans.append((request.read_address, request.read_address + max(request.read_quantity, 1)))
    return spans


def compile_rules(policy: Policy) -> list[CompiledRule]:
    windows = {w.name: w for w in policy.windows}
    compiled = []
    for rule in policy.rules:
        intervals: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for name in rule.tags:
            tag = policy.tag(name)
            intervals.setdefault((tag.asset, tag.space), []).append((tag.address, tag.end))
        for span in rule.ranges:
            intervals.setdefault((span.asset, span.space), []).append((span.start, span.end + 1))
        coverage = {key: _merged(spans) for key, spans in intervals.items()}
        compiled.append(
            CompiledRule(
                rule,
                rule.operations,
                rule.functions,
                tuple(windows[n] for n in rule.windows),
                frozenset(rule.assets),
                coverage,
            )
        )
    return compiled


def _merged(spans: Iterable[tuple[int, int]]) -> Coverage:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return Coverage(tuple(s for s, _ in merged), tuple(e for _, e in merged))


class ClientMatcher:
    """Which rules (by index) name a client, remembered per address."""

    def __init__(self, rules: list[CompiledRule]) -> None:
        self.rules = rules
        self.known: dict[str, tuple[int, ...]] = {}

    def rules_for(self, client: str) -> tuple[int, ...]:
        found = self.known.get(client)
        if found is None:
            found = self._match(client)
            if len(self.known) >= MAX_CLIENTS_REMEMBERED:
                self.known.clear()
            self.known[client] = found
        return found

    def _match(self, client: str) -> tuple[int, ...]:
        try:
            address = ipaddress.ip_address(client)
        except ValueError:
            address = None
        matched = []
        for index, compiled in enumerate(self.rules):
            networks = compiled.rule.clients
            if networks is None or (
                address is not None
                and any(address.version == n.version and address in n for n in networks)
            ):
                matched.append(index)
        return tuple(matched)

"""Exclusions: traffic a person tells the baseline to ignore (docs/detect-baseline.md).

An exclusion names some of: client, server (an address, a CIDR or a MAC), protocol,
function (code or name), operation, and, for points, unit, space and an address range.
Without ``rules`` it keeps matching traffic out of learning and silences every baseline
rule for it; with ``rules`` it only silences those rules (the traffic is still learned).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from interlock.model import Target, Transaction

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
ADDRESS_CACHE: Final = 4096


@dataclass(frozen=True, slots=True)
class HostMatch:
    """An address, a CIDR, or any other endpoint text (a MAC) compared as written."""

    text: str
    network: IpNetwork | None

    @staticmethod
    def parse(text: str) -> HostMatch:
        try:
            return HostMatch(text, ipaddress.ip_network(text, strict=True))
        except ValueError:
            return HostMatch(text.lower(), None)


@dataclass(frozen=True, slots=True)
class Exclusion:
    id: str
    reason: str | None = None
    client: HostMatch | None = None
    server: HostMatch | None = None
    protocol: str | None = None
    function: int | str | None = None
    operation: str | None = None
    unit: int | None = None
    space: str | None = None
    addresses: tuple[int, int] | None = None
    rules: frozenset[str] | None = None
    """Rules silenced; None: every baseline rule, and the traffic is not learned."""

    @property
    def whole_transaction(self) -> bool:
        """True when it names no unit, space or addresses: it covers whole transactions."""
        return self.unit is None and self.space is None and self.addresses is None

    def silences(self, rule: str) -> bool:
        return self.rules is None or rule in self.rules

    def covers_target(self, target: Target) -> bool:
        """Unit and space match (the address range is applied by the caller)."""
        return (self.unit is None or self.unit == target.unit) and (
            self.space is None or self.space == target.space
        )


class ExclusionSet:
    """The exclusions of a baseline, matched against transactions."""

    def __init__(self, exclusions: Sequence[Exclusion]) -> None:
        self.exclusions = tuple(exclusions)
        self._addresses: dict[str, ipaddress.IPv4Address | ipaddress.IPv6Address | None] = {}

    def __bool__(self) -> bool:
        return bool(self.exclusions)

    def matching(self, tx: Transaction) -> list[Exclusion]:
        """The exclusions whose transaction-level fields all match tx."""
        if not self.exclusions:
            return []
        fields = (
            tx.client.ip,
            tx.server.ip,
            tx.protocol,
            tx.function,
            tx.function_name,
            tx.operation.value,
        )
        return [e for e in self.exclusions if self._matches(e, *fields)]

    def matching_fields(
        self, client: str, server: str, protocol: str, code: int, name: str, operation: str
    ) -> list[Exclusion]:
        """The same, for traffic known by its fields (a rate is not one transaction)."""
        return [
            e
            for e in self.exclusions
            if self._matches(e, client, server, protocol, code, name, operation)
        ]

    def _matches(
        self,
        e: Exclusion,
        client: str,
        server: str,
        protocol: str,
        code: int,
        name: str,
        operation: str,
    ) -> bool:
        if e.protocol is not None and e.protocol != protocol:
            return False
        if e.operation is not None and e.operation != operation:
            return False
        if e.function is not None and e.function not in (code, name):
            return False
        if e.client is not None and not self._host(e.client, client):
            return False
        return e.server is None or self._host(e.server, server)

    def _host(self, match: HostMatch, text: str) -> bool:
        if match.network is None:
            return match.text == text.lower()
        if text not in self._addresses:
            if len(self._addresses) >= ADDRESS_CACHE:
                self._addresses.clear()
            try:
                self._addresses[text] = ipaddress.ip_address(text)
            except ValueError:
                self._addresses[text] = None
        address = self._addresses[text]
        return address is not None and address in match.network


def skips_learning(matched: Iterable[Exclusion]) -> bool:
    return any(e.whole_transaction and e.rules is None for e in matched)


def silenced_rules(matched: Iterable[Exclusion], every: frozenset[str]) -> frozenset[str]:
    """Rules silenced for a whole transaction by the exclusions that matched it."""
    silenced: set[str] = set()
    for e in matched:
        if e.whole_transaction:
            silenced |= every if e.rules is None else e.rules
    return frozenset(silenced)


def address_holes(
    matched: Iterable[Exclusion], target: Target, rule: str | None
) -> list[tuple[int, int]]:
    """Address ranges of target's space that the target-level exclusions take out.

    rule None asks about learning (exclusions without ``rules``); otherwise about that rule.
    """
    holes = []
    for e in matched:
        if e.whole_transaction or not e.covers_target(target):
            continue
        if (e.rules is not None) if rule is None else not e.silences(rule):
            continue
        holes.append(e.addresses or (-(2**63), 2**63))
    return holes

"""Suppressions: known false positives, scoped by rule and by asset or address, until a time.

A suppression names a rule (an id, or a glob such as ``ics.*.discovery*``), and either an
asset id or an address (an IP, or a CIDR); it covers a hit of that rule whose client or
server is that asset or in that address range, seen (in packet time) before ``until``.
Covered hits are not dropped: they still become alerts, marked ``suppressed_by``, which
``interlock alerts`` lists only on request, and each suppression counts the hits it
swallowed (``interlock suppress list``). Expiry compares packet time, never the wall
clock, so detection stays deterministic. An asset is recognized by the addresses the
inventory knew when the run started.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

from interlock.detect.hits import PlantContext

State = Literal["active", "expired", "removed"]


@dataclass(frozen=True, slots=True)
class Suppression:
    id: int
    rule: str
    asset_id: int | None
    address: str | None
    until: float
    reason: str
    created: float
    removed: float | None = None
    hits: int = 0
    first_hit: float | None = None
    last_hit: float | None = None

    def state(self, now: float) -> State:
        """Active, expired or removed, as of now (the CLI's clock: listing only)."""
        if self.removed is not None:
            return "removed"
        return "expired" if now >= self.until else "active"

    @property
    def scope(self) -> str:
        return f"asset {self.asset_id}" if self.asset_id is not None else f"address {self.address}"


@dataclass
class Swallowed:
    """Hits one suppression covered in one run."""

    hits: int = 0
    first: float | None = None
    last: float | None = None

    def add(self, ts: float) -> None:
        self.hits += 1
        self.first = ts if self.first is None else min(self.first, ts)
        self.last = ts if self.last is None else max(self.last, ts)


class Suppressor:
    """Decides, per hit, which suppression (the lowest id) covers it."""

    def __init__(self, suppressions: list[Suppression], context: PlantContext) -> None:
        self.active = sorted((s for s in suppressions if s.removed is None), key=lambda s: s.id)
        self.context = context
        self.networks = {
            s.id: ipaddress.ip_network(s.address, strict=False)
            for s in self.active
            if s.address is not None
        }
        self.swallowed: dict[int, Swallowed] = {}

    def check(self, rule: str, src_ip: str, dst_ip: str, ts: float) -> int | None:
        """The suppression covering a hit of rule between src_ip and dst_ip at ts, if any
        (counted as swallowed)."""
        for suppression in self.active:
            if ts >= suppression.until or not _rule_matches(suppression.rule, rule):
                continue
            if self._covers(suppression, src_ip) or self._covers(suppression, dst_ip):
                self.swallowed.setdefault(suppression.id, Swallowed()).add(ts)
                return suppression.id
        return None

    def _covers(self, suppression: Suppression, ip: str) -> bool:
        network = self.networks.get(suppression.id)
        if network is not None:
            try:
                return ipaddress.ip_address(ip) in network
            except ValueError:
                return False
        asset = self.context.asset_at(ip)
        return asset is not None and asset.id == suppression.asset_id


def _rule_matches(pattern: str, rule_id: str) -> bool:
    return pattern == rule_id or fnmatchcase(rule_id, pattern)

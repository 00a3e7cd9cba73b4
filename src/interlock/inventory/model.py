"""The inventory as the rest of Interlock sees it: assets with several identifiers, identity
values with their evidence, devices behind addresses, flows, operation edges and changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value was first seen: the capture's sha256, frame number, time and site."""

    capture: str
    frame: int
    ts: float
    site: str

    def as_dict(self) -> dict[str, Any]:
        return {"capture": self.capture, "frame": self.frame, "ts": self.ts, "site": self.site}


@dataclass(slots=True)
class Span:
    """First and last time something was seen, and how often."""

    first: float
    last: float
    count: int = 1

    def widen(self, first: float, last: float, count: int) -> None:
        self.first = min(self.first, first)
        self.last = max(self.last, last)
        self.count += count


@dataclass(slots=True)
class IdentityValue:
    attribute: str
    value: str
    source: str
    confidence: float
    evidence: Evidence
    span: Span


@dataclass(slots=True)
class Role:
    role: str
    reason: str


@dataclass(slots=True)
class Asset:
    id: int
    span: Span
    parent_id: int | None = None
    child_kind: str | None = None
    """For a device behind an address: modbus_unit, dnp3_outstation, cip_slot..."""
    child_key: str | None = None
    addresses: dict[str, Span] = field(default_factory=dict)
    """IP and MAC addresses (MACs written 00:1b:1b:..., IPs as text)."""
    identity: dict[tuple[str, str, str], IdentityValue] = field(default_factory=dict)
    """(attribute, value, source) -> value; conflicting values are all kept."""
    protocols: dict[tuple[str, str, int], Span] = field(default_factory=dict)
    """(proto, side, service port) -> when."""
    roles: list[Role] = field(default_factory=list)
    purdue_level: float | None = None

    @property
    def ips(self) -> list[str]:
        return [a for a in self.addresses if not is_mac(a)]

    @property
    def macs(self) -> list[str]:
        return [a for a in self.addresses if is_mac(a)]


def is_mac(text: str) -> bool:
    return len(text) == 17 and text.count(":") == 5 and "." not in text


@dataclass(slots=True)
class FlowRecord:
    transport: str
    client: str
    server: str
    server_port: int
    proto: str
    """The protocol the engine dissected on it; "" when none."""
    packets: int
    octets: int
    connections: int
    span: Span


@dataclass(slots=True)
class Edge:
    """Operations of one class from a client asset to a server asset over one protocol."""

    client_id: int
    server_id: int
    proto: str
    operation: str
    span: Span


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    """new_asset, asset_quiet, identity_changed, new_pair, new_protocol, new_remote_access."""
    ts: float
    asset_id: int | None
    summary: str
    evidence: Evidence | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CaptureRecord:
    sha256: str
    name: str
    site: str
    frames: int
    first_ts: float | None
    last_ts: float | None


@dataclass
class Inventory:
    assets: dict[int, Asset] = field(default_factory=dict)
    flows: dict[tuple[str, str, str, int, str], FlowRecord] = field(default_factory=dict)
    edges: dict[tuple[int, int, str, str], Edge] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    """Changes recorded by this run (earlier ones stay in the store)."""
    captures: list[CaptureRecord] = field(default_factory=list)
    quiet_noted: dict[int, float] = field(default_factory=dict)
    """asset id -> when it was last reported quiet (so that it is reported once per silence)."""
    next_id: int = 1
    _children: dict[int, list[Asset]] = field(default_factory=dict, repr=False, compare=False)
    _children_count: int = field(default=-1, repr=False, compare=False)

    def new_asset(self, ts: float, **kwargs: Any) -> Asset:
        asset = Asset(self.next_id, Span(ts, ts, 0), **kwargs)
        self.assets[asset.id] = asset
        self.next_id += 1
        return asset

    def top_level(self) -> list[Asset]:
        return [a for a in self.assets.values() if a.parent_id is None]

    def children_of(self, asset_id: int) -> list[Asset]:
        # An index rebuilt whenever assets were added (they are never removed, and a
        # child's parent never changes): role inference asks this for every asset.
        if self._children_count != len(self.assets):
            index: dict[int, list[Asset]] = {}
            for asset in self.assets.values():
                if asset.parent_id is not None:
                    index.setdefault(asset.parent_id, []).append(asset)
            self._children, self._children_count = index, len(self.assets)
        return list(self._children.get(asset_id, ()))

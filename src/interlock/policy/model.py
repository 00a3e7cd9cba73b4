"""A policy in the process's own terms: assets, tags with engineering units and envelopes,
access rules per client and operation class, interlocks across tags, maintenance windows.

Protocol-neutral: an asset names its protocol and device id (a Modbus unit id, a DNP3
outstation address, ...); a tag names an address space and address in that protocol's
terms (``holding_registers`` 0, ``coils`` 1). Pure data; ``interlock.policy.loader``
builds it from YAML and ``interlock.policy.core`` compiles it into a decision core.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final, Literal

from interlock.policy.expr import Expr

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Action = Literal["allow", "deny"]
Mode = Literal["monitor", "enforce"]
FailMode = Literal["open", "closed"]
MalformedAction = Literal["block", "alert", "allow"]
UnknownAction = Literal["block", "allow"]
TagType = Literal["bool", "int16", "uint16", "int32", "uint32", "float32", "float64"]
WordOrder = Literal["big", "little"]

FORMAT_VERSION: Final = 1
MALFORMED_ACTIONS: Final[tuple[MalformedAction, ...]] = ("block", "alert", "allow")
UNKNOWN_ACTIONS: Final[tuple[UnknownAction, ...]] = ("block", "allow")
MODES: Final[tuple[Mode, ...]] = ("enforce", "monitor")
ACTIONS: Final[tuple[Action, ...]] = ("allow", "deny")
FAIL_MODES: Final[tuple[FailMode, ...]] = ("closed", "open")
CRITICALITIES: Final = ("low", "medium", "high", "critical")
TAG_TYPES: Final[dict[TagType, int]] = {
    "bool": 1, "int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2, "float64": 4,
}  # fmt: skip
"""Each data type and the number of 16-bit words (or bits, for bool) it occupies."""
BUILTIN_RULES: Final = ("default", "malformed")


@dataclass(frozen=True, slots=True)
class Asset:
    """A device the policy protects, as its protocol addresses it."""

    name: str
    protocol: str
    unit: int
    """The device id within the protocol (Modbus unit id)."""
    address: str | None
    """The server's IP address, when the policy should only match that one server."""
    criticality: str
    failure_mode: FailMode
    description: str
    line: int


@dataclass(frozen=True, slots=True)
class Envelope:
    """Limits on the values written to a tag, in its engineering units."""

    min: float | None = None
    max: float | None = None
    max_step: float | None = None
    """Largest change from the current value in one write."""
    max_rate: float | None = None
    """Largest change per second, measured from when the current value was established."""
    min_interval: float | None = None
    """Fewest seconds between two changes of the value (anti-chatter; for bools too)."""
    mode: Mode = "enforce"
    exception: int | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    asset: str
    space: str
    address: int
    type: TagType
    word_order: WordOrder
    scale: float
    offset: float
    units: str
    description: str
    envelope: Envelope | None
    line: int

    @property
    def size(self) -> int:
        return TAG_TYPES[self.type]

    @property
    def end(self) -> int:
        """The first address after the tag."""
        return self.address + self.size


@dataclass(frozen=True, slots=True)
class AddressRange:
    asset: str
    space: str
    start: int
    end: int
    """Inclusive."""


@dataclass(frozen=True, slots=True)
class AccessRule:
    """Which clients may do which operations where; the first rule that matches decides."""

    name: str
    action: Action
    clients: tuple[IpNetwork, ...] | None
    """None: any client."""
    operations: frozenset[str] | None
    functions: frozenset[int] | None
    assets: tuple[str, ...]
    """Whole devices (any address, and requests without one)."""
    tags: tuple[str, ...]
    ranges: tuple[AddressRange, ...]
    windows: tuple[str, ...]
    """The rule matches only inside one of these maintenance windows."""
    mode: Mode
    exception: int | None
    description: str
    line: int

    @property
    def targeted(self) -> bool:
        return bool(self.assets or self.tags or self.ranges)


@dataclass(frozen=True, slots=True)
class Interlock:
    """A condition across tags that must hold for a write to the guarded tags."""

    name: str
    tags: tuple[str, ...]
    when: Expr | None
    """Applies only to writes for which this holds (`value` is the value written)."""
    require: Expr
    if_unknown: UnknownAction
    mode: Mode
    exception: int | None
    description: str
    line: int


@dataclass(frozen=True, slots=True)
class Window:
    """A maintenance window: weekly (days and a time of day span) or one fixed span."""

    name: str
    days: frozenset[int]
    """Weekly: 0 = Monday .. 6 = Sunday; empty for a fixed span."""
    start: float
    """Weekly: minutes after local midnight; fixed: epoch seconds."""
    end: float
    utc_offset: int
    """Minutes east of UTC for a weekly window's local time."""
    description: str
    line: int

    @property
    def weekly(self) -> bool:
        return bool(self.days)


@dataclass(frozen=True, slots=True)
class Policy:
    source: str
    description: str
    default: Action
    mode: Mode
    malformed: MalformedAction
    failure_mode: FailMode
    """For requests to devices that are not assets of the policy."""
    clients: dict[str, tuple[IpNetwork, ...]]
    windows: tuple[Window, ...]
    assets: tuple[Asset, ...]
    tags: tuple[Tag, ...]
    rules: tuple[AccessRule, ...]
    interlocks: tuple[Interlock, ...]

    def tag(self, name: str) -> Tag:
        return next(t for t in self.tags if t.name == name)

    def asset(self, name: str) -> Asset:
        return next(a for a in self.assets if a.name == name)

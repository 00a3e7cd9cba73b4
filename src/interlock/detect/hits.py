"""What a detector reports, and what it may ask about the plant.

Detectors (rule packs, behavioural detectors, the baseline) turn transactions and flows
into ``Hit`` values; the aggregator turns hits into ``Alert`` values (same rule, same
endpoints, within a window -> one alert with a count). Detectors never read a clock: every
time they see comes from the capture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from interlock.detect.alert import Outcome, Severity
from interlock.model import Endpoint, Transaction


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """The reviewable part of a rule: who it is and what it means."""

    id: str
    title: str
    severity: Severity
    techniques: tuple[str, ...]
    description: str = ""


@dataclass(slots=True)
class Hit:
    """One rule firing on one transaction or flow. Never changed once made: not frozen, and
    its constructor written out, because a run makes one per hit and mypyc compiles only a
    written-out __init__ (a frozen dataclass's sets each field through object.__setattr__)."""

    rule: RuleInfo
    protocol: str
    src: Endpoint
    dst: Endpoint
    ts: float
    frame: int
    outcome: Outcome
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        rule: RuleInfo,
        protocol: str,
        src: Endpoint,
        dst: Endpoint,
        ts: float,
        frame: int,
        outcome: Outcome,
        message: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.rule = rule
        self.protocol = protocol
        self.src = src
        self.dst = dst
        self.ts = ts
        self.frame = frame
        self.outcome = outcome
        self.message = message
        self.details = {} if details is None else details


@dataclass(slots=True)
class FlowSeen:
    """A conversation the engine has finished with (ICS or not), for scan-like detectors.
    Never changed once made (one per flow: see Hit for why it is not frozen)."""

    transport: str
    """``tcp``, ``udp`` or ``ether``."""
    client: Endpoint
    server: Endpoint
    protocol: str | None
    first_seen: float
    last_seen: float
    packets: int
    octets: int
    first_frame: int

    def __init__(
        self,
        transport: str,
        client: Endpoint,
        server: Endpoint,
        protocol: str | None,
        first_seen: float,
        last_seen: float,
        packets: int,
        octets: int,
        first_frame: int,
    ) -> None:
        self.transport = transport
        self.client = client
        self.server = server
        self.protocol = protocol
        self.first_seen = first_seen
        self.last_seen = last_seen
        self.packets = packets
        self.octets = octets
        self.first_frame = first_frame


@dataclass(frozen=True, slots=True)
class AssetView:
    """What the inventory knows about an address, as far as detection cares."""

    id: int
    purdue_level: float | None = None
    zone: str | None = None
    roles: tuple[str, ...] = ()


class PlantContext(Protocol):
    """The inventory and zones, seen from a detector; ``None`` when nothing is known."""

    def asset_at(self, ip: str) -> AssetView | None: ...

    def conduit_allows(
        self, client_ip: str, server_ip: str, protocol: str, operation: str
    ) -> bool | None:
        """True/False when both ends are in zones and a conduit decides; None otherwise."""
        ...


@dataclass(frozen=True, slots=True)
class Screen:
    """Which transactions can make a detector fire, as far as their protocol, function
    name, operation class and status tell (None: any). A detector that has one as its
    ``screen`` attribute is not called for the others (the run files detectors by these
    four, once per combination), so it must do nothing for them: no state, no hit."""

    operations: frozenset[str] | None = None
    functions: frozenset[str] | None = None
    statuses: frozenset[str] | None = None

    def admits(self, function_name: str, operation: str, status: str) -> bool:
        return (
            (self.operations is None or operation in self.operations)
            and (self.functions is None or function_name in self.functions)
            and (self.statuses is None or status in self.statuses)
        )


class Detector(Protocol):
    """A behavioural rule's detector. One may also have ``absorb(other) -> bool``: take over
    another rule's detector of its kind and serve both (the run then drops the other)."""

    def transaction(self, tx: Transaction) -> Iterable[Hit]: ...

    def flow(self, flow: FlowSeen) -> Iterable[Hit]: ...

    def finish(self) -> Iterable[Hit]:
        """End of the capture: hits that only a whole window can show."""
        ...

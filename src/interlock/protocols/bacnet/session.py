"""BACnet state for one UDP flow (two B/IP endpoints): reassembly of segmented APDUs
(ASHRAE 135 clause 5.2) and pairing of confirmed requests with their answers, bounded.

Either endpoint may send confirmed requests, so both reassembly and pairing are keyed by
the side that sent the request and its invoke id; the engine's ``is_request`` flag only
tells the two directions apart. A segmented APDU is decoded when its last segment arrives
and every earlier one is in; its header fields are reported on every segment, its body on
the last (as Wireshark does).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.bacnet.apdu import (
    ABORT,
    COMPLEX_ACK,
    CONFIRMED_REQUEST,
    ERROR,
    REJECT,
    SERVER,
    SIMPLE_ACK,
    UNCONFIRMED_REQUEST,
    Apdu,
    schema_of,
)
from interlock.protocols.bacnet.body import ServiceBody, decode_body
from interlock.protocols.bacnet.bvlc import BacnetMessage

MAX_PENDING: Final = 1024
"""Confirmed requests remembered per flow (the oldest go first)."""
MAX_REASSEMBLIES: Final = 32
"""Segmented APDUs being reassembled at once per flow."""
MAX_SEGMENTED_BYTES: Final = 512 * 1024
"""Largest reassembled APDU body kept (255 segments of 1476 octets fit, barely)."""
DEVICE_OBJECT: Final = 8
_ANSWERS: Final = frozenset({SIMPLE_ACK, COMPLEX_ACK, ERROR, REJECT, ABORT})


class Unit(NamedTuple):
    """A complete APDU as the transaction layer sees it."""

    message: BacnetMessage
    apdu: Apdu
    body: ServiceBody | None
    """The service parameters (reassembled for a segmented APDU)."""
    requester: bool
    """The direction flag of the side that sent the confirmed request this unit belongs to
    (for an unconfirmed request: its sender's)."""
    device: int
    """Device instance of the side serving the request, when the flow has shown it; -1."""


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: Unit


class Observation(NamedTuple):
    unit: Unit | None
    """The APDU this datagram completed; None for a segment that is not the last one or
    a datagram without an APDU."""
    request: SeenRequest | None
    """For an answer: the confirmed request it answers, if seen."""
    body: ServiceBody | None
    """The body of a segmented APDU completed by this datagram (None otherwise)."""
    anomaly: str
    """A reassembly anomaly of this datagram ("" when none)."""


def requester_of(apdu: Apdu, is_request: bool) -> bool:
    """Which side sent the confirmed request an APDU belongs to."""
    if apdu.type in _ANSWERS and not (apdu.type == ABORT and not apdu.flags & SERVER):
        return not is_request
    return is_request


class _Reassembly:
    __slots__ = ("last", "segments", "size")

    def __init__(self) -> None:
        self.segments: dict[int, bytes] = {}
        self.last = -1
        self.size = 0


class BacnetSession:
    __slots__ = ("devices", "reassemblies", "requests")

    def __init__(self) -> None:
        self.requests: dict[tuple[bool, int], SeenRequest] = {}
        self.reassemblies: dict[tuple[bool, int, int], _Reassembly] = {}
        self.devices: dict[bool, int] = {}

    def observe(
        self, message: BacnetMessage, is_request: bool, frame: int, ts: float
    ) -> Observation | None:
        apdu = message.apdu
        if apdu is None or apdu.type > ABORT:
            return None
        requester = requester_of(apdu, is_request)
        body, anomaly = apdu.body, ""
        if apdu.segmented:
            body, anomaly = self._reassemble(apdu, requester)
            if body is None:
                return Observation(None, None, None, anomaly)
        self._learn_device(apdu, body, is_request)
        server = self.devices.get(not requester, -1)
        unit = Unit(message, apdu, body, requester, server)
        request = self._pair(unit, frame, ts)
        return Observation(unit, request, body if apdu.segmented else None, anomaly)

    def _learn_device(self, apdu: Apdu, body: ServiceBody | None, is_request: bool) -> None:
        """Remember a side's device instance: from its I-Am, or from a request naming a
        device object sent to it."""
        if body is None or not body.objects or body.objects[0].type != DEVICE_OBJECT:
            return
        if apdu.type == UNCONFIRMED_REQUEST and apdu.service == 0:
            self.devices[is_request] = body.objects[0].instance
        elif apdu.type == CONFIRMED_REQUEST:
            self.devices[not is_request] = body.objects[0].instance

    def _reassemble(self, apdu: Apdu, requester: bool) -> tuple[ServiceBody | None, str]:
        key = (requester, apdu.invoke_id, apdu.type)
        found = self.reassemblies.get(key)
        if found is None or apdu.sequence == 0:
            if len(self.reassemblies) >= MAX_REASSEMBLIES and key not in self.reassemblies:
                del self.reassemblies[next(iter(self.reassemblies))]
            found = self.reassemblies[key] = _Reassembly()
        raw = apdu.segment
        found.size += len(raw) - len(found.segments.get(apdu.sequence, b""))
        found.segments[apdu.sequence] = raw
        if found.size > MAX_SEGMENTED_BYTES:
            del self.reassemblies[key]
            return None, "bacnet.segmented_too_large"
        if apdu.more_follows:
            return None, ""
        found.last = apdu.sequence
        if any(n not in found.segments for n in range(found.last + 1)):
            del self.reassemblies[key]
            return None, "bacnet.missing_segment"
        del self.reassemblies[key]
        joined = b"".join(found.segments[n] for n in range(found.last + 1))
        return decode_body(joined, 0, len(joined), schema_of(apdu.type, apdu.service)), ""

    def _pair(self, unit: Unit, frame: int, ts: float) -> SeenRequest | None:
        apdu = unit.apdu
        key = (unit.requester, apdu.invoke_id)
        if apdu.type == CONFIRMED_REQUEST:
            self.requests.pop(key, None)  # re-inserted last: insertion order is age order
            if len(self.requests) >= MAX_PENDING:
                del self.requests[next(iter(self.requests))]
            self.requests[key] = SeenRequest(frame, ts, unit)
            return None
        if apdu.type in _ANSWERS:
            return self.requests.pop(key, None)
        return None

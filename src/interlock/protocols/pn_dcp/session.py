"""Pairing DCP responses with their requests across link-layer flows.

An Identify request goes to a multicast address and every device answers on its own
unicast flow, so requests are kept engine-wide (the shared table), by ServiceID and Xid,
and a response on any flow finds its request there. Bounded: the newest MAX_PENDING
requests are kept; a request stays after it is answered so that every device's answer
to one Identify pairs with it.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.pn_dcp.packet import DcpPacket

MAX_PENDING: Final = 1024


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: DcpPacket


class DcpRequests:
    """The engine-wide table of recent DCP requests."""

    __slots__ = ("requests",)

    def __init__(self) -> None:
        self.requests: dict[tuple[int, int], SeenRequest] = {}

    def remember(self, packet: DcpPacket, frame: int, ts: float) -> None:
        key = (packet.service_id, packet.xid)
        requests = self.requests
        if key in requests:
            del requests[key]  # re-insert so that insertion order stays age order
        elif len(requests) >= MAX_PENDING:
            del requests[next(iter(requests))]
        requests[key] = SeenRequest(frame, ts, packet)

    def lookup(self, packet: DcpPacket) -> SeenRequest | None:
        return self.requests.get((packet.service_id, packet.xid))


class DcpSession:
    __slots__ = ("shared",)

    def __init__(self, shared: DcpRequests | None = None) -> None:
        self.shared = shared if shared is not None else DcpRequests()

    def observe(
        self, packet: DcpPacket | None, is_request: bool, frame: int, ts: float
    ) -> SeenRequest | None:
        """Requests are remembered; a response gets its request (the direction of the
        flow says nothing here: the ServiceType does)."""
        if packet is None or packet.service_id < 0:
            return None
        if packet.is_request:
            self.shared.remember(packet, frame, ts)
            return None
        return self.shared.lookup(packet)

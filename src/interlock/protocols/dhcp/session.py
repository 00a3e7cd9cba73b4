"""Pairing DHCP replies with requests by transaction id across UDP flows.

A client without an address broadcasts from 0.0.0.0:68 and the server answers from its
own address (to the broadcast address or to the offered one): request and reply travel
on different flows, so the newest requests are kept engine-wide, by xid (bounded).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.dhcp.message import DhcpMessage

MAX_PENDING: Final = 1024


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: DhcpMessage


class DhcpRequests:
    __slots__ = ("requests",)

    def __init__(self) -> None:
        self.requests: dict[int, SeenRequest] = {}


class DhcpSession:
    __slots__ = ("shared",)

    def __init__(self, shared: DhcpRequests | None = None) -> None:
        self.shared = shared if shared is not None else DhcpRequests()

    def observe(
        self, message: DhcpMessage, is_request: bool, frame: int, ts: float
    ) -> SeenRequest | None:
        requests = self.shared.requests
        if message.is_request:
            if message.xid in requests:
                del requests[message.xid]
            elif len(requests) >= MAX_PENDING:
                del requests[next(iter(requests))]
            requests[message.xid] = SeenRequest(frame, ts, message)
            return None
        return requests.get(message.xid)

"""Pairing SNMP responses with requests within one UDP flow: by request-id (v1, v2c)
or msgID (v3), the newest MAX_PENDING requests kept (bounded)."""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.snmp.message import SnmpMessage

MAX_PENDING: Final = 256


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: SnmpMessage


class SnmpSession:
    __slots__ = ("requests",)

    def __init__(self) -> None:
        self.requests: dict[tuple[int, int], SeenRequest] = {}

    def observe(
        self, message: SnmpMessage, is_request: bool, frame: int, ts: float
    ) -> SeenRequest | None:
        """Record a request, or return the request a response (or report) answers. The
        PDU type says which is which, whichever side sent it (informs go to the manager)."""
        key = message.pairing_id
        if message.is_request:
            requests = self.requests
            if key in requests:
                del requests[key]
            elif len(requests) >= MAX_PENDING:
                del requests[next(iter(requests))]
            requests[key] = SeenRequest(frame, ts, message)
            return None
        if message.is_response:
            return self.requests.get(key)
        return None

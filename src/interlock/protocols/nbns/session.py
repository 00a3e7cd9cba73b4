"""Pairing NBNS responses with requests engine-wide, by transaction id and name.

A broadcast query goes to the subnet's broadcast address and its answer comes back
unicast: request and response travel on different UDP flows, so the newest requests are
kept for the whole engine (bounded), keyed by transaction id and the name asked about.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.nbns.message import NbnsMessage

MAX_PENDING: Final = 1024


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: NbnsMessage


def pairing_key(message: NbnsMessage) -> tuple[int, str]:
    name = message.name
    return (message.id, name.text.lower() if name is not None else "")


class NbnsRequests:
    __slots__ = ("requests",)

    def __init__(self) -> None:
        self.requests: dict[tuple[int, str], SeenRequest] = {}


class NbnsSession:
    __slots__ = ("shared",)

    def __init__(self, shared: NbnsRequests | None = None) -> None:
        self.shared = shared if shared is not None else NbnsRequests()

    def observe(
        self, message: NbnsMessage, is_request: bool, frame: int, ts: float
    ) -> SeenRequest | None:
        requests = self.shared.requests
        key = pairing_key(message)
        if not message.is_response:
            if key in requests:
                del requests[key]
            elif len(requests) >= MAX_PENDING:
                del requests[next(iter(requests))]
            requests[key] = SeenRequest(frame, ts, message)
            return None
        return requests.get(key)

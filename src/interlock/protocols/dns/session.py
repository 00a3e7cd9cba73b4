"""Query/response pairing for one DNS flow (a UDP 5-tuple or a TCP connection), bounded.

A response pairs with the most recent query carrying the same id and question (the
first question's name, case-insensitive, type and class). Queries stay after they are
answered so that a repeated response still pairs; only the newest MAX_PENDING are kept.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.dns.message import DnsMessage

MAX_PENDING: Final = 256

PairingKey = tuple[int, str, int, int]


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: DnsMessage
    """The query (named adu as every protocol's request is, for the transaction sink)."""


def pairing_key(message: DnsMessage) -> PairingKey:
    """What a query shares with its response: id and first question."""
    q = message.question
    if q is None:
        return (message.id, "", -1, -1)
    return (message.id, q.name.lower(), q.qtype, q.qclass)


class DnsSession:
    __slots__ = ("queries",)

    def __init__(self) -> None:
        self.queries: dict[PairingKey, SeenRequest] = {}

    def observe(
        self, message: DnsMessage, is_request: bool, frame: int, ts: float
    ) -> SeenRequest | None:
        """Record a query, or return the query a response answers. The QR bit decides
        which is which (is_request, the engine's view by TCP client, is not needed)."""
        key = pairing_key(message)
        if message.is_response:
            return self.queries.get(key)
        queries = self.queries
        if key in queries:
            del queries[key]  # re-inserted last: insertion order stays age order
        elif len(queries) >= MAX_PENDING:
            del queries[next(iter(queries))]
        queries[key] = SeenRequest(frame, ts, message)
        return None

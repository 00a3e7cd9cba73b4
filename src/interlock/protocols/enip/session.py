"""Request/response pairing and CIP connections for one EtherNet/IP conversation.

Pairing follows Wireshark's: an unconnected message (SendRRData) answers the latest
earlier request with the same session handle and sender context; connected data
(SendUnitData) answers the latest request with the same connection and CIP sequence
count (the connection unknown counts as one). Other commands (ListIdentity,
RegisterSession...) pair by command and sender context, for the transaction model.

A successful Forward Open reply opens a connection (see connections): its connection ids
then name the connected data (or the I/O datagrams) of both directions, and its triad
names the Forward Close that ends it. Bounded: the newest MAX_PENDING requests and
MAX_CONNECTIONS connections are kept.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.cip.connection import (
    Triad,
    forward_close_triad,
    forward_open_reply,
    forward_open_request,
)
from interlock.protocols.enip.commands import SEND_RR_DATA, SEND_UNIT_DATA
from interlock.protocols.enip.connections import Connection, ConnectionTable
from interlock.protocols.enip.encap import EnipPacket

MAX_PENDING: Final = 1024
MAX_CONNECTIONS: Final = 1024
_IO_CLASSES: Final = (0, 1)


class EnipContext(NamedTuple):
    """What the session knows about a packet: the request a response answers (adu, frame,
    ts, all None when unmatched), the connection its connected data belongs to, and the
    connection the Forward Close it carries ends."""

    adu: EnipPacket | None
    frame: int | None
    ts: float | None
    connection: Connection | None
    closing: Connection | None = None


def pairing_key(packet: EnipPacket, connection: Connection | None = None) -> tuple[object, ...]:
    """What a request shares with its response."""
    if packet.command == SEND_UNIT_DATA:
        uid = connection.uid + 1 if connection is not None else 0
        return (SEND_UNIT_DATA, packet.session, uid, packet.sequence)
    if packet.command == SEND_RR_DATA:
        return (SEND_RR_DATA, packet.session, packet.context)
    return (packet.command, packet.context)


class EnipSession:
    """One conversation's pending requests and connections; I/O connections go to the
    engine-wide table given (a private one when there is none)."""

    __slots__ = ("by_triad", "explicit", "io", "opened", "requests")

    def __init__(self, io: ConnectionTable | None = None) -> None:
        self.requests: dict[tuple[object, ...], EnipContext] = {}
        self.explicit = ConnectionTable()
        self.io = io if io is not None else ConnectionTable()
        self.by_triad: dict[Triad, Connection] = {}
        self.opened = 0

    def observe(
        self, packet: EnipPacket, is_request: bool, frame: int, ts: float
    ) -> EnipContext | None:
        """The request a response answers and the connection a packet belongs to (None when
        neither is known)."""
        if packet.is_io:  # cyclic data answers nothing; it may name an I/O connection
            connection = self.io.lookup(packet.connection_id, True)
            return EnipContext(None, None, None, connection) if connection else None
        connection = self._connection_of(packet, is_request)
        key = pairing_key(packet, connection)
        if is_request:
            requests = self.requests
            if key in requests:
                del requests[key]  # re-insert so that insertion order stays age order
            elif len(requests) >= MAX_PENDING:
                del requests[next(iter(requests))]
            requests[key] = EnipContext(packet, frame, ts, connection)
            closing = self._closing(packet)
            if connection is None and closing is None:
                return None
            return EnipContext(None, None, None, connection, closing)
        request = self.requests.get(key)
        if request is None:
            return EnipContext(None, None, None, connection) if connection else None
        if request.adu is not None and packet.cip is not None:
            self._maybe_open(request, packet, frame)
        return EnipContext(request.adu, request.frame, request.ts, connection)

    def _connection_of(self, packet: EnipPacket, is_request: bool) -> Connection | None:
        if packet.command == SEND_UNIT_DATA and packet.connection_id >= 0:
            return self.explicit.lookup(packet.connection_id, is_request)
        return None

    def _closing(self, packet: EnipPacket) -> Connection | None:
        """The connection a Forward Close request names by its triad."""
        triad = forward_close_triad(packet.cip) if packet.cip is not None else None
        return self.by_triad.get(triad) if triad is not None else None

    def _maybe_open(self, request: EnipContext, reply: EnipPacket, frame: int) -> None:
        assert request.adu is not None and reply.cip is not None
        asked = request.adu.cip
        if asked is None or not asked.is_forward_open:
            return
        params = forward_open_request(asked)
        granted = forward_open_reply(reply.cip)
        if params is None or granted is None or params.is_null:
            return
        previous = self.by_triad.get(params.triad)
        if previous is not None:
            self._forget(previous)  # the same triad opened again: the newer connection wins
        elif len(self.by_triad) >= MAX_CONNECTIONS:
            self._forget(next(iter(self.by_triad.values())))
        assert request.frame is not None
        connection = Connection(
            self.opened, asked.route, params, granted.o2t_id, granted.t2o_id, request.frame, frame
        )
        self.opened += 1
        self.by_triad[params.triad] = connection
        io = params.transport_class in _IO_CLASSES
        (self.io if io else self.explicit).add(connection)

    def _forget(self, connection: Connection) -> None:
        self.by_triad.pop(connection.request.triad, None)
        self.explicit.forget(connection)
        self.io.forget(connection)

"""CIP connections as a conversation sees them: opened by a successful Forward Open,
named afterwards by their connection ids (one per direction) and by their triad.

Explicit messaging connections (transport classes 2 and 3) carry SendUnitData on the TCP
conversation that opened them; I/O connections (classes 0 and 1) carry UDP datagrams of
their own, so their table is shared by all of an engine's EtherNet/IP sessions (the
engine makes one with new_shared). Bounded: the newest MAX_CONNECTIONS are kept.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.cip.connection import ConnectionRequest
from interlock.protocols.cip.epath import Path

MAX_CONNECTIONS: Final = 4096


class Connection(NamedTuple):
    """A CIP connection opened by a Forward Open that was seen to succeed."""

    uid: int
    """Order of opening in the conversation (Wireshark's connection index)."""
    path: Path
    """The Forward Open's connection path."""
    request: ConnectionRequest
    o2t_id: int
    t2o_id: int
    open_frame: int
    reply_frame: int


class ConnectionTable:
    """Connections by connection id, in each direction."""

    __slots__ = ("by_o2t", "by_t2o")

    def __init__(self) -> None:
        self.by_o2t: dict[int, Connection] = {}
        self.by_t2o: dict[int, Connection] = {}

    def add(self, connection: Connection) -> None:
        if len(self.by_o2t) >= MAX_CONNECTIONS:
            self.forget(next(iter(self.by_o2t.values())))
        self.by_o2t[connection.o2t_id] = connection
        self.by_t2o[connection.t2o_id] = connection

    def forget(self, connection: Connection) -> None:
        if self.by_o2t.get(connection.o2t_id) is connection:
            del self.by_o2t[connection.o2t_id]
        if self.by_t2o.get(connection.t2o_id) is connection:
            del self.by_t2o[connection.t2o_id]

    def lookup(self, connection_id: int, o2t_first: bool) -> Connection | None:
        """The connection an id names; O->T ids are tried first for what the originator
        sends, T->O ids first for what the target sends (as Wireshark does)."""
        first, second = (self.by_o2t, self.by_t2o) if o2t_first else (self.by_t2o, self.by_o2t)
        return first.get(connection_id) or second.get(connection_id)

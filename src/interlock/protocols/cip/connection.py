"""Connection Manager parameters: Forward Open, Large Forward Open and Forward Close.

CIP Volume 1, 3-5.5.2 (Forward Open / Large Forward Open request and reply) and 3-5.5.3
(Forward Close). A connection is named by its triad (connection serial number, originator
vendor id, originator serial number) and carries one connection id per direction.
Pure; a request or reply too short for its fixed fields decodes to None.
"""

from __future__ import annotations

import struct
from typing import Final, Literal, NamedTuple

from interlock.protocols.cip.message import CipMessage
from interlock.protocols.cip.services import LARGE_FORWARD_OPEN

_OPEN = struct.Struct("<BBIIHHIB3xIHIHB")
_LARGE_OPEN = struct.Struct("<BBIIHHIB3xIIIIB")
_OPEN_REPLY = struct.Struct("<IIHHIII")
_CLOSE = struct.Struct("<BBHHI")

CONNECTION_TYPES: Final = {0: "null", 1: "multicast", 2: "point_to_point", 3: "reserved"}


class Triad(NamedTuple):
    connection_serial: int
    vendor_id: int
    originator_serial: int


class ConnectionRequest(NamedTuple):
    """What a Forward Open asks for."""

    o2t_id: int
    t2o_id: int
    triad: Triad
    o2t_rpi: int
    t2o_rpi: int
    o2t_type: int
    """Connection type (0 null, 1 multicast, 2 point to point) from the network parameters."""
    t2o_type: int
    transport: int
    """Transport class and trigger byte; the class is its low nibble."""

    @property
    def transport_class(self) -> int:
        return self.transport & 0x0F

    @property
    def is_null(self) -> bool:
        return self.o2t_type == 0 and self.t2o_type == 0


class ForwardOpenReply(NamedTuple):
    o2t_id: int
    t2o_id: int
    triad: Triad
    o2t_api: int
    t2o_api: int


def forward_open_request(msg: CipMessage) -> ConnectionRequest | None:
    if not msg.is_forward_open:
        return None
    large = msg.service_raw == LARGE_FORWARD_OPEN
    layout = _LARGE_OPEN if large else _OPEN
    if len(msg.data) < layout.size:
        return None
    (_tick, _ticks, o2t, t2o, serial, vendor, orig, _mult, o2t_rpi, o2t_params, t2o_rpi,
     t2o_params, transport) = layout.unpack_from(msg.data)  # fmt: skip
    shift = 29 if large else 13
    return ConnectionRequest(
        o2t,
        t2o,
        Triad(serial, vendor, orig),
        o2t_rpi,
        t2o_rpi,
        (o2t_params >> shift) & 3,
        (t2o_params >> shift) & 3,
        transport,
    )


def forward_open_reply(msg: CipMessage) -> ForwardOpenReply | None:
    """The connection a successful Forward Open reply grants (None for a failure)."""
    if msg.general_status != 0 or len(msg.data) < _OPEN_REPLY.size:
        return None
    o2t, t2o, serial, vendor, orig, o2t_api, t2o_api = _OPEN_REPLY.unpack_from(msg.data)
    return ForwardOpenReply(o2t, t2o, Triad(serial, vendor, orig), o2t_api, t2o_api)


ReplyShape = Literal["complete", "short", "empty", "truncated"]


def reply_shape(request: CipMessage, reply: CipMessage) -> ReplyShape:
    """How much of a Forward Open or Close reply is there (3-5.5.2.2, 3-5.5.3.2; a failure
    carries the triad and the remaining path size): "truncated" when its fixed fields (or
    a Forward Open's application reply) are cut short, "short" when a Forward Close's
    application reply is missing altogether, "empty" when it has no data at all."""
    data = reply.data
    if not data:
        return "empty"
    if reply.general_status != 0:
        return "complete" if len(data) >= 10 else "truncated"
    fixed = 10 if request.is_forward_close else 26
    if len(data) < fixed:
        return "truncated"
    wanted = 2 * data[fixed - 2]
    if request.is_forward_close:
        return "short" if wanted and len(data) == fixed else "complete"
    return "complete" if len(data) >= fixed + wanted else "truncated"


def forward_close_triad(msg: CipMessage) -> Triad | None:
    if not msg.is_forward_close or len(msg.data) < _CLOSE.size:
        return None
    _tick, _ticks, serial, vendor, orig = _CLOSE.unpack_from(msg.data)
    return Triad(serial, vendor, orig)


def encode_forward_open(request: ConnectionRequest, path: bytes, large: bool = False) -> bytes:
    """Forward Open request data (after the Connection Manager request path)."""
    shift = 29 if large else 13
    o2t_params = (request.o2t_type << shift) | 500
    t2o_params = (request.t2o_type << shift) | 500
    layout = _LARGE_OPEN if large else _OPEN
    fixed = layout.pack(
        0x0A, 0x0E, request.o2t_id, request.t2o_id, *request.triad, 1,
        request.o2t_rpi, o2t_params, request.t2o_rpi, t2o_params, request.transport,
    )  # fmt: skip
    return fixed + bytes((len(path) // 2,)) + path


def encode_forward_open_reply(reply: ForwardOpenReply) -> bytes:
    return _OPEN_REPLY.pack(
        reply.o2t_id, reply.t2o_id, *reply.triad, reply.o2t_api, reply.t2o_api
    ) + bytes((0, 0))


def encode_forward_close(triad: Triad, path: bytes) -> bytes:
    return _CLOSE.pack(0x0A, 0x0E, *triad) + bytes((len(path) // 2, 0)) + path

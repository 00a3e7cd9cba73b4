"""Forward Open, Large Forward Open and Forward Close parameters (CIP Volume 1, 3-5.5)."""

from __future__ import annotations

import struct

from interlock.protocols.cip.connection import (
    ConnectionRequest,
    ForwardOpenReply,
    Triad,
    encode_forward_close,
    encode_forward_open,
    encode_forward_open_reply,
    forward_close_triad,
    forward_open_reply,
    forward_open_request,
    reply_shape,
)
from interlock.protocols.cip.epath import encode_logical, encode_port
from interlock.protocols.cip.message import encode_request, encode_response, parse_message

CM = encode_logical("class", 6) + encode_logical("instance", 1)
PATH = encode_port(1, 0) + encode_logical("class", 2) + encode_logical("instance", 1)
TRIAD = Triad(0x1234, 1, 0xC0FFEE)
ASK = ConnectionRequest(0x80010001, 0x00420007, TRIAD, 500_000, 250_000, 2, 1, 0xA3)


def parse(raw: bytes):  # type: ignore[no-untyped-def]
    return parse_message(raw, 0, len(raw))


def test_forward_open_and_large_forward_open_round_trip() -> None:
    for service, large in ((0x54, False), (0x5B, True)):
        msg = parse(encode_request(service, CM, encode_forward_open(ASK, PATH, large)))
        decoded = forward_open_request(msg)
        assert decoded == ASK
        assert decoded is not None and decoded.transport_class == 3 and not decoded.is_null


def test_forward_open_reply() -> None:
    granted = ForwardOpenReply(0x11, 0x22, TRIAD, 500_000, 250_000)
    reply = parse(encode_response(0x54, 0, encode_forward_open_reply(granted)))
    assert forward_open_reply(reply) == granted
    request = parse(encode_request(0x54, CM, encode_forward_open(ASK, PATH)))
    assert reply_shape(request, reply) == "complete"
    assert reply_shape(request, parse(encode_response(0x54, 0, b"\x00" * 20))) == "truncated"
    assert reply_shape(request, parse(encode_response(0x54, 0x01))) == "empty"
    failure = parse(encode_response(0x54, 0x01, struct.pack("<HHIBB", *TRIAD, 0, 0), (0x100,)))
    assert forward_open_reply(failure) is None and reply_shape(request, failure) == "complete"


def test_forward_close_names_its_connection_by_triad() -> None:
    msg = parse(encode_request(0x4E, CM, encode_forward_close(TRIAD, PATH)))
    assert msg.is_forward_close and forward_close_triad(msg) == TRIAD
    assert [s.kind for s in msg.route.segments] == ["port", "class", "instance"]
    assert forward_close_triad(parse(encode_request(0x4E, CM, b"\x00"))) is None


def test_a_null_forward_open_opens_nothing() -> None:
    null = ASK._replace(o2t_type=0, t2o_type=0)
    msg = parse(encode_request(0x54, CM, encode_forward_open(null, PATH)))
    decoded = forward_open_request(msg)
    assert decoded is not None and decoded.is_null

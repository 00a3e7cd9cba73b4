"""Message Router requests and responses (CIP Volume 1, 2-4), with the services that
frame other messages: Multiple Service Packet, Unconnected Send, Forward Open/Close."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.cip.connection import ConnectionRequest, Triad, encode_forward_open
from interlock.protocols.cip.epath import encode_logical, encode_port, encode_symbol
from interlock.protocols.cip.message import (
    CipMessage,
    encode_multiple_service,
    encode_request,
    encode_response,
    encode_unconnected_send,
    parse_message,
    unconnected_send_failed,
)

IDENTITY = encode_logical("class", 1) + encode_logical("instance", 1)
CONNECTION_MANAGER = encode_logical("class", 6) + encode_logical("instance", 1)
ROUTER = encode_logical("class", 2) + encode_logical("instance", 1)


def parse(raw: bytes) -> CipMessage:
    return parse_message(raw, 0, len(raw))


def test_request() -> None:
    raw = encode_request(0x0E, IDENTITY + encode_logical("attribute", 7), b"\xaa")
    msg = parse(raw)
    assert (msg.service_raw, msg.service, msg.is_response) == (0x0E, 0x0E, False)
    assert (msg.class_id, msg.path.last("instance"), msg.path.last("attribute")) == (1, 1, 7)
    assert msg.data == b"\xaa" and msg.general_status == -1 and msg.anomalies == ()


def test_response_with_extended_status() -> None:
    msg = parse(encode_response(0x10, 0x0E, b"\x01", (0x1234, 0x0001)))
    assert (msg.service_raw, msg.service, msg.is_response) == (0x90, 0x10, True)
    assert msg.general_status == 0x0E and msg.extended_status == (0x1234, 0x0001)
    assert msg.data == b"\x01" and msg.path.segments == ()


def test_multiple_service_packet_both_ways() -> None:
    inner = [encode_request(0x0E, IDENTITY + encode_logical("attribute", a)) for a in (1, 7)]
    inner.append(encode_request(0x4C, encode_symbol("Motor_Speed"), b"\x01\x00"))
    request = parse(encode_request(0x0A, ROUTER, encode_multiple_service(inner)))
    assert [m.service for m in request.embedded] == [0x0E, 0x0E, 0x4C]
    assert request.embedded[2].path.symbols == ("Motor_Speed",)
    replies = [
        encode_response(0x0E, 0, b"\x01\x00"),
        encode_response(0x0E, 0x14),
        b"\xcc\x00\x00\x00",
    ]
    response = parse(encode_response(0x0A, 0x1E, encode_multiple_service(replies)))
    assert [(m.service_raw, m.general_status) for m in response.embedded] == [
        (0x8E, 0),
        (0x8E, 0x14),
        (0xCC, 0),
    ]


def test_multiple_service_packet_with_a_bad_offset() -> None:
    first = encode_request(0x0E, IDENTITY)
    offsets = (6).to_bytes(2, "little") + (6 + len(first)).to_bytes(2, "little")
    msg = parse(encode_request(0x0A, ROUTER, b"\x02\x00" + offsets + first))  # no second
    assert len(msg.embedded) == 1 and "cip.msp_offset_invalid" in msg.anomalies


def test_unconnected_send_carries_a_request_and_a_route() -> None:
    inner = encode_request(0x01, IDENTITY)
    raw = encode_request(
        0x52, CONNECTION_MANAGER, encode_unconnected_send(inner, encode_port(1, 0))
    )
    msg = parse(raw)
    assert msg.is_unconnected_send and msg.embedded[0].service == 0x01
    assert [(s.kind, s.value) for s in msg.route.segments] == [("port", 1)]
    no_route = parse(raw[:-4])
    assert no_route.embedded and "cip.route_path_missing" in no_route.anomalies
    cut = parse(raw[:-9])
    assert cut.embedded == () and "cip.unconnected_send_truncated" in cut.anomalies


def test_forward_open_connection_path() -> None:
    request = ConnectionRequest(1, 2, Triad(3, 4, 5), 1000, 1000, 2, 2, 0xA3)
    path = encode_port(1, 0) + ROUTER
    msg = parse(encode_request(0x54, CONNECTION_MANAGER, encode_forward_open(request, path)))
    assert msg.is_forward_open and not msg.is_forward_close
    assert [s.kind for s in msg.route.segments] == ["port", "class", "instance"]
    large = parse(
        encode_request(0x5B, CONNECTION_MANAGER, encode_forward_open(request, path, large=True))
    )
    assert large.is_forward_open and large.route == msg.route


def test_the_router_own_failures() -> None:
    assert unconnected_send_failed(parse(encode_response(0x52, 0x01, b"\x01\x00", (0x0204,))))
    assert unconnected_send_failed(parse(encode_response(0x52, 0x04, b"\x01\x00")))
    assert not unconnected_send_failed(parse(encode_response(0x52, 0x01, b"", (0x0100,))))
    assert not unconnected_send_failed(parse(encode_response(0x0E, 0x01, b"", (0x0204,))))


def test_truncated_messages_carry_anomalies() -> None:
    assert parse(b"").anomalies == ("cip.empty",)
    assert parse(b"\x0e").anomalies == ("cip.truncated",)
    assert parse(b"\x8e\x00\x05").general_status == 5
    assert "cip.path_truncated" in parse(b"\x0e\x03\x20\x01").anomalies
    assert "cip.status_truncated" in parse(b"\x8e\x00\x01\x02\x00").anomalies


def test_embedding_depth_is_bounded() -> None:
    raw = encode_request(0x0E, IDENTITY)
    for _ in range(20):
        raw = encode_request(0x0A, ROUTER, encode_multiple_service([raw]))
    depth, msg = 0, parse(raw)
    while msg.embedded:
        depth, msg = depth + 1, msg.embedded[0]
    assert depth == 8


@settings(max_examples=400)
@given(st.binary(max_size=160), st.integers(0, 8), st.integers(0, 8))
def test_parsing_never_raises_nor_reads_past_its_range(data: bytes, lead: int, trail: int) -> None:
    start, end = min(lead, len(data)), max(min(lead, len(data)), len(data) - trail)
    msg = parse_message(data, start, end)
    assert msg == parse_message(data[start:end], 0, end - start)
    assert len(msg.data) <= end - start


@settings(max_examples=200)
@given(st.lists(st.binary(max_size=12), max_size=6), st.booleans())
def test_services_in_a_packet_survive_any_content(bodies: list[bytes], response: bool) -> None:
    inner = [bytes((0x8E if response else 0x0E,)) + b for b in bodies]
    packed = encode_multiple_service(inner)
    raw = encode_response(0x0A, 0, packed) if response else encode_request(0x0A, ROUTER, packed)
    msg = parse(raw)
    assert len(msg.embedded) <= len(bodies)

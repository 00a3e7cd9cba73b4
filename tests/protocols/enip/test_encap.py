"""EtherNet/IP encapsulation (CIP Volume 2, 2-3) and Common Packet Format (2-6), framed and
parsed from packets built with the project's own encoders."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.cip.epath import encode_logical
from interlock.protocols.cip.message import encode_request
from interlock.protocols.enip import commands as cmd
from interlock.protocols.enip.cpf import encode_identity, encode_items
from interlock.protocols.enip.encap import (
    HEADER_LEN,
    encode,
    encode_command_data,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from protocols.enip.session_capture import CONTROLLER, PLC, rr_data, unit_data

GAS = encode_request(0x0E, encode_logical("class", 1) + encode_logical("instance", 1))


def whole(raw: bytes):  # type: ignore[no-untyped-def]
    return parse(raw, 0, len(raw))


def test_header_fields() -> None:
    raw = encode(cmd.REGISTER_SESSION, b"\x01\x00\x00\x00", 0x11223344, 0, 0x0102030405060708)
    packet = whole(raw)
    assert (packet.command, packet.length, packet.session, packet.status) == (
        0x65,
        4,
        0x11223344,
        0,
    )
    assert packet.context == 0x0102030405060708 and packet.anomalies == ()
    assert unit_length(raw, 0) == len(raw) == HEADER_LEN + 4
    assert parse_exact(raw, 0, len(raw)) == packet


def test_send_rr_data_carries_an_unconnected_message() -> None:
    packet = whole(rr_data(GAS, 7))
    assert packet.command == cmd.SEND_RR_DATA and packet.interface == 0 and packet.context == 7
    assert [i.type_id for i in packet.items] == [cmd.ITEM_NULL_ADDRESS, cmd.ITEM_UNCONNECTED_DATA]
    assert packet.cip is not None and packet.cip.service == 0x0E and packet.cip.class_id == 1


def test_send_unit_data_carries_a_sequence_count_and_a_message() -> None:
    packet = whole(unit_data(0x80010001, 42, GAS))
    assert (packet.connection_id, packet.sequence) == (0x80010001, 42)
    assert packet.cip is not None and packet.cip.service == 0x0E


def test_a_non_cip_interface_carries_no_message() -> None:
    items = encode_items([(0, b""), (cmd.ITEM_UNCONNECTED_DATA, GAS)])
    packet = whole(encode(cmd.SEND_RR_DATA, encode_command_data(items, interface=5)))
    assert packet.interface == 5 and packet.cip is None


def test_list_identity_reply() -> None:
    raw = encode(cmd.LIST_IDENTITY, encode_items([(0x0C, encode_identity(CONTROLLER, PLC))]))
    (identity,) = whole(raw).identities
    assert identity == CONTROLLER
    assert identity.revision == "20.11" and identity.details()["serial_number"] == "0x60d1e2f3"


def test_class_1_io_datagram() -> None:
    raw = encode_items([(0x8002, struct.pack("<II", 0x80020003, 9)), (0x00B1, b"\x01\x00\x55")])
    assert unit_length(raw, 0) == 0  # one datagram, one unit
    packet = whole(raw)
    assert packet.is_io and (packet.connection_id, packet.sequence) == (0x80020003, 9)


def test_malformed_packets_carry_anomalies() -> None:
    raw = rr_data(GAS)
    assert "enip.truncated" in whole(raw[:-3]).anomalies
    assert whole(raw[:10]).anomalies == ("enip.truncated",)
    assert "enip.length_mismatch" in whole(raw + b"\x00").anomalies
    assert "enip.command_unknown" in whole(encode(0x0001)).anomalies
    cut_items = encode(cmd.LIST_IDENTITY, b"\x02\x00\x0c\x00\x40\x00")
    assert "enip.cpf_item_truncated" in whole(cut_items).anomalies


def test_start_test_and_probe() -> None:
    raw = rr_data(GAS)
    assert starts_unit(raw, 0, len(raw)) and not starts_unit(raw, 0, 1)
    assert probe(raw, 0, len(raw))
    assert not probe(raw + b"\x00", 0, len(raw) + 1)  # length disagrees with the segment
    assert not probe(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0, 27)


@settings(max_examples=400)
@given(st.binary(max_size=200), st.integers(0, 12), st.integers(0, 12))
def test_parsing_never_raises_nor_reads_past_its_range(data: bytes, lead: int, trail: int) -> None:
    start, end = min(lead, len(data)), max(min(lead, len(data)), len(data) - trail)
    packet = parse(data, start, end)
    assert packet == parse(data[start:end], 0, end - start)
    exact = parse_exact(data, start, end)
    assert exact is None or exact == packet
    assert unit_length(data, start) >= 0


@settings(max_examples=200)
@given(st.binary(max_size=60), st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFF))
def test_any_cip_payload_survives_the_encapsulation(cip: bytes, session: int, seq: int) -> None:
    for raw in (rr_data(cip, session=session), unit_data(session, seq, cip)):
        packet = whole(raw)
        assert packet.anomalies == () and packet.length == len(raw) - HEADER_LEN

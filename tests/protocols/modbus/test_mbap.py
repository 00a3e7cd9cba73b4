"""MBAP framing and ADU parsing, against frames encoded by pymodbus (a real stack)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pymodbus.framer import FramerSocket
from pymodbus.pdu import DecodePDU
from pymodbus.pdu.register_message import ReadHoldingRegistersRequest, WriteMultipleRegistersRequest

from interlock.protocols.modbus.mbap import (
    encode_adu,
    parse_adu,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)


def pymodbus_frame(pdu: object) -> bytes:
    framer = FramerSocket(DecodePDU(is_server=False))
    return framer.buildFrame(pdu)  # type: ignore[arg-type]


def test_parses_a_request_built_by_pymodbus() -> None:
    frame = pymodbus_frame(
        ReadHoldingRegistersRequest(address=100, count=7, dev_id=4, transaction_id=9)
    )
    adu = parse_adu(frame, 0, len(frame))
    assert (adu.trans_id, adu.unit_id, adu.function, adu.is_exception) == (9, 4, 3, False)
    assert adu.pdu == bytes.fromhex("03006400 07".replace(" ", ""))
    assert adu.anomalies == ()
    assert unit_length(frame, 0) == len(frame)
    assert starts_unit(frame, 0, len(frame))
    assert probe(frame, 0, len(frame))


def test_encode_matches_pymodbus_and_round_trips() -> None:
    request = WriteMultipleRegistersRequest(
        address=10, registers=[1, 2, 0xFFFF], dev_id=1, transaction_id=77
    )
    frame = pymodbus_frame(request)
    adu = parse_adu(frame, 0, len(frame))
    assert encode_adu(adu.trans_id, adu.unit_id, adu.pdu) == frame


def test_exception_response() -> None:
    frame = encode_adu(5, 1, bytes([0x83, 0x02]))
    adu = parse_adu(frame, 0, len(frame))
    assert adu.function == 3 and adu.is_exception and adu.function_raw == 0x83


def test_irregular_units_carry_anomalies_not_exceptions() -> None:
    bad_protocol = bytes.fromhex("0001 0007 0002 01 03".replace(" ", ""))
    assert parse_adu(bad_protocol, 0, len(bad_protocol)).anomalies == ("modbus.protocol_id",)
    assert parse_exact(bad_protocol, 0, len(bad_protocol)) is None
    short = bytes.fromhex("0001 0000 0001 01".replace(" ", ""))
    assert "modbus.length_too_short" in parse_adu(short, 0, len(short)).anomalies
    cut = bytes.fromhex("0001 0000")
    adu = parse_adu(cut, 0, len(cut))
    assert adu.anomalies == ("modbus.truncated",) and adu.function == -1


def test_start_test_follows_wireshark() -> None:
    frame = encode_adu(1, 1, b"\x03\x00\x00\x00\x01")
    assert not starts_unit(frame[:7], 0, 7)  # Wireshark wants 8 bytes to call it Modbus
    assert not starts_unit(b"\x00\x01\x00\x01" + frame[4:], 0, len(frame))  # protocol id 1
    assert not starts_unit(frame[:4] + b"\x00\x01" + frame[6:], 0, len(frame))  # length 1


@settings(max_examples=300)
@given(st.binary(max_size=300), st.integers(0, 20))
def test_parsing_never_raises_nor_reads_past_its_range(data: bytes, offset: int) -> None:
    start = min(offset, len(data))
    end = len(data)
    adu = parse_adu(data, start, end)
    assert len(adu.pdu) <= end - start
    assert adu.pdu == data[start + 7 : end] or adu.function == -1
    exact = parse_exact(data, start, end)
    assert exact is None or exact == adu
    assert unit_length(data, start) >= 0
    starts_unit(data, start, end)
    probe(data, start, end)

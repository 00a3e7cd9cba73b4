"""ASDU header and information objects (IEC 60870-5-101 section 7 with 104's field sizes)."""

from __future__ import annotations

from interlock.protocols.iec104.asdu import parse_asdu
from interlock.protocols.iec104.elements import decode_element
from protocols.iec104.conversation import asdu  # tests/ is on sys.path


def test_header_fields_and_cause_bits() -> None:
    data = bytes((45, 1, 0xC7, 3, 0x0D, 0x91)) + (10010).to_bytes(3, "little") + b"\x81"
    a = parse_asdu(data, 0, len(data))
    assert (a.type_id, a.object_count, a.cause, a.negative, a.test) == (45, 1, 7, True, True)
    assert (a.originator, a.common_address, a.ioas, a.anomalies) == (3, 37133, (10010,), ())


def test_sq_objects_have_consecutive_addresses() -> None:
    data = bytes((1, 0x84, 20, 0, 10, 0)) + (1).to_bytes(3, "little") + b"\x01\x00\x01\x80"
    a = parse_asdu(data, 0, len(data))
    assert a.sq and a.ioas == (1, 2, 3, 4)
    assert [o.element for o in a.objects] == [b"\x01", b"\x00", b"\x01", b"\x80"]


def test_objects_read_as_far_as_the_bytes_go() -> None:
    data = bytes((1, 0x83, 20, 0, 10, 0)) + (1).to_bytes(3, "little") + b"\x01"
    a = parse_asdu(data, 0, len(data))
    assert a.ioas == (1, 2)  # the second IOA is listed before its element is missed
    assert a.anomalies == ("iec104.asdu_truncated",)
    short = bytes((24, 24))
    b = parse_asdu(short, 0, 2)
    assert (b.type_id, b.object_count, b.cause_raw, b.ioas) == (24, 24, -1, ())


def test_unwalked_types_show_their_first_ioa() -> None:
    data = asdu(102, 5, 2002, b"")
    a = parse_asdu(data, 0, len(data))
    assert a.ioas == (2002,) and a.anomalies == ()
    unknown = asdu(200, 3, 9, b"\x01\x02")
    assert "iec104.unknown_type" in parse_asdu(unknown, 0, len(unknown)).anomalies


def test_length_mismatch_zero_objects_and_cause_zero() -> None:
    extra = asdu(45, 6, 1, b"\x01\x00")
    assert parse_asdu(extra, 0, len(extra)).anomalies == ("iec104.asdu_length_mismatch",)
    empty = bytes((1, 0, 0, 0, 1, 0))
    assert parse_asdu(empty, 0, 6).anomalies == ("iec104.cause_zero", "iec104.no_objects")


def test_elements() -> None:
    assert decode_element(45, b"\x81") == {"state": 1, "select": True, "qualifier": "no_pulse"}
    assert decode_element(50, b"\x00\x00\x2a\x42\x00") == {
        "float": 42.5,
        "select": False,
        "qualifier": 0,
    }
    clock = decode_element(103, bytes((0xE8, 0x03, 30, 12, 0x21, 1, 26)))
    assert clock == {"time": "2026-01-01T12:30:01.000"}
    assert decode_element(100, b"\x14") == {"qoi": 20}
    assert decode_element(105, b"\x01") == {"qrp": 1}
    assert decode_element(11, b"\xac\xfe\x10")["value"] == -340
    assert decode_element(15, b"\x40\xe2\x01\x00\x00")["value"] == 123456
    assert decode_element(2, b"\x01\x10\x27\x05") == {
        "value": 1,
        "quality": [],
        "time_ms": 10000,
        "time_minute": 5,
    }
    assert decode_element(13, b"\x01") == {}  # too short: nothing claimed

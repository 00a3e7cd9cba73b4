"""The `dissect` renderer (interlock/render/dnp3_record.py): Wireshark 4.0's view of a link
frame, quirks included. Each expectation here was checked against tshark 4.0.17."""

from __future__ import annotations

import struct
from typing import Any

from interlock.protocols.dnp3.application import encode_apdu
from interlock.protocols.dnp3.crc import with_crc
from interlock.protocols.dnp3.link import encode_frame, parse_frame
from interlock.protocols.dnp3.session import Dnp3Session
from interlock.render.dnp3_record import dnp3_record
from protocols.dnp3.demo_capture import FROM_MASTER, FROM_OUTSTATION, frames, obj


def render(wires: list[bytes], from_master: bool = True) -> list[dict[str, Any]]:
    session, out = Dnp3Session(), []
    for n, wire in enumerate(wires):
        frame = parse_frame(wire, 0, len(wire))
        out.append(dnp3_record(frame, -1, session.observe(frame, from_master, n + 1, 0.0))[1])
    return out


def objects(function: int, body: bytes, iin: int | None = None) -> list[int] | None:
    from_master = function < 0x80
    apdu = encode_apdu(0xC0, function, body, iin)
    wires = frames(FROM_MASTER if from_master else FROM_OUTSTATION, 10, 1, apdu, 0)
    result: list[int] | None = render(wires, from_master)[-1].get("dnp3.al.obj")
    return result


def test_link_fields_and_primary_or_secondary_function() -> None:
    assert render([encode_frame(0xC9, 10, 1)]) == [
        {"dnp3.src": 1, "dnp3.dst": 10, "dnp3.ctl.prifunc": 9}
    ]
    assert render([encode_frame(0x0B, 1, 10)], False) == [
        {"dnp3.src": 10, "dnp3.dst": 1, "dnp3.ctl.secfunc": 11}
    ]


def test_application_fields_on_the_completing_frame_only() -> None:
    apdu = encode_apdu(0xC3, 0x81, obj(30, 1, 0x00, bytes((0, 59)), bytes(300)), iin=0x9000)
    first, last = render(frames(FROM_OUTSTATION, 1, 10, apdu, 5), False)
    assert "dnp3.al.func" not in first
    assert (
        last["dnp3.al.func"],
        last["dnp3.al.seq"],
        last["dnp3.al.iin"],
        last["dnp3.al.obj"],
    ) == (129, 3, 0x9000, [0x1E01])


def test_no_application_layer_across_a_transport_sequence_wrap() -> None:
    apdu = encode_apdu(0xC3, 0x81, obj(30, 1, 0x00, bytes((0, 59)), bytes(300)), iin=0)
    assert all(
        "dnp3.al.func" not in f for f in render(frames(FROM_OUTSTATION, 1, 10, apdu, 63), False)
    )


def test_impossible_length_shows_nothing_but_the_anomaly() -> None:
    good = encode_frame(FROM_MASTER, 10, 1, b"\xc0\xc0\x01")
    bad = with_crc(good[:2] + b"\x02" + good[3:8]) + good[10:]
    frame = parse_frame(bad, 0, len(bad))
    assert dnp3_record(frame, -1, None) == (None, {}, ("dnp3.length_invalid",))


def test_which_functions_show_iin_and_objects() -> None:
    body = obj(60, 1, 0x06)
    assert objects(0x01, body) == [0x3C01]
    assert objects(0x16, body) is None  # assign class: Wireshark 4.0 does not read its objects
    assert objects(0x20, body) is None
    assert objects(0x83, body, iin=0) is None
    assert objects(0x82, body, iin=0) == [0x3C01]


def test_wireshark_object_library_quirks() -> None:
    assert objects(0x81, obj(110, 3, 0x00, b"\x00\x00", b"abc") + obj(60, 1, 0x06), iin=0) == [
        0x6E00,
        0x3C01,
    ]
    # An object Wireshark 4.0 does not know (g4v3) swallows the rest of the fragment.
    assert objects(
        0x81, obj(4, 3, 0x00, b"\x00\x00", b"\x01\x02\x03") + obj(60, 1, 0x06), iin=0
    ) == [0x0403]
    # A 32-bit analog output command event takes one byte (then four more are read).
    assert objects(0x81, obj(43, 1, 0x00, b"\x00\x00", bytes(5)), iin=0) == [0x2B01, 0x0000]
    # Group 0 attributes: an octet string's length byte is not consumed.
    assert objects(0x81, obj(0, 200, 0x00, b"\x00\x00", b"\x05\x02\x01\x02"), iin=0) == [
        0x00C8,
        0x0201,
    ]
    # Class objects announce one object at most.
    assert objects(
        0x81, obj(60, 1, 0x17, b"\x03\x00\x01\x02") + obj(1, 2, 0x00, b"\x00\x00", b"\x81"), iin=0
    ) == [0x3C01, 0x0102]


def test_file_transport_status_one_byte_short_steps_back() -> None:
    # Object size 8 (the point index here) minus the 9-byte fixed part is -1: Wireshark
    # reads "the rest" as file data and then steps back one byte for the next header.
    status = obj(70, 6, 0x00, b"\x08\x08", struct.pack("<IIB", 1, 2, 0))
    assert objects(0x81, status + obj(60, 1, 0x06), iin=0) == [0x4606, 0x003C]

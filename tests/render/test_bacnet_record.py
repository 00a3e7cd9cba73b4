"""The BACnet renderer: Wireshark's field names and its per-segment behaviour."""

from __future__ import annotations

import struct

from interlock.protocols.bacnet.bvlc import parse
from interlock.protocols.bacnet.session import BacnetSession
from interlock.render.bacnet_record import bacnet_record


def datagram(function: int, body_hex: str) -> bytes:
    body = bytes.fromhex(body_hex.replace(" ", ""))
    return bytes((0x81, function)) + struct.pack(">H", 4 + len(body)) + body


def render(data: bytes, session: BacnetSession | None = None, from_a: bool = True) -> dict:  # type: ignore[type-arg]
    message = parse(data, 0, len(data))
    seen = (session or BacnetSession()).observe(message, from_a, 1, 0.0)
    return bacnet_record(message, -1, seen)[1]


def test_read_property_request_fields() -> None:
    fields = render(datagram(0x0A, "0104 0005 01 0c 0c02000001 194d"))
    assert fields["bvlc.function"] == 0x0A and fields["bacnet.control"] == 4
    assert (fields["bacapp.type"], fields["bacapp.confirmed_service"]) == (0, 12)
    assert fields["bacapp.invoke_id"] == 1
    assert fields["bacapp.objectType"] == [8] and fields["bacapp.instance_number"] == [1]
    assert fields["bacapp.property_identifier"] == [77]


def test_bvlc_only_and_routed_fields() -> None:
    assert render(datagram(0x05, "003c")) == {
        "bvlc.type": 0x81, "bvlc.function": 5, "bvlc.length": 6, "bvlc.reg_ttl": 60,
    }  # fmt: skip
    routed = render(datagram(0x0B, "0108 0005 01 07 1000 c4020000fa 2201e0 9100 2100"))
    assert (routed["bacnet.snet"], routed["bacnet.sadr_mstp"]) == (5, 7)
    assert routed["bacapp.unconfirmed_service"] == 0 and routed["bacapp.vendor_identifier"] == 0


def test_segments_show_the_header_and_the_last_one_the_body() -> None:
    session = BacnetSession()
    first = render(datagram(0x0A, "0104 3c0b0002 0c 0c02000001 194c 3e c400000001"), session, False)
    assert "bacapp.objectType" not in first and first["bacapp.sequence_number"] == 0
    last = render(datagram(0x0A, "0104 380b0102 0c c400000002 3f"), session, False)
    assert last["bacapp.objectType"] == [8, 0, 0] and last["bacapp.invoke_id"] == 11


def test_reject_abort_and_segment_ack_have_no_service() -> None:
    for body, reason in (
        ("0100 6004 09", "bacapp.reject_reason"),
        ("0100 7105 05", "bacapp.abort_reason"),
    ):
        fields = render(datagram(0x0A, body))
        assert reason in fields and "bacapp.confirmed_service" not in fields
    ack = render(datagram(0x0A, "0100 400b0102"))
    assert (ack["bacapp.invoke_id"], ack["bacapp.window_size"]) == (11, 2)

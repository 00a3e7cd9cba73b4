"""Segment reassembly and request pairing per flow."""

from __future__ import annotations

import struct

from interlock.protocols.bacnet.bvlc import BacnetMessage, parse
from interlock.protocols.bacnet.session import MAX_PENDING, BacnetSession


def unit(npdu_apdu: str) -> BacnetMessage:
    data = bytes.fromhex(npdu_apdu.replace(" ", ""))
    datagram = b"\x81\x0a" + struct.pack(">H", 4 + len(data)) + data
    return parse(datagram, 0, len(datagram))


REQUEST = unit("0104 0005 0b 0c 0c02000001 194c")
FIRST = unit("0104 3c0b0002 0c 0c02000001 194c 3e c400000001")
LAST = unit("0104 380b0102 0c c400000002 3f")


def test_a_segmented_ack_is_decoded_on_its_last_segment_and_paired() -> None:
    session = BacnetSession()
    assert session.observe(REQUEST, True, 1, 1.0) is not None
    first = session.observe(FIRST, False, 2, 2.0)
    assert first is not None and first.unit is None and first.body is None
    last = session.observe(LAST, False, 3, 3.0)
    assert last is not None and last.body is not None and last.unit is not None
    assert [o.instance for o in last.body.objects] == [1, 1, 2]
    assert last.request is not None and last.request.frame == 1


def test_a_missing_segment_is_an_anomaly() -> None:
    session = BacnetSession()
    seen = session.observe(LAST, False, 3, 3.0)
    assert seen is not None and seen.anomaly == "bacnet.missing_segment" and seen.body is None


def test_either_side_may_request() -> None:
    session = BacnetSession()
    session.observe(unit("0104 0005 07 0c 0c02000001 194d"), True, 1, 1.0)
    session.observe(unit("0104 0005 07 0c 0c02000002 194d"), False, 2, 2.0)
    answer = session.observe(unit("0100 2007 0f"), True, 3, 3.0)
    assert answer is not None and answer.request is not None and answer.request.frame == 2


def test_pending_requests_are_bounded() -> None:
    session = BacnetSession()
    for n in range(MAX_PENDING + 300):
        session.observe(unit(f"0104 0005 {n % 256:02x} 0c 0c02000001 194d"), n % 2 == 0, n, 0.0)
    assert len(session.requests) <= MAX_PENDING

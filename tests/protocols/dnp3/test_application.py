"""Application fragments: control, function, IIN, and the objects the model reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interlock.protocols.dnp3.application import encode_apdu, objects_of, parse_apdu
from protocols.dnp3.demo_capture import obj


def test_request_and_response_headers() -> None:
    request = parse_apdu(encode_apdu(0xC3, 0x01, obj(60, 1, 0x06)))
    assert (request.seq, request.function, request.iin, request.is_response) == (3, 1, -1, False)
    response = parse_apdu(encode_apdu(0xF5, 0x82, b"", iin=0x8201))
    assert (response.seq, response.unsolicited, response.iin, response.objects_at) == (
        5,
        True,
        0x8201,
        4,
    )
    assert objects_of(response) == ([], "")


def test_short_and_unknown_fragments() -> None:
    assert parse_apdu(b"").anomalies == ("dnp3.apdu_truncated",)
    assert parse_apdu(b"\xc0").function == -1
    assert parse_apdu(b"\xc0\x81\x00").anomalies == ("dnp3.apdu_truncated",)
    assert parse_apdu(b"\xc0\x55").anomalies == ("dnp3.function_unknown",)


def test_read_requests_are_walked_as_headers_only() -> None:
    apdu = parse_apdu(encode_apdu(0xC0, 0x01, obj(1, 2, 0x00, b"\x00\x03") + obj(30, 0, 0x06)))
    found, problem = objects_of(apdu)
    assert problem == "" and [(h.group, h.variation, h.items) for h in found] == [
        (1, 2, ()),
        (30, 0, ()),
    ]


@given(st.binary(max_size=300))
def test_parsing_never_raises(raw: bytes) -> None:
    apdu = parse_apdu(raw)
    assert apdu.raw == raw
    objects_of(apdu)

"""S7comm-plus fragments: header, data head, integrity-protected (V3) sessions, continuations."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interlock.protocols.s7comm_plus.frame import (
    encode_fragment,
    encode_request,
    has_trailer,
    parse_fragment,
)
from interlock.protocols.s7comm_plus.functions import function_info

# A V1 CreateObject request and a V2 response, as an S7-1200 and its HMI exchange them.
CREATE = bytes.fromhex("720100ca31000004ca0000000100000120360000011d")
RESPONSE = bytes.fromhex("720200103200000542000000023400000000000072020000")


def test_request_header_function_sequence_and_session() -> None:
    head = parse_fragment(CREATE, False)
    assert (head.version, head.data_length, head.opcode, head.function) == (1, 202, 0x31, 0x04CA)
    assert (head.seqnum, head.session_id, head.integrity_protected) == (1, 0x120, False)
    assert function_info(head.function)[0] == "create_object"


def test_response_and_trailer() -> None:
    head = parse_fragment(RESPONSE, False)
    assert (head.opcode, head.function, head.seqnum, head.session_id, head.last) == (
        0x32,
        0x0542,
        2,
        -1,
        True,
    )


def test_integrity_protected_sessions_are_reported_not_broken() -> None:
    digest = bytes(range(32))
    body = encode_request(0x04F2, 0x831A, 0x70000E4D)
    frame = encode_fragment(3, bytes((32,)) + digest + body)
    head = parse_fragment(frame, False)
    assert head.integrity_protected and head.digest_length == 32
    assert (head.opcode, head.function, head.seqnum) == (0x31, 0x04F2, 0x831A)


def test_a_pdu_without_trailer_is_continued_by_the_next_fragment() -> None:
    first = encode_fragment(2, encode_request(0x04CA, 0x27, 0x3BE, b"\x00" * 20), trailer=False)
    assert not has_trailer(first) and not parse_fragment(first, False).last
    follow = encode_fragment(2, b"\x00\x82\x3f\x98" + bytes(10))
    head = parse_fragment(follow, True)
    assert head.continuation and head.opcode == -1 and head.last
    resync = parse_fragment(RESPONSE, True)  # an opcode where data was expected: a new PDU
    assert not resync.continuation and resync.opcode == 0x32


def test_short_fragments_carry_anomalies() -> None:
    assert parse_fragment(b"\x72\x02", False).anomalies == ("s7comm-plus.truncated",)
    assert parse_fragment(CREATE[:12], False).anomalies == ("s7comm-plus.truncated",)


@given(st.binary(max_size=80), st.booleans())
def test_parsing_never_raises(body: bytes, follows: bool) -> None:
    head = parse_fragment(b"\x72" + body, follows)
    assert head.opcode == -1 or 0 <= head.opcode <= 0xFF

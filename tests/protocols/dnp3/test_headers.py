"""Object header walks: qualifiers, ranges, prefixes, the standard's object sizes, and the
ways a walk stops on malformed input."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.dnp3.headers import STANDARD_RULES, ObjectHeader, walk
from interlock.protocols.dnp3.qualifiers import Range, read_range
from protocols.dnp3.demo_capture import crob, obj


def headers(body: bytes, header_only: bool = False) -> tuple[list[ObjectHeader], str]:
    return walk(body, 0, header_only, STANDARD_RULES)


def test_ranges_as_wireshark_counts_them() -> None:
    assert read_range(b"\x03\x07", 0, 0x0) == Range(3, 7, 5, 2)
    assert read_range(b"\x07\x03", 0, 0x0) == Range(7, 3, -3, 2)  # bogus: negative
    assert read_range(struct.pack("<II", 2, 0), 0, 0x2).quantity == -1  # type: ignore[union-attr]
    assert read_range(b"\x09\x00", 0, 0x4) == Range(9, 9, 1, 2)
    assert read_range(b"", 0, 0x6) == Range(-1, -1, 0, 0)
    assert read_range(b"\x05\x00\x00\x80", 0, 0x9) == Range(-1, -1, -0x7FFFFFFB, 4)
    assert read_range(b"\x05", 0, 0x8) is None  # cut short
    assert read_range(b"", 0, 0xA) == Range(-1, -1, 0, 0)  # reserved


def test_a_class_poll_reads_headers_only() -> None:
    body = obj(60, 2, 0x06) + obj(60, 3, 0x06) + obj(60, 4, 0x06) + obj(60, 1, 0x06)
    found, problem = headers(body, header_only=True)
    assert problem == "" and [(h.group, h.variation) for h in found] == [
        (60, 2),
        (60, 3),
        (60, 4),
        (60, 1),
    ]


def test_crob_with_index_prefix_keeps_its_bytes() -> None:
    block = crob(0x41, 1, 100, 200)
    found, problem = headers(obj(12, 1, 0x28, struct.pack("<HH", 1, 7), block))
    assert problem == ""
    assert found[0].items == ((7, block),) and found[0].quantity == 1


def test_fixed_sizes_packed_bits_and_octet_strings() -> None:
    body = (
        obj(1, 1, 0x00, bytes((0, 9)), b"\xa5\x02")  # ten bits in two bytes
        + obj(30, 1, 0x00, bytes((0, 1)), struct.pack("<BiBi", 1, -5, 1, 7))
        + obj(110, 4, 0x17, b"\x01\x02", b"abcd")  # the variation is the length
        + obj(3, 1, 0x00, bytes((0, 4)), b"\xe4\x01")  # five double bits
    )
    found, problem = headers(body)
    assert problem == ""
    assert [len(h.items) for h in found] == [10, 2, 1, 5]
    assert [v for _, v in found[0].items][:4] == [b"\x01", b"\x00", b"\x01", b"\x00"]
    assert found[2].items == ((2, b"abcd"),)
    assert [v[0] for _, v in found[3].items] == [0, 1, 2, 3, 1]


def test_device_attributes_and_size_prefixed_objects() -> None:
    body = obj(0, 242, 0x00, b"\x00\x00", b"\x01\x05" + b"1.2.3") + obj(
        70, 5, 0x5B, b"\x01\x0a\x00", bytes(10)
    )
    found, problem = headers(body)
    assert problem == ""
    assert found[0].items == ((0, b"\x01\x051.2.3"),) and found[1].items == ((10, bytes(10)),)


def test_malformed_headers_stop_the_walk_with_a_reason() -> None:
    assert headers(b"\x0c\x01")[1] == "dnp3.object_truncated"  # no qualifier
    assert headers(b"\x0c\x01\x01\x00")[1] == "dnp3.object_truncated"  # range cut short
    assert headers(obj(1, 2, 0x00, b"\x05\x01"))[1] == "dnp3.range_invalid"
    assert headers(obj(1, 2, 0x0A))[1] == "dnp3.qualifier_reserved"
    assert headers(obj(12, 1, 0x00, b"\x00\x01", crob(1, 1, 0, 0)))[1] == "dnp3.object_truncated"
    found, problem = headers(obj(99, 1, 0x00, b"\x00\x00", b"xyz") + obj(60, 1, 0x06))
    assert problem == "dnp3.object_unknown" and len(found) == 1
    many = obj(1, 2, 0x79, struct.pack("<I", 0x7FFFFFFF))  # prefix code 7: no bytes each
    assert headers(many, header_only=True)[1] == "dnp3.object_count_excessive"


def test_a_single_trailing_byte_is_not_a_header() -> None:
    found, problem = headers(obj(60, 1, 0x06) + b"\x01")
    assert problem == "" and len(found) == 1


@settings(max_examples=500)
@given(st.binary(max_size=400), st.booleans())
def test_walks_never_raise_and_stay_inside_the_buffer(body: bytes, header_only: bool) -> None:
    found, _ = headers(body, header_only)
    assert len(found) <= len(body) // 2
    for h in found:
        assert sum(len(data) for _, data in h.items) <= len(body)

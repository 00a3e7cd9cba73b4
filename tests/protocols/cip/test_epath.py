"""EPATH segments (CIP Volume 1, C-1.4), decoded from paths encoded by hand and by the
project's own encoders."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.cip.epath import (
    encode_logical,
    encode_port,
    encode_symbol,
    parse_path,
)


def kinds_and_values(raw: bytes) -> list[tuple[str, int | str]]:
    path = parse_path(raw, 0, len(raw))
    assert path.anomalies == ()
    return [
        (s.kind, s.text if s.kind in ("symbol", "symbolic") else s.value) for s in path.segments
    ]


def test_logical_segments_of_every_width() -> None:
    raw = (
        encode_logical("class", 0x01)
        + encode_logical("instance", 0x1234)
        + encode_logical("attribute", 0x12345)
        + encode_logical("member", 2)
        + encode_logical("connection_point", 100)
    )
    assert raw[:2] == b"\x20\x01" and raw[2:6] == b"\x25\x00\x34\x12"
    assert kinds_and_values(raw) == [
        ("class", 1),
        ("instance", 0x1234),
        ("attribute", 0x12345),
        ("member", 2),
        ("connection_point", 100),
    ]


def test_port_segments_simple_extended_and_wide() -> None:
    simple = encode_port(1, 3)
    extended = b"\x12\x0b192.168.1.5\x00"  # port 2, 11-byte link address, pad
    wide = b"\x0f\x12\x00\x04"  # port 15: a 16-bit port number (0x0012) follows, link 4
    path = parse_path(simple + extended + wide, 0, len(simple + extended + wide))
    assert [(s.kind, s.value, s.text) for s in path.segments] == [
        ("port", 1, "3"),
        ("port", 2, "192.168.1.5"),
        ("port", 0x12, "4"),
    ]
    assert path.anomalies == ()


def test_symbols_padding_and_lookups() -> None:
    raw = encode_symbol("Line") + encode_symbol("Valve") + encode_logical("member", 3)
    assert encode_symbol("Valve") == b"\x91\x05Valve\x00"
    path = parse_path(raw, 0, len(raw))
    assert path.symbols == ("Line", "Valve")
    assert path.first("member") == 3 and path.last("class") is None


def test_other_segment_types() -> None:
    key = b"\x34\x04\x01\x00\x0e\x00\x5f\x00\x14\x0b"  # electronic key
    data = b"\x80\x01\x11\x22"  # simple data segment, one word
    network = b"\x43\x05"  # network segment: schedule
    symbolic = b"\x63abc"  # symbolic segment, three characters, no pad needed
    raw = key + data + network + symbolic
    assert [s.kind for s in parse_path(raw, 0, len(raw)).segments] == [
        "electronic_key",
        "data",
        "network",
        "symbolic",
    ]


def test_a_bad_segment_stops_the_walk_with_an_anomaly() -> None:
    raw = encode_logical("class", 6) + b"\xe0\x00"
    path = parse_path(raw, 0, len(raw))
    assert [s.kind for s in path.segments] == ["class"]
    assert path.anomalies == ("cip.path_segment_unsupported",)
    cut = encode_logical("instance", 0x1234)[:3]
    assert parse_path(cut, 0, len(cut)).anomalies == ("cip.path_segment_invalid",)


def test_the_path_is_read_only_within_its_range() -> None:
    raw = b"\xff" + encode_logical("class", 2) + encode_logical("instance", 1) + b"\x20"
    path = parse_path(raw, 1, 5)
    assert [(s.kind, s.value) for s in path.segments] == [("class", 2), ("instance", 1)]


@settings(max_examples=400)
@given(st.binary(max_size=80), st.integers(0, 10), st.integers(0, 10))
def test_parsing_never_raises_nor_reads_past_its_range(data: bytes, lead: int, trail: int) -> None:
    start, end = min(lead, len(data)), max(min(lead, len(data)), len(data) - trail)
    path = parse_path(data, start, end)
    assert parse_path(data[start:end], 0, end - start) == path
    assert sum(len(s.raw) for s in path.segments) <= end - start

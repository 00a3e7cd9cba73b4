"""Link-layer framing and parsing: frames built by the project's encoder and by real devices."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.dnp3.crc import with_crc
from interlock.protocols.dnp3.link import (
    MAX_FRAME,
    encode_frame,
    frame_length,
    parse_exact,
    parse_frame,
    probe,
    starts_unit,
    unit_length,
)

# An OPERATE of a CROB from the openics capture, exactly as captured.
CAPTURED = bytes.fromhex("056419c40a000100da8fc1c2040c010000010003016400000064639a00000000ffff")


def test_parses_a_captured_frame() -> None:
    frame = parse_frame(CAPTURED, 0, len(CAPTURED))
    assert (frame.length, frame.control, frame.dst, frame.src) == (25, 0xC4, 10, 1)
    assert (frame.function, frame.primary, frame.from_master) == (4, True, True)
    assert frame.data == bytes.fromhex("c1c2040c01000001000301640000006400000000")
    assert frame.data_ok and frame.carries_data and frame.anomalies == ()
    assert parse_exact(CAPTURED, 0, len(CAPTURED)) == frame


def test_encoder_round_trips_and_matches_the_capture() -> None:
    frame = parse_frame(CAPTURED, 0, len(CAPTURED))
    assert encode_frame(frame.control, frame.dst, frame.src, frame.data) == CAPTURED
    assert encode_frame(0xC9, 10, 1) == with_crc(bytes.fromhex("056405c90a000100"))


def test_frame_length_counts_one_crc_per_block() -> None:
    assert frame_length(5) == 10
    assert frame_length(6) == 13  # one data byte and its CRC
    assert frame_length(21) == 28  # 16 bytes: one full block
    assert frame_length(22) == 31  # 17 bytes: two blocks
    assert frame_length(255) == MAX_FRAME == 292
    assert unit_length(CAPTURED, 0) == len(CAPTURED)
    assert unit_length(CAPTURED[:9], 0) == 0  # the header is not complete


def test_start_test_follows_wireshark() -> None:
    assert starts_unit(b"\x05", 0, 1) and starts_unit(b"\x05\x64\x19", 0, 3)
    assert not starts_unit(b"\x06\x64", 0, 2)
    assert not starts_unit(b"\x05\x65", 0, 2)
    bad_header = CAPTURED[:4] + b"\x0b" + CAPTURED[5:]
    assert starts_unit(CAPTURED, 0, len(CAPTURED))
    assert not starts_unit(bad_header, 0, len(bad_header))  # a bad header CRC is not DNP3
    assert probe(CAPTURED, 0, len(CAPTURED))
    assert not probe(CAPTURED, 0, 20)  # the first frame must fit the segment


def test_bad_crcs_are_anomalies_not_exceptions() -> None:
    bad_header = CAPTURED[:4] + b"\x0b" + CAPTURED[5:]
    frame = parse_frame(bad_header, 0, len(bad_header))
    assert frame.anomalies == ("dnp3.header_crc",) and frame.data_ok and frame.dst == 11
    bad_data = CAPTURED[:-1] + b"\x00"
    frame = parse_frame(bad_data, 0, len(bad_data))
    assert frame.anomalies == ("dnp3.data_crc",) and not frame.data_ok
    assert parse_exact(bad_header, 0, len(bad_header)) is None


def test_impossible_length_swallows_the_rest_of_the_buffer() -> None:
    header = with_crc(bytes.fromhex("056402c40a000100"))
    buf = header + b"garbage after it"
    assert unit_length(buf, 0) == len(buf)  # Wireshark gives up on the rest of the segment
    frame = parse_frame(buf, 0, len(buf))
    assert frame.anomalies == ("dnp3.length_invalid",) and frame.data == b""
    assert parse_exact(buf, 0, len(buf)) is None


def test_truncated_frames() -> None:
    frame = parse_frame(CAPTURED, 0, 20)
    assert "dnp3.truncated" in frame.anomalies and not frame.data_ok
    frame = parse_frame(CAPTURED, 0, 4)
    assert frame.anomalies == ("dnp3.truncated",) and frame.length == 25 and frame.size == 4


def test_start_bytes_are_checked_inside_a_segment() -> None:
    wrong = b"\x05\x65" + CAPTURED[2:]
    assert "dnp3.start_bytes" in parse_frame(wrong, 0, len(wrong)).anomalies


@settings(max_examples=400)
@given(st.binary(max_size=320), st.integers(0, 12), st.binary(max_size=8))
def test_parsing_never_raises_nor_reads_past_its_range(
    data: bytes, offset: int, tail: bytes
) -> None:
    start = min(offset, len(data))
    frame = parse_frame(data, start, len(data))
    assert frame == parse_frame(data + tail, start, len(data))  # bytes after end are not read
    assert len(frame.data) <= max(0, len(data) - start)
    assert 0 <= unit_length(data, start) <= max(MAX_FRAME, len(data) - start)
    exact = parse_exact(data, start, len(data))
    assert exact is None or exact == frame
    starts_unit(data, start, len(data))
    probe(data, start, len(data))


@given(
    st.integers(0, 0xFF), st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.binary(max_size=250)
)
def test_encoded_frames_parse_back(control: int, dst: int, src: int, user_data: bytes) -> None:
    wire = encode_frame(control, dst, src, user_data)
    assert unit_length(wire, 0) == len(wire) and starts_unit(wire, 0, len(wire))
    frame = parse_exact(wire, 0, len(wire))
    assert frame is not None and frame.anomalies == ()
    assert (frame.control, frame.dst, frame.src, frame.data) == (control, dst, src, user_data)

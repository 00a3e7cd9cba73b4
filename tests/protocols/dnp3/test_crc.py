"""The DNP3 link CRC, against frames captured from real devices (tshark says "correct")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interlock.protocols.dnp3.crc import crc16, crc_ok, with_crc

# A header and a data block from the openics capture (Wireshark: 0x8fda and 0x9a63).
HEADER = bytes.fromhex("056419c40a000100")
BLOCK = bytes.fromhex("c1c2040c010000010003016400000064")


def test_known_values() -> None:
    assert crc16(HEADER, 0, len(HEADER)) == 0x8FDA
    assert crc16(BLOCK, 0, len(BLOCK)) == 0x9A63
    assert with_crc(HEADER)[-2:] == bytes((0xDA, 0x8F))  # low byte first


def test_crc_ok_checks_the_two_bytes_after_the_block() -> None:
    frame = with_crc(HEADER)
    assert crc_ok(frame, 0, 8)
    assert not crc_ok(frame[:-1], 0, 8)  # the CRC is cut short
    assert not crc_ok(frame[:-1] + b"\x00", 0, 8)


@given(st.binary(max_size=64))
def test_a_block_with_its_crc_always_checks(block: bytes) -> None:
    assert crc_ok(with_crc(block), 0, len(block))

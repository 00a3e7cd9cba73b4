"""DNP3 data link layer frames (IEEE 1815-2012, section 9.2): the framing unit on TCP and UDP.

    0x05 0x64 | LEN | CTRL | DST (LE16) | SRC (LE16) | CRC   <- 10-byte header
    user data in blocks of 16 bytes (the last one shorter), each followed by its CRC

LEN counts CTRL, DST, SRC and the user data (not the CRCs), so it is at least 5.
Pure: bytes in, typed values out; nothing here raises on malformed input, which becomes
anomaly codes. The encoder at the end builds frames with correct CRCs.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.dnp3.crc import crc_ok, with_crc

START: Final = b"\x05\x64"
HEADER_LEN: Final = 10
BLOCK_LEN: Final = 16
MIN_LENGTH: Final = 5
"""LEN counts CTRL, DST and SRC: anything below 5 is impossible."""
MAX_FRAME: Final = 292
"""LEN 255: a 10-byte header and 250 bytes of user data in 16 blocks, each with its CRC."""

CTL_DIR: Final = 0x80
CTL_PRM: Final = 0x40
CTL_FUNCTION: Final = 0x0F
# Link functions that never carry user data, as Wireshark 4.0 decides (packet-dnp.c):
# RESET_LINK_STATES / ACK (0), REQUEST_LINK_STATUS (9) and LINK_STATUS (11), whatever PRM says.
NO_DATA_FUNCTIONS: Final = frozenset({0x0, 0x9, 0xB})


class LinkFrame(NamedTuple):
    """One link-layer frame, decoded as far as its bytes allow."""

    size: int
    """Bytes of the frame that were captured (the unit's length)."""
    length: int
    """The LEN field; -1 when the header is cut short."""
    control: int
    dst: int
    src: int
    data: bytes
    """User data with the block CRCs removed: transport header first, then application
    bytes. Complete only when data_ok."""
    data_ok: bool
    """Every user data block is present and its CRC is right."""
    anomalies: tuple[str, ...]

    @property
    def function(self) -> int:
        return self.control & CTL_FUNCTION

    @property
    def primary(self) -> bool:
        return bool(self.control & CTL_PRM)

    @property
    def from_master(self) -> bool:
        """The DIR bit: set on frames sent by a master."""
        return bool(self.control & CTL_DIR)

    @property
    def carries_data(self) -> bool:
        """Whether the frame has transport and application bytes to offer."""
        return self.length > MIN_LENGTH and self.function not in NO_DATA_FUNCTIONS


def frame_length(length_field: int) -> int:
    """Bytes on the wire of a frame whose LEN field is length_field (at least 5)."""
    data = length_field - MIN_LENGTH
    return HEADER_LEN + data + 2 * ((data + BLOCK_LEN - 1) // BLOCK_LEN)


def unit_length(buf: bytes, pos: int) -> int:
    """Length of the frame starting at pos; 0 while its 10-byte header is incomplete.

    An impossible LEN (below 5) makes the rest of the buffer one bad unit: Wireshark
    gives up on the rest of the segment there, and so do we.
    """
    if len(buf) - pos < HEADER_LEN:
        return 0
    length = buf[pos + 2]
    if length < MIN_LENGTH:
        return len(buf) - pos
    return frame_length(length)


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Wireshark's test for the first bytes of a segment or datagram on the DNP3 port:
    0x05, then 0x64 if present, then a good header CRC if the header is complete."""
    n = end - pos
    if n < 1 or buf[pos] != 0x05:
        return False
    if n > 1 and buf[pos + 1] != 0x64:
        return False
    return n < HEADER_LEN or crc_ok(buf, pos, pos + 8)


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Stricter content test for traffic on a port that is not DNP3's: the start bytes, a
    plausible length, a good header CRC and a first frame that fits the segment."""
    if end - pos < HEADER_LEN or buf[pos] != 0x05 or buf[pos + 1] != 0x64:
        return False
    length = buf[pos + 2]
    if length < MIN_LENGTH or frame_length(length) > end - pos:
        return False
    return crc_ok(buf, pos, pos + 8)


def parse_exact(buf: bytes, start: int, end: int) -> LinkFrame | None:
    """The frame when buf[start:end] is exactly one frame that passes the start test."""
    if end - start < HEADER_LEN or buf[start + 2] < MIN_LENGTH:
        return None
    if frame_length(buf[start + 2]) != end - start or not starts_unit(buf, start, end):
        return None
    return parse_frame(buf, start, end)


def parse_frame(buf: bytes, start: int, end: int) -> LinkFrame:
    """Decode the frame occupying buf[start:end] (as the framing delimited it)."""
    end = min(end, len(buf))
    size = max(0, end - start)
    if size < HEADER_LEN:
        return _short_header(buf, start, size)
    anomalies: list[str] = []
    if buf[start : start + 2] != START:
        anomalies.append("dnp3.start_bytes")
    length, control = buf[start + 2], buf[start + 3]
    dst = buf[start + 4] | (buf[start + 5] << 8)
    src = buf[start + 6] | (buf[start + 7] << 8)
    if not crc_ok(buf, start, start + 8):
        anomalies.append("dnp3.header_crc")
    if length < MIN_LENGTH:
        anomalies.append("dnp3.length_invalid")
        return LinkFrame(size, length, control, dst, src, b"", False, tuple(anomalies))
    data, data_ok, problem = _user_data(buf, start + HEADER_LEN, end, length - MIN_LENGTH)
    if problem:
        anomalies.append(problem)
    if frame_length(length) < size:
        anomalies.append("dnp3.trailing_bytes")
    return LinkFrame(size, length, control, dst, src, data, data_ok, tuple(anomalies))


def _short_header(buf: bytes, start: int, size: int) -> LinkFrame:
    head = buf[start : start + size] + bytes(HEADER_LEN)
    length = head[2] if size >= 3 else -1
    return LinkFrame(
        size,
        length,
        head[3],
        head[4] | (head[5] << 8),
        head[6] | (head[7] << 8),
        b"",
        False,
        ("dnp3.truncated",),
    )


def _user_data(buf: bytes, pos: int, end: int, remaining: int) -> tuple[bytes, bool, str]:
    """The user data blocks from pos: (data, all present and good, anomaly or "")."""
    parts: list[bytes] = []
    while remaining > 0:
        chunk = min(remaining, BLOCK_LEN)
        if pos + chunk + 2 > end:
            parts.append(buf[pos : min(pos + chunk, end)])
            return b"".join(parts), False, "dnp3.truncated"
        if not crc_ok(buf, pos, pos + chunk):
            return b"".join(parts), False, "dnp3.data_crc"
        parts.append(buf[pos : pos + chunk])
        pos += chunk + 2
        remaining -= chunk
    return b"".join(parts), True, ""


def encode_frame(control: int, dst: int, src: int, user_data: bytes = b"") -> bytes:
    """A complete link frame with correct CRCs (at most 250 bytes of user data)."""
    if len(user_data) > 250:
        raise ValueError("a DNP3 link frame carries at most 250 bytes of user data")
    header = START + bytes((len(user_data) + MIN_LENGTH, control & 0xFF))
    header += dst.to_bytes(2, "little") + src.to_bytes(2, "little")
    blocks = [with_crc(user_data[i : i + BLOCK_LEN]) for i in range(0, len(user_data), BLOCK_LEN)]
    return with_crc(header) + b"".join(blocks)

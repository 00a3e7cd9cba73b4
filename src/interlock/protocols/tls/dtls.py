"""DTLS handshake fragments (RFC 6347 section 4.2.2): each handshake message carries a
message sequence number and is sent in fragments, each with its offset and length.

Pure. Reassembly keeps one message in progress per direction, fragments in order (a
gap or a new message drops it: retransmission will resend it); a message longer than
its bound is not reassembled.
"""

from __future__ import annotations

from typing import Final, NamedTuple

HEADER_LEN: Final = 12


class FragmentHeader(NamedTuple):
    msg_type: int
    length: int
    message_seq: int
    offset: int
    fragment_length: int


def split_fragments(data: bytes) -> tuple[list[tuple[FragmentHeader, bytes]], bool]:
    """The handshake fragments of a DTLS record, and whether they fill it exactly."""
    out: list[tuple[FragmentHeader, bytes]] = []
    pos = 0
    while len(data) - pos >= HEADER_LEN:
        header = FragmentHeader(
            data[pos],
            int.from_bytes(data[pos + 1 : pos + 4], "big"),
            int.from_bytes(data[pos + 4 : pos + 6], "big"),
            int.from_bytes(data[pos + 6 : pos + 9], "big"),
            int.from_bytes(data[pos + 9 : pos + 12], "big"),
        )
        end = pos + HEADER_LEN + header.fragment_length
        if end > len(data):
            return out, False
        out.append((header, data[pos + HEADER_LEN : end]))
        pos = end
    return out, pos == len(data)


class Reassembler:
    """One DTLS handshake message being put together from its fragments."""

    __slots__ = ("data", "header")

    def __init__(self) -> None:
        self.header: FragmentHeader | None = None
        self.data = bytearray()

    def add(self, header: FragmentHeader, fragment: bytes, limit: int) -> bytes | None:
        """The whole message body once header's fragment completes it, else None."""
        if header.offset == 0 and header.fragment_length == header.length:
            return fragment
        if header.length > limit or header.offset + header.fragment_length > header.length:
            self.header = None
            return None
        held = self.header
        if (
            held is None
            or held.message_seq != header.message_seq
            or held.msg_type != header.msg_type
        ):
            if header.offset != 0:
                return None
            self.header, self.data = header, bytearray()
        if header.offset != len(self.data):
            return None  # a gap or an overlap: wait for what comes next
        self.data += fragment
        if len(self.data) < header.length:
            return None
        self.header = None
        return bytes(self.data)

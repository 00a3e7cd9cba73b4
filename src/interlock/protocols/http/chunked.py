"""The chunked transfer coding (RFC 9112 section 7.1): hex-sized chunks, a last chunk of
size 0, optional trailer lines, an empty line.

Pure and bounded: at most MAX_CHUNKS chunks are walked, and a size line or the trailer
section longer than its cap ends the walk as malformed.
"""

from __future__ import annotations

from typing import Final, NamedTuple

MAX_CHUNKS: Final = 4096
MAX_SIZE_LINE: Final = 1024
MAX_TRAILER: Final = 8192
INCOMPLETE: Final = -1
MALFORMED: Final = -2
_HEX: Final = frozenset(b"0123456789abcdefABCDEF")


class ChunkedBody(NamedTuple):
    end: int
    """Where the chunked body ends (after the trailer's empty line), INCOMPLETE while
    more bytes are needed, MALFORMED when it cannot be walked."""
    data_size: int
    """Chunk data bytes seen (the decoded body's size)."""
    chunks: int


def walk(buf: bytes, pos: int, end: int) -> ChunkedBody:
    """Walk the chunked body starting at buf[pos], looking no further than end."""
    size_total = 0
    for chunks in range(MAX_CHUNKS):
        eol = buf.find(b"\n", pos, min(end, pos + MAX_SIZE_LINE))
        if eol < 0:
            status = INCOMPLETE if end - pos < MAX_SIZE_LINE else MALFORMED
            return ChunkedBody(status, size_total, chunks)
        digits = bytes(buf[pos:eol]).split(b";", 1)[0].strip()
        if not digits or len(digits) > 16 or not set(digits) <= _HEX:
            return ChunkedBody(MALFORMED, size_total, chunks)
        size = int(digits, 16)
        pos = eol + 1
        if size == 0:
            return ChunkedBody(_trailer_end(buf, pos, end), size_total, chunks + 1)
        if pos + size + 1 > end:
            return ChunkedBody(INCOMPLETE, size_total, chunks)
        pos += size
        if buf[pos : pos + 2] == b"\r\n":
            pos += 2
        elif buf[pos] == 0x0A:
            pos += 1
        elif pos + 2 > end:
            return ChunkedBody(INCOMPLETE, size_total, chunks)
        else:
            return ChunkedBody(MALFORMED, size_total, chunks)
        size_total += size
    return ChunkedBody(MALFORMED, size_total, MAX_CHUNKS)


def _trailer_end(buf: bytes, pos: int, end: int) -> int:
    """After the last chunk: trailer lines up to an empty line."""
    limit = min(end, pos + MAX_TRAILER)
    while True:
        eol = buf.find(b"\n", pos, limit)
        if eol < 0:
            return INCOMPLETE if end - pos < MAX_TRAILER else MALFORMED
        if eol == pos or (eol == pos + 1 and buf[pos] == 0x0D):
            return eol + 1
        pos = eol + 1

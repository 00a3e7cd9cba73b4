"""Classic libpcap files: both byte orders, microsecond and nanosecond timestamps.

Format: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/ (file header 24 bytes,
record header 16 bytes). Pure streaming reader: memory does not grow with file size.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from interlock.capture.chunks import ChunkedInput
from interlock.capture.frames import MAX_RECORD, Frame
from interlock.errors import CaptureFormatError, CaptureTruncated

# Magic number -> (byte order, timestamp fraction units per second).
MAGICS: dict[bytes, tuple[str, int]] = {
    b"\xd4\xc3\xb2\xa1": ("<", 1_000_000),
    b"\xa1\xb2\xc3\xd4": (">", 1_000_000),
    b"\x4d\x3c\xb2\xa1": ("<", 1_000_000_000),
    b"\xa1\xb2\x3c\x4d": (">", 1_000_000_000),
}


def read_pcap(source: ChunkedInput, name: str) -> Iterator[Frame]:
    """Yield every complete record; raise CaptureTruncated after the last one if cut short."""
    if not source.ensure(24):
        raise CaptureTruncated(f"{name}: pcap file header is cut short")
    header = source.buf[source.pos : source.pos + 24]
    order, units = MAGICS[header[:4]]
    # The low 16 bits are the link type; above them sit the FCS length, its presence flag
    # and reserved bits (libpcap's LT_LINKTYPE, draft-ietf-opsawg-pcap section 4).
    linktype = struct.unpack(order + "I", header[20:24])[0] & 0xFFFF
    source.pos += 24
    record = struct.Struct(order + "IIII").unpack_from
    new = tuple.__new__  # skips NamedTuple's Python-level constructor: this is per frame
    count = 0
    while True:
        buf = source.buf
        pos = source.pos
        end = len(buf)
        # Inner loop over records wholly inside the current chunk: no method calls.
        while pos + 16 <= end:
            sec, frac, caplen, wire_len = record(buf, pos)
            stop = pos + 16 + caplen
            if stop > end:
                break
            if caplen > MAX_RECORD:
                source.pos = pos
                raise CaptureFormatError(
                    f"{name}: record {count + 1} claims {caplen} bytes at offset "
                    f"{source.file_offset()}; the file is damaged"
                )
            count += 1
            # One correctly rounded division: the float nearest the recorded time.
            yield new(
                Frame, ((sec * units + frac) / units, linktype, buf[pos + 16 : stop], wire_len)
            )
            pos = stop
        source.pos = pos
        buf = b""  # hold no reference to the consumed chunk while the next is read
        if source.ensure(16):
            caplen = record(source.buf, source.pos)[2]
            if caplen > MAX_RECORD:
                raise CaptureFormatError(
                    f"{name}: record {count + 1} claims {caplen} bytes at offset "
                    f"{source.file_offset()}; the file is damaged"
                )
            if source.ensure(16 + caplen):
                continue
            raise CaptureTruncated(
                f"{name}: cut short inside record {count + 1} at offset {source.file_offset()}"
                f" ({count} complete records read)"
            )
        if source.at_end():
            return
        raise CaptureTruncated(
            f"{name}: cut short inside the header of record {count + 1} at offset "
            f"{source.file_offset()} ({count} complete records read)"
        )

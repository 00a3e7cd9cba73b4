"""Write classic pcap files (microsecond, little-endian) for captures the project makes."""

from __future__ import annotations

import struct
from types import TracebackType
from typing import BinaryIO

from interlock.capture.linktypes import ETHERNET

_FILE_HEADER = struct.Struct("<IHHiIII")
_RECORD = struct.Struct("<IIII")


class PcapWriter:
    def __init__(self, stream: BinaryIO, linktype: int = ETHERNET, snaplen: int = 65_535) -> None:
        self.stream = stream
        stream.write(_FILE_HEADER.pack(0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))

    def write(self, ts: float, data: bytes, wire_len: int | None = None) -> None:
        sec = int(ts)
        usec = round((ts - sec) * 1_000_000)
        if usec >= 1_000_000:
            sec, usec = sec + 1, usec - 1_000_000
        self.stream.write(_RECORD.pack(sec, usec, len(data), wire_len or len(data)) + data)

    def __enter__(self) -> PcapWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stream.flush()

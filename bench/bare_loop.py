"""The floor: how fast plain CPython can walk this capture and count Modbus/TCP ADUs.

Reads classic pcap records (either byte order, Ethernet link type only) in 1 MiB chunks
with struct, checks for IPv4 and TCP with port 502 on one side, and counts the MBAP headers
(Modbus Messaging on TCP/IP Implementation Guide v1.0b, section 3.1.3) of the whole ADUs in
each segment. No flow tracking, no reassembly, no per-unit output: it prints one JSON line
with the frame and unit counts at the end. Not a dissector; context for the others.

usage: .venv/bin/python bench/bare_loop.py CAPTURE
"""

from __future__ import annotations

import json
import struct
import sys
from typing import BinaryIO, Final

CHUNK: Final = 1 << 20
MODBUS_PORT: Final = 502
# Magic number -> byte order; micro- and nanosecond files alike (timestamps are not read).
_ORDERS: Final = {
    b"\xd4\xc3\xb2\xa1": "<",
    b"\x4d\x3c\xb2\xa1": "<",
    b"\xa1\xb2\xc3\xd4": ">",
    b"\xa1\xb2\x3c\x4d": ">",
}
_PORTS = struct.Struct(">HH")
_U16 = struct.Struct(">H")


def count_units(stream: BinaryIO) -> tuple[int, int]:
    """(frames, Modbus ADUs) in a classic pcap stream."""
    header = stream.read(24)
    order = _ORDERS.get(header[:4])
    if order is None or struct.unpack(order + "I", header[20:24])[0] != 1:
        raise SystemExit("bare_loop: not a classic pcap file with Ethernet frames")
    caplen_of = struct.Struct(order + "8xI4x").unpack_from
    frames = units = 0
    buf = b""
    while chunk := stream.read(CHUNK):
        buf += chunk
        pos, end = 0, len(buf)
        while pos + 16 <= end:
            stop = pos + 16 + caplen_of(buf, pos)[0]
            if stop > end:
                break
            frames += 1
            units += _segment_units(buf, pos + 16, stop)
            pos = stop
        buf = buf[pos:]
    return frames, units


def _segment_units(buf: bytes, eth: int, stop: int) -> int:
    ip = eth + 14
    if stop - eth < 54:
        return 0
    if buf[eth + 12 : eth + 14] != b"\x08\x00" or buf[ip] >> 4 != 4 or buf[ip + 9] != 6:
        return 0
    tcp = ip + (buf[ip] & 0x0F) * 4
    sport, dport = _PORTS.unpack_from(buf, tcp)
    if sport != MODBUS_PORT and dport != MODBUS_PORT:
        return 0
    pos = tcp + (buf[tcp + 12] >> 4) * 4
    end = min(stop, ip + _U16.unpack_from(buf, ip + 2)[0])
    units = 0
    while pos + 8 <= end and buf[pos + 2] == 0 and buf[pos + 3] == 0:
        pos += 6 + _U16.unpack_from(buf, pos + 4)[0]
        if pos > end:
            break
        units += 1
    return units


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[0], "rb") as stream:
        frames, units = count_units(stream)
    print(json.dumps({"frames": frames, "modbus_units": units}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A TCP SYN scan of industrial ports beside a master that polls its PLCs, as a capture.

Written at test time (never committed): frames built with interlock.sim.tcp_frames, fixed
addresses and timestamps. The scanner 10.20.0.66 probes four ports on each of six hosts:
an open port answers SYN/ACK and the scanner resets; a closed one answers RST; every
third host drops the probe (no answer). The master 10.20.0.5 opens one short Modbus
connection per poll to each of twelve PLCs (a read request and its answer), so its flows
are as short as probes but speak the protocol of their port.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Final

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import ACK, SYN, TcpConversation

RST: Final = 0x04
SCANNER: Final = "10.20.0.66"
MASTER: Final = "10.20.0.5"
PORTS: Final = (502, 102, 44818, 20000)
OPEN: Final = frozenset({502, 102})


def _read_holding(trans_id: int) -> tuple[bytes, bytes]:
    request = struct.pack(">HHHBBHH", trans_id, 0, 6, 1, 3, 0, 2)
    response = struct.pack(">HHHBBBHH", trans_id, 0, 7, 1, 3, 4, 100, 200)
    return request, response


def write(path: Path, start: float = 1_767_225_600.0) -> int:
    """Write the capture; return how many (host, port) pairs the scanner probed."""
    ts = start
    probed = 0
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for host in range(1, 7):
            for index, port in enumerate(PORTS):
                conv = TcpConversation(SCANNER, 41000 + host * 10 + index, f"10.10.0.{host}", port)
                packets = [conv.packet(0, SYN)]
                if host % 3:
                    if port in OPEN:
                        packets += [conv.packet(1, SYN | ACK), conv.packet(0, RST)]
                    else:
                        packets.append(conv.packet(1, RST | ACK))
                for packet in packets:
                    writer.write(ts, packet)
                    ts += 0.001
                probed += 1
        for plc in range(1, 13):
            conv = TcpConversation(MASTER, 50000 + plc, f"10.10.1.{plc}", 502)
            request, response = _read_holding(plc)
            packets = [*conv.handshake(), conv.data(0, request), conv.data(1, response)]
            packets += conv.close()
            for packet in packets:
                writer.write(ts, packet)
                ts += 0.002
    return probed

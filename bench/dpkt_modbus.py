"""The "simple library" peer: Modbus/TCP units from a pcap with dpkt, one JSON line each.

What someone would write in an afternoon with dpkt: decode Ethernet, IPv4 and TCP, cut
each segment to or from port 502 into ADUs (MBAP header, Modbus Messaging on TCP/IP
Implementation Guide v1.0b, section 3.1.3) and print the same fields as
`interlock dissect --jsonl`, in the same record shape, encoded with orjson.

Per segment only: no reassembly across segments, no retransmission handling, no VLAN,
IPv6 or other link types, no anomaly codes. A response is paired with its request by
(client, server, transaction id) to give modbus.request_frame. Request and response
fields follow Wireshark 4.0 for function codes 1-6, 15, 16 and 22; others carry only the
header and function code.

usage: .venv/bin/python bench/dpkt_modbus.py CAPTURE > units.jsonl
"""

from __future__ import annotations

import os
import socket
import struct
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO, Final

import dpkt
import orjson

MODBUS_PORT: Final = 502
_MBAP = struct.Struct(">HHHB")
_BITS: Final = frozenset({1, 2, 15})
_WORDS: Final = frozenset({3, 4, 16})
_REFERENCE_ONLY: Final = frozenset({5, 6, 22})


def adus(payload: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(transaction id, unit id, PDU) for each whole ADU in one TCP segment."""
    pos = 0
    while pos + 8 <= len(payload):
        trans_id, proto_id, length, unit_id = _MBAP.unpack_from(payload, pos)
        end = pos + 6 + length
        if proto_id != 0 or length < 2 or end > len(payload):
            return
        yield trans_id, unit_id, payload[pos + 7 : end]
        pos = end


def pdu_fields(pdu: bytes, is_query: bool, fields: dict[str, Any]) -> None:
    """Add func_code, exception_code and the request or response fields Wireshark shows."""
    fc = pdu[0] & 0x7F
    fields["modbus.func_code"] = fc
    if pdu[0] & 0x80:
        if len(pdu) >= 2 and pdu[1]:
            fields["modbus.exception_code"] = pdu[1]
        return
    if len(pdu) < 5 or (not is_query and fc not in (15, 16, 5, 6, 22)):
        return
    if fc in _BITS or fc in _WORDS or fc in _REFERENCE_ONLY:
        fields["modbus.reference_num"] = (pdu[1] << 8) | pdu[2]
    if fc in _BITS:
        fields["modbus.bit_cnt"] = (pdu[3] << 8) | pdu[4]
    elif fc in _WORDS:
        fields["modbus.word_cnt"] = (pdu[3] << 8) | pdu[4]


def dissect(stream: BinaryIO, out: BinaryIO) -> int:
    """Write one JSON line per ADU found in the capture; return how many were written."""
    pending: dict[tuple[bytes, int, bytes, int, int], int] = {}
    written = 0
    for frame, (ts, buf) in enumerate(dpkt.pcap.Reader(stream), 1):
        eth = dpkt.ethernet.Ethernet(buf)
        ip = eth.data
        if not isinstance(ip, dpkt.ip.IP) or not isinstance(ip.data, dpkt.tcp.TCP):
            continue
        tcp = ip.data
        if not tcp.data or MODBUS_PORT not in (tcp.sport, tcp.dport):
            continue
        is_query = tcp.dport == MODBUS_PORT
        src, dst = socket.inet_ntoa(ip.src), socket.inet_ntoa(ip.dst)
        for trans_id, unit_id, pdu in adus(tcp.data):
            fields: dict[str, Any] = {"mbtcp.trans_id": trans_id, "mbtcp.unit_id": unit_id}
            if pdu:
                pdu_fields(pdu, is_query, fields)
            if is_query:
                pending[(ip.src, tcp.sport, ip.dst, tcp.dport, trans_id)] = frame
            else:
                request = pending.pop((ip.dst, tcp.dport, ip.src, tcp.sport, trans_id), None)
                if request is not None and "modbus.exception_code" not in fields:
                    fields["modbus.request_frame"] = request
            record = {
                "frame": frame,
                "ts": ts,
                "proto": "modbus",
                "transport": "tcp",
                "src": src,
                "sport": tcp.sport,
                "dst": dst,
                "dport": tcp.dport,
                "fields": fields,
            }
            out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            written += 1
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        with open(argv[0], "rb") as stream:
            dissect(stream, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # `| head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

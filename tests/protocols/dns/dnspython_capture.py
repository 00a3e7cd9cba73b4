"""A real DNS exchange for the golden files: dnspython's client (dns.query) asking a tiny
authoritative responder built on dnspython's dns.message, over UDP and TCP on loopback,
through recording relays; written as a capture showing server port 53, with fixed
addresses, ports and timestamps.

Regenerate tests/data/dns-dnspython.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/dns/dnspython_capture.py
Query ids are fixed and messages are recorded whole (the TCP relay hands on whole
length-prefixed messages), so the capture does not depend on timing. One TCP response is
written over two segments, to exercise reassembly. A last datagram is an mDNS query (UDP
5353), which Wireshark and Interlock report as proto "mdns".
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import sys
import threading
from pathlib import Path
from typing import Final

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import TcpConversation

DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "dns-dnspython.pcap"
BASE_TS: Final = 1_767_225_600.0
STEP: Final = 0.004
CLIENT, SERVER = "10.20.0.7", "10.20.0.53"
ZONE: Final = dns.name.from_text("plant.example.")

_RECORDS: Final = [
    ("plant.example.", 3600, "SOA", "ns1.plant.example. hostmaster.plant.example. 2026010101 7200 900 1209600 300"),
    ("plant.example.", 3600, "NS", "ns1.plant.example."),
    ("plant.example.", 3600, "MX", "10 mail.plant.example."),
    ("plant.example.", 300, "TXT", '"v=spf1 mx -all" "site=north"'),
    ("ns1.plant.example.", 3600, "A", "10.20.0.53"),
    ("mail.plant.example.", 3600, "A", "10.20.0.25"),
    ("www.plant.example.", 300, "A", "10.20.0.80"),
    ("www.plant.example.", 300, "A", "10.20.0.81"),
    ("www.plant.example.", 300, "AAAA", "2001:db8:20::80"),
    ("www.plant.example.", 300, "HTTPS", '1 . alpn="h2,http/1.1" port=443'),
    ("hmi.plant.example.", 300, "CNAME", "www.plant.example."),
    ("_modbus._tcp.plant.example.", 300, "SRV", "0 5 502 plc1.plant.example."),
    ("plc1.plant.example.", 300, "A", "10.20.0.10"),
    ("historian.plant.example.", 300, "TYPE65280", r"\# 4 deadbeef"),
    ("10.0.20.10.in-addr.arpa.", 300, "PTR", "plc1.plant.example."),
]  # fmt: skip


def _zone() -> dict[tuple[dns.name.Name, int], dns.rrset.RRset]:
    sets: dict[tuple[dns.name.Name, int], dns.rrset.RRset] = {}
    for owner, ttl, rtype, text in _RECORDS:
        name = dns.name.from_text(owner)
        kind = dns.rdatatype.from_text(rtype)
        rrset = sets.setdefault((name, kind), dns.rrset.RRset(name, dns.rdataclass.IN, kind))
        rrset.add(dns.rdata.from_text(dns.rdataclass.IN, kind, text), ttl)
    return sets


def answer(
    query: dns.message.Message, sets: dict[tuple[dns.name.Name, int], dns.rrset.RRset]
) -> bytes:
    """What an authoritative server for plant.example answers."""
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    question = query.question[0]
    name, kind = question.name, question.rdtype
    if not name.is_subdomain(ZONE) and not name.to_text().endswith("in-addr.arpa."):
        response.set_rcode(dns.rcode.REFUSED)
        response.flags &= ~dns.flags.AA
        return response.to_wire(want_shuffle=False)
    cname = sets.get((name, dns.rdatatype.CNAME))
    if cname is not None and kind != dns.rdatatype.CNAME:
        response.answer.append(cname)
        name = cname[0].target
    found = sets.get((name, kind))
    if found is not None:
        response.answer.append(found)
        for rdata in found:
            target = getattr(rdata, "exchange", None) or getattr(rdata, "target", None)
            glue = sets.get((target, dns.rdatatype.A)) if target is not None else None
            if glue is not None and kind != dns.rdatatype.CNAME:
                response.additional.append(glue)
    elif not any(owner == name for owner, _ in sets):
        response.set_rcode(dns.rcode.NXDOMAIN)
        response.authority.append(sets[(ZONE, dns.rdatatype.SOA)])
    else:
        response.authority.append(sets[(ZONE, dns.rdatatype.SOA)])
    return response.to_wire(want_shuffle=False)  # dnspython shuffles rdatas by default


class Responder:
    """The authoritative server: one UDP socket and one TCP listener on loopback."""

    def __init__(self) -> None:
        self.sets = _zone()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp_port: int = self.udp.getsockname()[1]
        self.tcp_port: int = self.tcp.getsockname()[1]
        for target in (self._serve_udp, self._serve_tcp):
            threading.Thread(target=target, daemon=True).start()

    def _serve_udp(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                data, peer = self.udp.recvfrom(65535)
                self.udp.sendto(answer(dns.message.from_wire(data), self.sets), peer)

    def _serve_tcp(self) -> None:
        with contextlib.suppress(OSError, EOFError):  # EOFError: the client is done
            while True:
                conn, _ = self.tcp.accept()
                with conn:
                    while True:
                        query, _ = dns.query.receive_tcp(conn)
                        dns.query.send_tcp(conn, answer(query, self.sets))

    def close(self) -> None:
        self.udp.close()
        self.tcp.close()


Exchange = list[tuple[int, bytes]]  # (0 client to server, 1 server to client), one message


class UdpRelay:
    """Forwards each datagram to the responder and back, recording both."""

    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.recorded: Exchange = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with contextlib.suppress(OSError):
            while True:
                query, client = self.sock.recvfrom(65535)
                upstream.sendto(query, ("127.0.0.1", self.server_port))
                reply, _ = upstream.recvfrom(65535)
                self.recorded += [(0, query), (1, reply)]
                self.sock.sendto(reply, client)


class TcpRelay:
    """Accepts one connection, connects on to the responder, records whole
    length-prefixed messages (prefix included)."""

    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.recorded: Exchange = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        client, _ = self.listener.accept()
        upstream = socket.create_connection(("127.0.0.1", self.server_port))
        pumps = [
            threading.Thread(target=self._pump, args=(client, upstream, 0)),
            threading.Thread(target=self._pump, args=(upstream, client, 1)),
        ]
        for pump in pumps:
            pump.start()
        for pump in pumps:
            pump.join()
        upstream.close()
        client.close()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: int) -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                pending += data
                while len(pending) >= 2 and len(pending) >= (
                    n := 2 + ((pending[0] << 8) | pending[1])
                ):
                    with self.lock:
                        self.recorded.append((direction, pending[:n]))
                        dst.sendall(pending[:n])
                    pending = pending[n:]
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


def _query(name: str, kind: str, ident: int, subnet: str | None = None) -> dns.message.Message:
    query = dns.message.make_query(name, kind, use_edns=0 if subnet else None)
    if subnet:
        query.use_edns(0, 0, 1232, options=[dns.edns.ECSOption(subnet, 24)])
    query.id = ident
    return query


UDP_QUERIES: Final = [
    ("www.plant.example.", "A", "10.20.30.0"),
    ("www.plant.example.", "AAAA", None),
    ("hmi.plant.example.", "A", None),
    ("plant.example.", "MX", None),
    ("plant.example.", "TXT", None),
    ("_modbus._tcp.plant.example.", "SRV", None),
    ("10.0.20.10.in-addr.arpa.", "PTR", None),
    ("www.plant.example.", "HTTPS", None),
    ("historian.plant.example.", "TYPE65280", None),
    ("missing.plant.example.", "A", None),
    ("www.example.com.", "A", None),
]
TCP_QUERIES: Final = [
    ("plant.example.", "SOA"),
    ("plant.example.", "NS"),
    ("www.plant.example.", "ANY"),
]


def record() -> tuple[Exchange, Exchange]:
    """Run the queries through the relays; return the UDP and the TCP exchanges."""
    responder = Responder()
    udp_relay = UdpRelay(responder.udp_port)
    tcp_relay = TcpRelay(responder.tcp_port)
    try:
        for n, (name, kind, subnet) in enumerate(UDP_QUERIES):
            dns.query.udp(
                _query(name, kind, 0x5100 + n, subnet), "127.0.0.1", timeout=5, port=udp_relay.port
            )
        with socket.create_connection(("127.0.0.1", tcp_relay.port)) as sock:
            for n, (name, kind) in enumerate(TCP_QUERIES):
                query = _query(name, kind, 0x7100 + n)
                dns.query.send_tcp(sock, query)
                dns.query.receive_tcp(sock, expiration=None)
            sock.shutdown(socket.SHUT_WR)
            tcp_relay.thread.join(timeout=5)
    finally:
        responder.close()
        udp_relay.sock.close()
        tcp_relay.listener.close()
    return udp_relay.recorded, tcp_relay.recorded


def udp_frame(src: str, sport: int, dst: str, dport: int, payload: bytes, ident: int) -> bytes:
    """An Ethernet/IPv4/UDP frame (UDP checksum 0: none, which IPv4 allows)."""
    s, d = ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident, 0x4000, 64, 17, 0, s, d)
    total = sum(struct.unpack("!10H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    header = header[:10] + struct.pack("!H", ~total & 0xFFFF) + header[12:]
    macs = (
        bytes.fromhex("02005e10000202005e100001")
        if dport == 53
        else bytes.fromhex("02005e10000102005e100002")
    )
    return macs + b"\x08\x00" + header + udp


def mdns_query() -> bytes:
    query = dns.message.make_query("_http._tcp.local.", "PTR")
    query.id = 0
    query.flags = 0
    return query.to_wire()


def write_capture(path: Path, udp: Exchange, tcp: Exchange) -> None:
    packets: list[bytes] = []
    port = 40000
    for direction, data in udp:
        port += 1 - direction  # a fresh source port per query, as resolvers do
        if direction == 0:
            packets.append(udp_frame(CLIENT, port, SERVER, 53, data, len(packets) + 1))
        else:
            packets.append(udp_frame(SERVER, 53, CLIENT, port, data, len(packets) + 1))
    conversation = TcpConversation(CLIENT, 40100, SERVER, 53)
    packets += conversation.handshake()
    for n, (direction, data) in enumerate(tcp):
        if n == 3:  # the second response over two segments
            packets += [
                conversation.data(direction, data[:40]),
                conversation.data(direction, data[40:]),
            ]
        else:
            packets.append(conversation.data(direction, data))
    packets += conversation.close()
    packets.append(udp_frame(CLIENT, 5353, "224.0.0.251", 5353, mdns_query(), len(packets) + 1))
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for n, packet in enumerate(packets):
            writer.write(BASE_TS + n * STEP, packet)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    write_capture(CAPTURE, *record())
    write_golden(CAPTURE, "dns")


if __name__ == "__main__":
    main()

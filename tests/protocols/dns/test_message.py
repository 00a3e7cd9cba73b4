"""DNS parsing on hand-written bytes: header, sections, names, record data, anomalies,
framing, the probe, pairing and transactions."""

from __future__ import annotations

import struct

from interlock.model import Endpoint, OperationClass
from interlock.protocols.dns import rdata as rd
from interlock.protocols.dns.framing import (
    parse_prefixed,
    prefixed_length,
    prefixed_starts,
    probe_prefixed,
)
from interlock.protocols.dns.message import encode_header, parse_message
from interlock.protocols.dns.names import encode_name, read_name
from interlock.protocols.dns.session import DnsSession
from interlock.protocols.dns.transactions import build, is_request

QUESTION = encode_name("www.plant.example") + b"\x00\x01\x00\x01"


def rr(name: bytes, rtype: int, data: bytes, ttl: int = 60, rclass: int = 1) -> bytes:
    return name + struct.pack(">HHIH", rtype, rclass, ttl, len(data)) + data


def query(ident: int = 0x1234) -> bytes:
    return encode_header(ident, 0x0100) + QUESTION


def response(ident: int = 0x1234, rcode: int = 0) -> bytes:
    answers = rr(b"\xc0\x0c", 1, bytes([10, 0, 0, 1])) + rr(b"\xc0\x0c", 28, bytes(15) + b"\x01")
    return encode_header(ident, 0x8580 | rcode, 1, 2) + QUESTION + answers


def test_query_header_and_question() -> None:
    m = parse_message(query())
    assert (m.id, m.is_response, m.opcode, m.rcode, m.anomalies) == (0x1234, False, 0, 0, ())
    assert m.question is not None and m.question.name == "www.plant.example"
    assert (m.question.qtype, m.question.qclass) == (1, 1)


def test_response_with_compressed_names() -> None:
    m = parse_message(response())
    assert [r.data for r in m.records] == [rd.Address("10.0.0.1"), rd.Address("::1")]
    assert all(r.name == "www.plant.example" for r in m.records)


def test_compression_loop_is_bounded() -> None:
    name, _, problem = read_name(b"\xc0\x00", 0)
    assert problem == "dns.compression_loop" and "loops" in name
    m = parse_message(encode_header(1, 0) + b"\xc0\x0c\x00\x01\x00\x01")
    assert "dns.compression_loop" in m.anomalies


def test_name_anomalies() -> None:
    assert read_name(b"\xc0\x20", 0)[2] == "dns.bad_pointer"
    assert read_name(b"\x40abc", 0)[2] == "dns.bad_label_type"
    assert read_name(b"\x05ab", 0)[2] == "dns.truncated"
    assert read_name(b"\x3f" + b"a" * 63 + b"\xc0\x00", 0)[2] in (
        "dns.name_too_long",
        "dns.compression_loop",
    )
    assert read_name(b"\x00", 0)[0] == "<Root>"
    assert read_name(b"\x02\x01b\x00", 0)[0] == "\\001b"


def test_truncated_and_trailing_and_reserved() -> None:
    assert parse_message(b"\x12").anomalies == ("dns.truncated",)
    assert "dns.truncated" in parse_message(response()[:-3]).anomalies
    assert "dns.trailing_bytes" in parse_message(query() + b"xx").anomalies
    assert "dns.reserved_flag" in parse_message(encode_header(1, 0x0040) + QUESTION).anomalies


def test_record_data_types() -> None:
    name = b"\xc0\x0c"
    records = (
        rr(name, 5, encode_name("alias.example"))
        + rr(name, 15, b"\x00\x0a" + encode_name("mx.example"))
        + rr(name, 16, b"\x03abc\x02de")
        + rr(name, 33, struct.pack(">HHH", 1, 2, 502) + encode_name("plc.example"))
        + rr(name, 65, b"\x00\x01\x00" + struct.pack(">HH", 1, 2) + b"h2")
        + rr(name, 65280, b"\xde\xad")
        + rr(name, 1, b"\x01\x02")
    )
    m = parse_message(encode_header(7, 0x8400, 1, 7) + QUESTION + records)
    data = [r.data for r in m.records]
    assert data[:6] == [
        rd.DomainName("alias.example"),
        rd.MailExchange(10, "mx.example"),
        rd.Texts(("abc", "de")),
        rd.Service(1, 2, 502, "plc.example"),
        rd.ServiceBinding(1, "<Root>", (1,)),
        rd.Opaque(2),
    ]
    assert m.anomalies == ("dns.bad_rdata",)


def test_edns_client_subnet() -> None:
    option = struct.pack(">HHHBB", 8, 7, 1, 24, 0) + bytes([192, 0, 2])
    opt = b"\x00" + struct.pack(">HHIH", 41, 1232, 0x8000, len(option)) + option
    m = parse_message(encode_header(1, 0, 1, 0, 0, 1) + QUESTION + opt)
    assert m.edns == rd.Edns(
        1232, 0, 0, True, (rd.EdnsOption(8, 7, rd.ClientSubnet(1, 24, 0, "192.0.2.0")),)
    )


def test_tcp_framing() -> None:
    wire = struct.pack(">H", len(query())) + query()
    assert prefixed_length(wire, 0) == len(wire) and prefixed_length(wire[:1], 0) == 0
    assert prefixed_starts(wire, 0, len(wire))
    assert parse_prefixed(wire, 0, len(wire)).tcp_length == len(query())
    assert "dns.truncated" in parse_prefixed(wire[:-2], 0, len(wire) - 2).anomalies


def test_probe_accepts_dns_and_rejects_others() -> None:
    wire = struct.pack(">H", len(query())) + query()
    assert probe_prefixed(wire, 0, len(wire))
    for other in (
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        bytes.fromhex("160301020001000200030000"),
        bytes.fromhex("000100000006010300000001"),
        bytes(range(64)),
        b"\xff" * 40,
    ):
        assert not probe_prefixed(other, 0, len(other))


def test_session_pairs_by_id_and_question() -> None:
    session = DnsSession()
    q = parse_message(query())
    assert session.observe(q, True, 1, 0.0) is None
    assert session.observe(parse_message(response(0x9999)), False, 2, 0.1) is None
    seen = session.observe(parse_message(response()), False, 3, 0.2)
    assert seen is not None and seen.frame == 1 and seen.adu == q


def test_transactions_read_and_exception() -> None:
    q, r = parse_message(query()), parse_message(response())
    assert is_request(q) and not is_request(r)
    client, server = Endpoint("10.0.0.1", 40000), Endpoint("10.0.0.53", 53)
    t = build(client, server, q, 1, 0.0, r, 2, 0.1)
    assert (t.operation, t.status, t.function_name) == (OperationClass.READ, "ok", "query")
    assert t.details["answers"] == [
        {"name": "www.plant.example", "type": "A", "ttl": 60, "data": "10.0.0.1"},
        {"name": "www.plant.example", "type": "AAAA", "ttl": 60, "data": "::1"},
    ]
    nx = build(client, server, q, 1, 0.0, parse_message(response(rcode=3)), 2, 0.1)
    assert (nx.status, nx.exception_code, nx.details["rcode"]) == ("exception", 3, "NXDOMAIN")
    assert build(client, server, q, 1, 0.0, None, None, None).status == "unanswered"

"""The DNS renderer's Wireshark 4.0 quirks on hand-written messages."""

from __future__ import annotations

import struct

from interlock.protocols.dns.message import parse_message
from interlock.render.dns_record import dns_record, mdns_record
from protocols.dns.test_message import query, response


def test_query_has_no_rcode_and_response_does() -> None:
    _, q, _ = dns_record(parse_message(query()), -1, None)
    _, r, _ = dns_record(parse_message(response()), -1, None)
    assert "dns.flags.rcode" not in q and r["dns.flags.rcode"] == 0
    assert r["dns.a"] == "10.0.0.1" and r["dns.aaaa"] == "::1"
    assert r["dns.count.answers"] == 2 and r["dns.qry.name"] == "www.plant.example"


def test_tcp_messages_are_reported_as_dns() -> None:
    wire = struct.pack(">H", len(query())) + query()
    message = parse_message(wire[2:], len(query()))
    proto, fields, _ = dns_record(message, -1, None)
    assert proto == "dns" and fields["dns.length"] == len(query())


def test_mdns_splits_the_class_top_bit() -> None:
    raw = bytearray(query())
    raw[-2] |= 0x80  # unicast-response bit on the question class
    _, fields, _ = mdns_record(parse_message(bytes(raw)), -1, None)
    assert fields["dns.qry.class"] == 1 and fields["dns.qry.qu"] == 1

"""SNMP as the engine sees it: UDP 161 (agent) and 162 (trap receiver), one message per
datagram. A datagram that does not start with a BER SEQUENCE is not SNMP (Wireshark
gives it to "data"). The content probe, for other ports, wants a whole message: a
SEQUENCE whose length is the datagram's, holding INTEGER version 0, 1 or 3, then for
v1/v2c an OCTET STRING community and a PDU tag 0xA0-0xA8, for v3 a msgGlobalData
SEQUENCE."""

from __future__ import annotations

from interlock.protocols.identity.link import no_fast_path, rest_of_frame
from interlock.protocols.snmp.ber import INTEGER, OCTET_STRING, SEQUENCE, read_tlv
from interlock.protocols.snmp.message import parse
from interlock.protocols.snmp.session import SnmpSession
from interlock.protocols.spec import ProtocolSpec


def starts_unit(buf: bytes, start: int, end: int) -> bool:
    return end - start >= 2 and buf[start] == SEQUENCE


def probe(buf: bytes, start: int, end: int) -> bool:
    data = bytes(buf[start:end])
    outer = read_tlv(data, 0, len(data))
    if outer.tag != SEQUENCE or outer.anomaly or outer.after != len(data):
        return False
    version = read_tlv(data, outer.start, outer.end)
    if version.tag != INTEGER or version.anomaly or version.end - version.start != 1:
        return False
    number = data[version.start]
    following = read_tlv(data, version.after, outer.end)
    if following.anomaly:
        return False
    if number == 3:
        return following.tag == SEQUENCE
    if number not in (0, 1) or following.tag != OCTET_STRING:
        return False
    pdu = read_tlv(data, following.after, outer.end)
    return not pdu.anomaly and 0xA0 <= pdu.tag <= 0xA8 and pdu.after == outer.end


SPEC = ProtocolSpec(
    name="snmp",
    tcp_ports=frozenset(),
    udp_ports=frozenset({161, 162}),
    unit_length=rest_of_frame,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=no_fast_path,
    new_session=SnmpSession,
    max_unit=1 << 16,
)

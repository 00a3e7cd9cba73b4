"""EtherNet/IP as the engine sees it: TCP and UDP 44818 (encapsulation), UDP 2222 (class
0/1 I/O), one unit per encapsulation packet or I/O datagram."""

from __future__ import annotations

from interlock.protocols.enip.connections import ConnectionTable
from interlock.protocols.enip.encap import (
    MAX_UNIT,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.enip.session import EnipSession
from interlock.protocols.spec import ProtocolSpec

ENCAPSULATION_PORT = 44818
IO_PORT = 2222

SPEC = ProtocolSpec(
    name="enip",
    tcp_ports=frozenset({ENCAPSULATION_PORT}),
    udp_ports=frozenset({ENCAPSULATION_PORT, IO_PORT}),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=EnipSession,
    max_unit=MAX_UNIT,
    new_shared=ConnectionTable,
)

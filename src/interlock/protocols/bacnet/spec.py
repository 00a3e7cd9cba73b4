"""BACnet/IP as the engine sees it: UDP port 47808 (0xBAC0), one unit per BVLC datagram."""

from __future__ import annotations

from interlock.protocols.bacnet.bvlc import (
    MAX_UNIT,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.bacnet.session import BacnetSession
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="bacnet",
    tcp_ports=frozenset(),
    udp_ports=frozenset({0xBAC0}),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=BacnetSession,
    max_unit=MAX_UNIT,
)

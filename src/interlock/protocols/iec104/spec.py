"""IEC 60870-5-104 as the engine sees it: TCP port 2404, APCI framing."""

from __future__ import annotations

from interlock.protocols.iec104.apci import (
    parse_apdu,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.iec104.session import Iec104Session
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="iec104",
    tcp_ports=frozenset({2404}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse_apdu,
    parse_exact=parse_exact,
    new_session=Iec104Session,
    # A unit is a junk prefix plus an APDU: bound the prefix a flow may accumulate.
    max_unit=0xFFFF + 2 + 0xFF,
)

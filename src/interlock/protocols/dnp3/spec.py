"""DNP3 as the engine sees it: TCP and UDP port 20000, one unit per link-layer frame."""

from __future__ import annotations

from interlock.protocols.dnp3.link import (
    MAX_FRAME,
    parse_exact,
    parse_frame,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.dnp3.session import Dnp3Session
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="dnp3",
    tcp_ports=frozenset({20000}),
    udp_ports=frozenset({20000}),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse_frame,
    parse_exact=parse_exact,
    new_session=Dnp3Session,
    max_unit=MAX_FRAME,
)

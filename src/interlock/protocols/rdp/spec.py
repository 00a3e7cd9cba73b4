"""RDP as the engine sees it: TCP 3389, TPKT framing (its own, not S7comm's)."""

from __future__ import annotations

from interlock.protocols.rdp.session import RdpSession
from interlock.protocols.rdp.x224 import (
    MAX_TPKT,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="rdp",
    tcp_ports=frozenset({3389}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=RdpSession,
    max_unit=MAX_TPKT,
)

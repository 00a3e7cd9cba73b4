"""S7comm and S7comm-plus as the engine sees them: TCP port 102, TPKT framing (RFC 1006).

One spec serves the port: its units are TPKT packets, whose COTP payload the session
joins and classifies as S7comm (0x32) or S7comm-plus (0x72); the renderer names each
record's protocol accordingly.
"""

from __future__ import annotations

from interlock.protocols.s7comm.session import S7Session
from interlock.protocols.s7comm.tpkt import (
    MAX_UNIT,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="s7comm",
    tcp_ports=frozenset({102}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=S7Session,
    max_unit=MAX_UNIT,
)

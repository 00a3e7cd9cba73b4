"""SMB as the engine sees it: TCP 445 and 139, NetBIOS session service framing."""

from __future__ import annotations

from interlock.protocols.smb.nbss import (
    MAX_NBSS,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.smb.session import SmbSession
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="smb",
    tcp_ports=frozenset({445, 139}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=SmbSession,
    max_unit=MAX_NBSS,
)

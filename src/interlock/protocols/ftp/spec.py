"""FTP's control channel as the engine sees it: TCP 21, the server greets first."""

from __future__ import annotations

from interlock.protocols.ftp.lines import (
    MAX_LINE,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.ftp.session import FtpSession
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="ftp",
    tcp_ports=frozenset({21}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=FtpSession,
    max_unit=MAX_LINE,
    server_first=True,
)

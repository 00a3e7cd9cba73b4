"""SSH as the engine sees it: TCP 22, the server speaks first."""

from __future__ import annotations

from interlock.protocols.spec import ProtocolSpec
from interlock.protocols.ssh.packets import (
    MAX_LINE,
    MAX_PACKET,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.ssh.session import SshSession

SPEC = ProtocolSpec(
    name="ssh",
    tcp_ports=frozenset({22}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=SshSession,
    max_unit=max(MAX_LINE, MAX_PACKET + 4),
    server_first=True,
)

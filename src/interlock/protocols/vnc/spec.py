"""VNC/RFB as the engine sees it: TCP 5900-5906, the server speaks first."""

from __future__ import annotations

from interlock.protocols.spec import ProtocolSpec
from interlock.protocols.vnc.rfb import (
    MAX_KEPT,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.vnc.session import VncSession

SPEC = ProtocolSpec(
    name="vnc",
    tcp_ports=frozenset(range(5900, 5907)),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=VncSession,
    max_unit=MAX_KEPT * 64,
    server_first=True,
)

"""HTTP/1.x as the engine sees it: Wireshark 4.0's default HTTP TCP ports (its
"http.tcp.port" range: 80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088,
11371), and any other TCP port whose first segment passes the strict probe."""

from __future__ import annotations

from interlock.protocols.http.framing import MAX_UNIT, probe, starts_unit, unit_length
from interlock.protocols.http.message import parse_exact, parse_message
from interlock.protocols.http.session import HttpSession
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="http",
    tcp_ports=frozenset({80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse_message,
    parse_exact=parse_exact,
    new_session=HttpSession,
    max_unit=MAX_UNIT,
)

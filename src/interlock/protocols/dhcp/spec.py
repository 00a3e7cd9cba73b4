"""DHCP as the engine sees it: UDP 67 (server) and 68 (client), one message per datagram;
the content probe wants a BOOTP op, Ethernet hardware and the magic cookie."""

from __future__ import annotations

from interlock.protocols.dhcp.message import COOKIE, FIXED_LEN, parse
from interlock.protocols.dhcp.session import DhcpRequests, DhcpSession
from interlock.protocols.identity.link import always_starts, no_fast_path, rest_of_frame
from interlock.protocols.spec import ProtocolSpec


def probe(buf: bytes, start: int, end: int) -> bool:
    """BOOTP op 1 or 2, hardware type 1 with length 6, hops at most 16, the cookie."""
    if end - start < FIXED_LEN + 5:
        return False
    return (
        buf[start] in (1, 2)
        and buf[start + 1] == 1
        and buf[start + 2] == 6
        and buf[start + 3] <= 16
        and bytes(buf[start + FIXED_LEN : start + FIXED_LEN + 4]) == COOKIE
    )


SPEC = ProtocolSpec(
    name="dhcp",
    tcp_ports=frozenset(),
    udp_ports=frozenset({67, 68}),
    unit_length=rest_of_frame,
    starts_unit=always_starts,
    probe=probe,
    parse=parse,
    parse_exact=no_fast_path,
    new_session=DhcpSession,
    max_unit=1 << 16,
    new_shared=DhcpRequests,
)

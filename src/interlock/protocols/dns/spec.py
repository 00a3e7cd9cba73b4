"""DNS as the engine sees it, as four specs because framing depends on the transport and
Wireshark names the multicast variants apart:

- "dns": UDP 53, one message per datagram;
- "dns-tcp": TCP 53 and 5353 (Wireshark's DNS TCP ports), a 2-byte length before each
  message; its records are reported as proto "dns" (see render/dns_record.py);
- "mdns": UDP 5353 (RFC 6762), "llmnr": UDP 5355 (RFC 4795): DNS messages Wireshark
  dissects under those names (its `dns` display filter does not match them).

The engine's unit_length has no transport argument; two specs over the same message
parser keep engine.py untouched.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.protocols.dns.framing import (
    MAX_TCP_UNIT,
    datagram_length,
    datagram_starts,
    parse_datagram,
    parse_prefixed,
    parse_prefixed_exact,
    prefixed_length,
    prefixed_starts,
    probe_datagram,
    probe_prefixed,
)
from interlock.protocols.dns.session import DnsSession
from interlock.protocols.spec import ProtocolSpec


def _never(buf: bytes, start: int, end: int) -> bool:
    return False


def _no_fast_path(buf: bytes, start: int, end: int) -> None:
    return None


def _udp_spec(name: str, port: int, probe: Callable[[bytes, int, int], bool]) -> ProtocolSpec:
    return ProtocolSpec(
        name=name,
        tcp_ports=frozenset(),
        udp_ports=frozenset({port}),
        unit_length=datagram_length,
        starts_unit=datagram_starts,
        probe=probe,
        parse=parse_datagram,
        parse_exact=_no_fast_path,
        new_session=DnsSession,
        max_unit=0xFFFF,
    )


# DNS on another UDP port is found by content; mDNS and LLMNR, which share its format, only
# on their own ports (content cannot tell them apart from DNS).
SPEC = _udp_spec("dns", 53, probe_datagram)
MDNS_SPEC = _udp_spec("mdns", 5353, _never)
LLMNR_SPEC = _udp_spec("llmnr", 5355, _never)

TCP_SPEC = ProtocolSpec(
    name="dns-tcp",
    tcp_ports=frozenset({53, 5353}),
    udp_ports=frozenset(),
    unit_length=prefixed_length,
    starts_unit=prefixed_starts,
    probe=probe_prefixed,
    parse=parse_prefixed,
    parse_exact=parse_prefixed_exact,
    new_session=DnsSession,
    max_unit=MAX_TCP_UNIT,
)

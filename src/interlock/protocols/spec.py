"""What the engine needs to know about a protocol: ports, framing, parsing, pairing.

Every function here is pure; the engine owns buffering, flows and time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, Protocol


class Session(Protocol):
    """Per-connection protocol state: pairs responses with their requests."""

    def observe(self, message: Any, is_request: bool, frame: int, ts: float) -> Any:
        """Record a message; for a response, return what it answers (or None)."""


class ProtocolSpec(NamedTuple):
    name: str
    tcp_ports: frozenset[int]
    udp_ports: frozenset[int]
    unit_length: Callable[[bytes, int], int]
    """Total length of the unit starting at pos, or 0 while its header is incomplete. In a
    UDP datagram, 0 or a length past the end makes the rest of the datagram one unit. In a
    TCP stream, a negative value says no unit can start at pos: the rest is dropped."""
    starts_unit: Callable[[bytes, int, int], bool]
    """Whether a segment's first bytes buf[pos:end] can start a unit."""
    probe: Callable[[bytes, int, int], bool]
    """Stricter content test used when the port is not the protocol's."""
    parse: Callable[[bytes, int, int], Any]
    parse_exact: Callable[[bytes, int, int], Any]
    """The message when buf[start:end] is exactly one well-formed unit that passes the
    start test, else None (the engine then takes the general path)."""
    new_session: Callable[..., Session]
    """A session for a new flow: called with no argument, or with the engine-wide shared
    object when new_shared is given."""
    max_unit: int
    """Largest unit the framing allows: the per-flow reassembly buffer cap."""
    new_shared: Callable[[], Any] | None = None
    """State one engine shares among all the protocol's sessions (EtherNet/IP: connections a
    Forward Open makes on TCP name the UDP I/O that uses them). None: flows are independent."""
    ethertypes: frozenset[int] = frozenset()
    """Link-layer protocols (ARP, LLDP, PROFINET DCP): the ethertypes whose frames are this
    protocol's units, parsed from the byte after the ethertype (and any VLAN tags). An
    802.2 LLC/SNAP frame with Cisco's OUI counts as ``CISCO_SNAP | pid`` (CDP:
    ``CISCO_SNAP | 0x2000``, from interlock.capture.linktypes), parsed after the SNAP header."""
    server_first: bool = False
    """Whether the server speaks first (SSH, FTP, VNC banners): a content probe that claims
    a flow on its first payload then takes that payload's sender for the server."""

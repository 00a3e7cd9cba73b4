"""Flows (both directions of a TCP or UDP conversation) and their per-direction streams."""

from __future__ import annotations

import ipaddress
from typing import Any, Final

from interlock.protocols.spec import ProtocolSpec

TCP: Final = 6
UDP: Final = 17
ETHER: Final = 0
"""Link-layer "flows": frames of one ethertype between two MAC addresses."""

# Segments of a flow whose protocol is still unknown that we show to the content probes
# before giving up on it.
PROBE_ATTEMPTS: Final = 4


class Stream:
    """One direction of a TCP connection: where the next byte is, and what is buffered."""

    __slots__ = ("fin", "next_seq", "pending", "segments")

    def __init__(self) -> None:
        self.next_seq = -1
        self.pending = b""
        self.segments = 0
        self.fin = False


class Flow:
    """A conversation between two endpoints; direction 0 is the side seen first."""

    __slots__ = (
        "addresses",
        "client_dir",
        "first_frame",
        "first_seen",
        "keys",
        "last_seen",
        "macs",
        "octets",
        "packets",
        "ports",
        "probes_left",
        "session",
        "sink_state",
        "spec",
        "streams",
        "text",
        "transport",
        "units",
    )

    def __init__(
        self,
        transport: int,
        addresses: bytes,
        sport: int,
        dport: int,
        keys: tuple[Any, Any],
    ) -> None:
        self.transport = transport
        self.addresses = addresses
        self.ports = (sport, dport)
        self.keys = keys
        self.spec: ProtocolSpec | None = None
        self.session: Any = None
        self.client_dir = -1
        self.streams = (Stream(), Stream())
        self.first_seen = -1.0
        self.first_frame = 0
        self.last_seen = 0.0
        self.packets = 0
        self.octets = 0
        """Frames and their bytes on the wire, both directions (the flow record's counters)."""
        self.macs = b""
        """Source then destination MAC of the flow's first Ethernet frame (b"" elsewhere)."""
        self.probes_left = PROBE_ATTEMPTS
        self.units = 0
        self.sink_state: list[Any] = [None, None]
        """Per-direction scratch space for the sink (e.g. a renderer's cached header)."""
        half = len(addresses) // 2
        if transport == ETHER:
            a, b = mac_text(addresses[:half]), mac_text(addresses[half:])
        else:
            a, b = address_text(addresses[:half]), address_text(addresses[half:])
        self.text = ((a, sport, b, dport), (b, dport, a, sport))

    def use(self, spec: ProtocolSpec, server_port: int) -> None:
        self.spec = spec
        self.session = spec.new_session()
        if self.client_dir < 0:
            self.client_dir = 0 if self.ports[1] == server_port else 1


_ADDRESS_TEXT: dict[bytes, str] = {}
_ADDRESS_TEXT_MAX: Final = 65_536


def address_text(packed: bytes) -> str:
    """An IPv4 or IPv6 address as text, as Python's ipaddress writes it.

    Cached (bounded): a flow per DNS query means a new flow every few packets between the
    same few hosts, and ipaddress's IPv6 formatting was most of the engine's time there.
    """
    text = _ADDRESS_TEXT.get(packed)
    if text is None:
        if len(_ADDRESS_TEXT) >= _ADDRESS_TEXT_MAX:
            _ADDRESS_TEXT.clear()
        text = _ADDRESS_TEXT[packed] = str(ipaddress.ip_address(packed))
    return text


def mac_text(mac: bytes) -> str:
    """A MAC address as Wireshark writes it: 00:1b:1b:12:34:56."""
    return mac.hex(":")

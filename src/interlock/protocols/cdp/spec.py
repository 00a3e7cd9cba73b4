"""CDP as the engine sees it: 802.2 LLC/SNAP frames with Cisco's OUI and protocol id
0x2000, parsed after the 8-byte LLC/SNAP header."""

from __future__ import annotations

from typing import Final

from interlock.protocols.cdp.packet import parse
from interlock.protocols.identity.link import (
    StandaloneSession,
    always_starts,
    never_probes,
    no_fast_path,
    rest_of_frame,
)
from interlock.protocols.spec import ProtocolSpec

PROTOCOL_ID: Final = 0x2000
CISCO_SNAP: Final = 0x20000
"""interlock.capture.linktypes.CISCO_SNAP (protocol code may not import the capture layer;
tests/protocols/identity/test_cdp.py checks that the two agree)."""

SPEC = ProtocolSpec(
    name="cdp",
    tcp_ports=frozenset(),
    udp_ports=frozenset(),
    unit_length=rest_of_frame,
    starts_unit=always_starts,
    probe=never_probes,
    parse=parse,
    parse_exact=no_fast_path,
    new_session=StandaloneSession,
    max_unit=1 << 16,
    ethertypes=frozenset({CISCO_SNAP | PROTOCOL_ID}),
)

"""LLDP as the engine sees it: every frame of ethertype 0x88CC is one LLDPDU."""

from __future__ import annotations

from typing import Final

from interlock.protocols.identity.link import (
    StandaloneSession,
    always_starts,
    never_probes,
    no_fast_path,
    rest_of_frame,
)
from interlock.protocols.lldp.tlv import parse
from interlock.protocols.spec import ProtocolSpec

ETHERTYPE: Final = 0x88CC

SPEC = ProtocolSpec(
    name="lldp",
    tcp_ports=frozenset(),
    udp_ports=frozenset(),
    unit_length=rest_of_frame,
    starts_unit=always_starts,
    probe=never_probes,
    parse=parse,
    parse_exact=no_fast_path,
    new_session=StandaloneSession,
    max_unit=1 << 16,
    ethertypes=frozenset({ETHERTYPE}),
)

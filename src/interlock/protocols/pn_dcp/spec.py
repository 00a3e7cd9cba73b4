"""PROFINET DCP as the engine sees it: every frame of ethertype 0x8892 is handed over;
only FrameIDs 0xFEFC-0xFEFF are DCP units (the others parse to None and are not reported)."""

from __future__ import annotations

from typing import Final

from interlock.protocols.identity.link import (
    always_starts,
    never_probes,
    no_fast_path,
    rest_of_frame,
)
from interlock.protocols.pn_dcp.packet import parse
from interlock.protocols.pn_dcp.session import DcpRequests, DcpSession
from interlock.protocols.spec import ProtocolSpec

ETHERTYPE: Final = 0x8892

SPEC = ProtocolSpec(
    name="pn_dcp",
    tcp_ports=frozenset(),
    udp_ports=frozenset(),
    unit_length=rest_of_frame,
    starts_unit=always_starts,
    probe=never_probes,
    parse=parse,
    parse_exact=no_fast_path,
    new_session=DcpSession,
    max_unit=1 << 16,
    new_shared=DcpRequests,
    ethertypes=frozenset({ETHERTYPE}),
)

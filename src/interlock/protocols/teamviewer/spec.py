"""TeamViewer and AnyDesk as the engine sees them (two specs, one small package)."""

from __future__ import annotations

from interlock.protocols.spec import ProtocolSpec
from interlock.protocols.teamviewer.session import OpaqueSession
from interlock.protocols.teamviewer.units import (
    anydesk_exact,
    no_probe,
    parse_anydesk,
    parse_teamviewer,
    starts_unit,
    teamviewer_exact,
    teamviewer_probe,
    unit_length,
)

TEAMVIEWER = ProtocolSpec(
    name="teamviewer",
    tcp_ports=frozenset({5938}),
    udp_ports=frozenset({5938}),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=teamviewer_probe,
    parse=parse_teamviewer,
    parse_exact=teamviewer_exact,
    new_session=OpaqueSession,
    max_unit=65535,
)
ANYDESK = ProtocolSpec(
    name="anydesk",
    tcp_ports=frozenset({7070, 6568}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=no_probe,
    parse=parse_anydesk,
    parse_exact=anydesk_exact,
    new_session=OpaqueSession,
    max_unit=65535,
)

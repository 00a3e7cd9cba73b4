"""OPC UA binary as the engine sees it: TCP port 4840, one unit per transport message
(chunk), framed by the 8-byte message header."""

from __future__ import annotations

from interlock.protocols.opcua.session import OpcUaSession
from interlock.protocols.opcua.transport import (
    MAX_CHUNK,
    parse_chunk,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="opcua",
    tcp_ports=frozenset({4840}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse_chunk,
    parse_exact=parse_exact,
    new_session=OpcUaSession,
    max_unit=MAX_CHUNK,
)

"""NBNS as the engine sees it: UDP 137, one message per datagram. The content probe, for
other ports, wants a whole header with a known opcode, at most a handful of entries, no
reserved flag bits, and a first name that is a legally encoded 32-letter NetBIOS name
followed by type NB or NBSTAT and class IN."""

from __future__ import annotations

from interlock.protocols.identity.link import always_starts, no_fast_path, rest_of_frame
from interlock.protocols.nbns.message import HEADER_LEN, OPCODES, T_NB, T_NBSTAT, parse
from interlock.protocols.nbns.session import NbnsRequests, NbnsSession
from interlock.protocols.spec import ProtocolSpec


def probe(buf: bytes, start: int, end: int) -> bool:
    data = bytes(buf[start:end])
    if len(data) < HEADER_LEN + 34 + 4:
        return False
    flags = (data[2] << 8) | data[3]
    if (flags >> 11) & 0xF not in OPCODES or flags & 0x0060:
        return False
    counts = [(data[i] << 8) | data[i + 1] for i in range(4, 12, 2)]
    if sum(counts) == 0 or any(c > 16 for c in counts):
        return False
    if data[12] != 32 or not all(0x41 <= c <= 0x50 for c in data[13:45]):
        return False
    pos = 45
    while pos < len(data) and data[pos] and pos < 45 + 255:  # scope id labels
        pos += 1 + data[pos]
    if pos + 5 > len(data) or data[pos] != 0:
        return False
    rtype = (data[pos + 1] << 8) | data[pos + 2]
    rclass = (data[pos + 3] << 8) | data[pos + 4]
    return rtype in (T_NB, T_NBSTAT) and rclass == 1


SPEC = ProtocolSpec(
    name="nbns",
    tcp_ports=frozenset(),
    udp_ports=frozenset({137}),
    unit_length=rest_of_frame,
    starts_unit=always_starts,
    probe=probe,
    parse=parse,
    parse_exact=no_fast_path,
    new_session=NbnsSession,
    max_unit=1 << 16,
    new_shared=NbnsRequests,
)

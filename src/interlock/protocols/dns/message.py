"""A DNS message (RFC 1035 section 4.1): header, questions, and the answer, authority and
additional sections, with EDNS0 (RFC 6891) read from the OPT record.

Pure: bytes in, a typed message out, never an exception. Sections stop where the data
does; what is missing or malformed becomes anomaly codes (see the package docstring).
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from interlock.protocols.dns.names import read_name
from interlock.protocols.dns.rdata import Edns, RData, decode

HEADER_LEN: Final = 12
ANSWER: Final = 1
AUTHORITY: Final = 2
ADDITIONAL: Final = 3
_HEADER = struct.Struct(">HHHHHH")
_FIXED = struct.Struct(">HHIH")  # type, class, ttl, rdlength


class Question(NamedTuple):
    name: str
    qtype: int
    qclass: int


class ResourceRecord(NamedTuple):
    section: int
    """ANSWER, AUTHORITY or ADDITIONAL."""
    name: str
    rtype: int
    rclass: int
    ttl: int
    rdlength: int
    data: RData


class DnsMessage(NamedTuple):
    id: int
    flags: int
    qdcount: int
    ancount: int
    nscount: int
    arcount: int
    questions: tuple[Question, ...]
    records: tuple[ResourceRecord, ...]
    """Every resource record in wire order, each tagged with its section."""
    tcp_length: int
    """The 2-byte length prefix over TCP, -1 over UDP."""
    anomalies: tuple[str, ...]

    @property
    def is_response(self) -> bool:
        return bool(self.flags & 0x8000)

    @property
    def opcode(self) -> int:
        return (self.flags >> 11) & 0x0F

    @property
    def rcode(self) -> int:
        """The header's response code (the OPT record may extend it: see ``edns``)."""
        return self.flags & 0x0F

    @property
    def question(self) -> Question | None:
        return self.questions[0] if self.questions else None

    @property
    def edns(self) -> Edns | None:
        for record in self.records:
            if isinstance(record.data, Edns):
                return record.data
        return None


def parse_message(data: bytes, tcp_length: int = -1) -> DnsMessage:
    """Decode one DNS message (data holds exactly the message, without a TCP prefix)."""
    if len(data) < HEADER_LEN:
        padded = data + bytes(HEADER_LEN - len(data))
        ident, flags, qd, an, ns, ar = _HEADER.unpack(padded)
        return DnsMessage(ident, flags, qd, an, ns, ar, (), (), tcp_length, ("dns.truncated",))
    ident, flags, qd, an, ns, ar = _HEADER.unpack_from(data, 0)
    anomalies: list[str] = []
    if flags & 0x0040:
        anomalies.append("dns.reserved_flag")
    questions: list[Question] = []
    pos = HEADER_LEN
    end = len(data)
    for _ in range(qd):
        name, pos, problem = read_name(data, pos)
        if problem:
            anomalies.append(problem)
        if problem in ("dns.truncated", "dns.bad_label_type") or end - pos < 4:
            _add(anomalies, "dns.truncated")
            pos = end
            break
        questions.append(Question(name, (data[pos] << 8) | data[pos + 1], _u16(data, pos + 2)))
        pos += 4
    records: list[ResourceRecord] = []
    for section, count in ((ANSWER, an), (AUTHORITY, ns), (ADDITIONAL, ar)):
        pos = _records(data, pos, section, count, records, anomalies)
    if pos < end:
        anomalies.append("dns.trailing_bytes")
    return DnsMessage(
        ident, flags, qd, an, ns, ar, tuple(questions), tuple(records), tcp_length,
        tuple(dict.fromkeys(anomalies)),
    )  # fmt: skip


def _u16(data: bytes, pos: int) -> int:
    return (data[pos] << 8) | data[pos + 1]


def _add(anomalies: list[str], code: str) -> None:
    if code not in anomalies:
        anomalies.append(code)


def _records(
    data: bytes,
    pos: int,
    section: int,
    count: int,
    records: list[ResourceRecord],
    anomalies: list[str],
) -> int:
    """Read count records of section from pos; returns where they end. Stops (with the
    anomaly dns.truncated) where the data does: the list never outgrows the bytes."""
    end = len(data)
    for _ in range(count):
        if pos >= end:
            _add(anomalies, "dns.truncated")
            return end
        name, pos, problem = read_name(data, pos)
        if problem:
            _add(anomalies, problem)
        if end - pos < _FIXED.size or problem in ("dns.truncated", "dns.bad_label_type"):
            _add(anomalies, "dns.truncated")
            return end
        rtype, rclass, ttl, rdlength = _FIXED.unpack_from(data, pos)
        pos += _FIXED.size
        if pos + rdlength > end:
            _add(anomalies, "dns.truncated")
            return end
        value, problem = decode(data, rtype, rclass, ttl, pos, pos + rdlength)
        if problem:
            _add(anomalies, problem)
        records.append(ResourceRecord(section, name, rtype, rclass, ttl, rdlength, value))
        pos += rdlength
    return pos


def encode_header(
    ident: int, flags: int, qd: int = 1, an: int = 0, ns: int = 0, ar: int = 0
) -> bytes:
    """A DNS header (for tests and capture builders)."""
    return _HEADER.pack(ident & 0xFFFF, flags & 0xFFFF, qd, an, ns, ar)

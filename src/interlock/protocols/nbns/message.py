"""The NetBIOS name service message (RFC 1002 section 4.2): a DNS-like header, questions
and resource records whose names are NetBIOS names; NB records (flags and addresses, or
a WACK's echoed flags) and NBSTAT node status records (the node's names and its unit id,
the MAC address).

Records are walked as Wireshark 4.0 walks them (an NBSTAT record ends where its
statistics end, whatever its data length says). Pure: never raises; a message cut short
keeps what came before, with nbns.truncated.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.identity.wire import ipv4_text
from interlock.protocols.nbns.names import NAME_LEN, NetbiosName, printable, read_netbios_name

HEADER_LEN: Final = 12
MAX_RECORDS: Final = 64
"""Questions and records decoded from one message; more is nbns.too_many_records."""
T_NB: Final = 0x20
T_NBSTAT: Final = 0x21
OPCODES: Final = {
    0: "query", 5: "registration", 6: "release", 7: "wack", 8: "refresh", 9: "refresh",
    15: "multihomed_registration",
}  # fmt: skip
WACK: Final = 7
_STATISTICS: Final = (1, 1, 2, 2, 2, 2, 2, 2, 4, 4, 2, 2, 2, 2, 2, 2, 2)
"""Sizes of the statistics after the unit id, as Wireshark reads them."""


class Question(NamedTuple):
    name: NetbiosName
    qtype: int
    qclass: int


class NodeName(NamedTuple):
    name: str
    suffix: int
    flags: int
    """-1 when the entry ends before its flags."""


class Record(NamedTuple):
    section: int
    """1 answer, 2 authority, 3 additional."""
    name: NetbiosName
    rtype: int
    rclass: int
    ttl: int
    data_length: int
    entries: tuple[tuple[int, str], ...] = ()
    """NB: (NB flags, IPv4 address); an entry cut short has address ""."""
    wack_flags: int = -1
    name_count: int = -1
    node_names: tuple[NodeName, ...] = ()
    unit_id: bytes | None = None


class NbnsMessage(NamedTuple):
    id: int
    flags: int
    counts: tuple[int, ...]
    """QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT as far as the header was captured."""
    questions: tuple[Question, ...]
    records: tuple[Record, ...]
    anomalies: tuple[str, ...]

    @property
    def is_response(self) -> bool:
        return self.flags >= 0 and bool(self.flags & 0x8000)

    @property
    def opcode(self) -> int:
        return (self.flags >> 11) & 0xF if self.flags >= 0 else -1

    @property
    def rcode(self) -> int:
        return self.flags & 0xF if self.flags >= 0 else 0

    @property
    def name(self) -> NetbiosName | None:
        """The name the message is about: its first question's, else its first record's."""
        if self.questions:
            return self.questions[0].name
        return self.records[0].name if self.records else None


class _Walk:
    __slots__ = ("anomalies", "data", "done", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = HEADER_LEN
        self.anomalies: list[str] = []
        self.done = False

    def note(self, code: str) -> None:
        if code and code not in self.anomalies:
            self.anomalies.append(code)

    def cut(self) -> None:
        self.note("nbns.truncated")
        self.done = True

    def has(self, size: int, at: int) -> bool:
        if at + size > len(self.data):
            self.cut()
            return False
        return True

    def number(self, at: int, size: int) -> int:
        return int.from_bytes(self.data[at : at + size], "big")


def parse(buf: bytes, start: int, end: int) -> NbnsMessage:
    data = bytes(buf[start:end])
    w = _Walk(data)
    xid = w.number(0, 2) if len(data) >= 2 else -1
    flags = w.number(2, 2) if len(data) >= 4 else -1
    counts = tuple(w.number(at, 2) for at in range(4, 12, 2) if at + 2 <= len(data))
    if len(data) < HEADER_LEN:
        w.cut()
        return NbnsMessage(xid, flags, counts, (), (), tuple(w.anomalies))
    opcode = (flags >> 11) & 0xF
    if opcode not in OPCODES:
        w.note("nbns.unknown_opcode")
    questions: list[Question] = []
    records: list[Record] = []
    budget = MAX_RECORDS
    for section, count in enumerate(counts):
        for _ in range(count):
            if w.done:
                break
            if budget <= 0:
                w.note("nbns.too_many_records")
                w.done = True
                break
            budget -= 1
            if section == 0:
                question = _question(w)
                if question is not None:
                    questions.append(question)
            else:
                record = _record(w, section, opcode)
                if record is not None:
                    records.append(record)
    return NbnsMessage(xid, flags, counts, tuple(questions), tuple(records), tuple(w.anomalies))


def _name(w: _Walk) -> NetbiosName | None:
    name, after, anomaly = read_netbios_name(w.data, w.pos)
    if anomaly == "nbns.truncated":
        w.cut()
        return None
    w.note(anomaly)
    if name.suffix < 0:
        w.note("nbns.illegal_name")
    w.pos = after
    return name


def _question(w: _Walk) -> Question | None:
    name = _name(w)
    if name is None or not w.has(4, w.pos):
        return None
    question = Question(name, w.number(w.pos, 2), w.number(w.pos + 2, 2))
    w.pos += 4
    return question


def _record(w: _Walk, section: int, opcode: int) -> Record | None:
    name = _name(w)
    if name is None or not w.has(10, w.pos):
        return None
    at = w.pos
    rtype, rclass = w.number(at, 2), w.number(at + 2, 2)
    record = Record(section, name, rtype, rclass, w.number(at + 4, 4), w.number(at + 8, 2))
    w.pos = at + 10
    if w.pos + record.data_length > len(w.data):
        w.cut()  # Wireshark's record subtree spans the data: past the capture, nothing shows
        return None
    if rtype == T_NB:
        return _nb(w, record, opcode == WACK)
    if rtype == T_NBSTAT:
        return _nbstat(w, record)
    w.pos += record.data_length
    return record


def _nb(w: _Walk, record: Record, wack: bool) -> Record:
    left = record.data_length
    entries: list[tuple[int, str]] = []
    while left > 0 and len(entries) < MAX_RECORDS:
        if left < 2:
            w.note("nbns.incomplete_entry")
            break
        if not w.has(2, w.pos):
            break
        flags = w.number(w.pos, 2)
        w.pos += 2
        left -= 2
        if wack:
            record = record._replace(wack_flags=flags)
            continue
        if left < 4:
            entries.append((flags, ""))
            w.note("nbns.incomplete_entry")
            break
        if not w.has(4, w.pos):
            entries.append((flags, ""))
            break
        entries.append((flags, ipv4_text(w.data[w.pos : w.pos + 4])))
        w.pos += 4
        left -= 4
    return record._replace(entries=tuple(entries))


def _nbstat(w: _Walk, record: Record) -> Record:
    left = record.data_length
    if left < 1:
        w.note("nbns.incomplete_entry")
        return record
    if not w.has(1, w.pos):
        return record
    count = w.data[w.pos]
    w.pos += 1
    names: list[NodeName] = []
    record = record._replace(name_count=count)
    for _ in range(count):
        if left < NAME_LEN:
            w.note("nbns.incomplete_entry")
            return record._replace(node_names=tuple(names))
        if not w.has(NAME_LEN, w.pos):
            return record._replace(node_names=tuple(names))
        raw = w.data[w.pos : w.pos + NAME_LEN]
        w.pos += NAME_LEN
        left -= NAME_LEN
        if left < 2 or not w.has(2, w.pos):
            if left < 2:
                w.note("nbns.incomplete_entry")
            names.append(NodeName(printable(raw), raw[-1], -1))
            return record._replace(node_names=tuple(names))
        names.append(NodeName(printable(raw), raw[-1], w.number(w.pos, 2)))
        w.pos += 2
        left -= 2
    record = record._replace(node_names=tuple(names))
    if left < 6:
        w.note("nbns.incomplete_entry")
        return record
    if not w.has(6, w.pos):
        return record
    record = record._replace(unit_id=w.data[w.pos : w.pos + 6])
    w.pos += 6
    left -= 6
    for size in _STATISTICS:
        if left < size:
            w.note("nbns.incomplete_entry")
            break
        if not w.has(size, w.pos):
            break
        w.pos += size
        left -= size
    return record

"""SNMP PDUs (RFC 3416 section 3, RFC 1157 section 4.1.6 for the v1 Trap-PDU) and their
variable bindings, with each value's SMI type (RFC 2578 section 7.1, RFC 3416 for the
exception values noSuchObject, noSuchInstance and endOfMibView)."""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.snmp.ber import (
    INTEGER,
    MAX_INTEGER_OCTETS,
    OID,
    SEQUENCE,
    Tlv,
    oid_text,
    signed,
    unsigned,
)
from interlock.protocols.snmp.reader import Reader

MAX_VARBINDS: Final = 256
"""Variable bindings decoded from one PDU; more is an anomaly and the rest is skipped."""
MAX_VALUE_OCTETS: Final = 1024
"""Octets kept from one OCTET STRING, Opaque or unknown value."""

PDU_NAMES: Final = {
    0xA0: "get",
    0xA1: "getnext",
    0xA2: "response",
    0xA3: "set",
    0xA4: "trap",
    0xA5: "getbulk",
    0xA6: "inform",
    0xA7: "trap_v2",
    0xA8: "report",
}
REQUESTS: Final = frozenset({0xA0, 0xA1, 0xA3, 0xA5, 0xA6})
TRAP_V1: Final = 0xA4
GETBULK: Final = 0xA5
VALUE_TYPES: Final = {
    0x02: "integer",
    0x04: "octet_string",
    0x05: "null",
    0x06: "oid",
    0x40: "ip_address",
    0x41: "counter32",
    0x42: "gauge32",
    0x43: "timeticks",
    0x44: "opaque",
    0x46: "counter64",
    0x47: "unsigned32",
    0x80: "no_such_object",
    0x81: "no_such_instance",
    0x82: "end_of_mib_view",
}
_UNSIGNED: Final = frozenset({0x41, 0x42, 0x43, 0x46, 0x47})
_EMPTY: Final = frozenset({0x05, 0x80, 0x81, 0x82})

Value = int | str | bytes | None


class VarBind(NamedTuple):
    oid: str
    tag: int
    """The value's tag (see VALUE_TYPES), -1 when the value is missing."""
    value: Value
    """int for numbers, dotted text for OIDs and IpAddress, bytes (at most
    MAX_VALUE_OCTETS) for strings, Opaque and unknown types, None for null and exceptions."""
    length: int = 0
    """The value's length on the wire."""

    @property
    def type_name(self) -> str:
        return VALUE_TYPES.get(self.tag, "unknown" if self.tag >= 0 else "missing")


class TrapV1(NamedTuple):
    enterprise: str | None = None
    agent_addr: str | None = None
    generic_trap: int | None = None
    specific_trap: int | None = None
    time_stamp: int | None = None


class Pdu(NamedTuple):
    tag: int
    request_id: int | None = None
    error_status: int | None = None
    """getbulk: non-repeaters."""
    error_index: int | None = None
    """getbulk: max-repetitions."""
    varbinds: tuple[VarBind, ...] = ()
    varbind_count: int = -1
    """Items the variable-bindings list was seen to hold (-1: the list is absent)."""
    trap: TrapV1 | None = None

    @property
    def name(self) -> str:
        return PDU_NAMES.get(self.tag, f"pdu_{self.tag:#04x}")

    @property
    def is_request(self) -> bool:
        return self.tag in REQUESTS


def parse_pdu(r: Reader, pos: int, end: int, version: int) -> Pdu | None:
    head = r.child(pos, end)
    if r.stopped:
        return None
    if head.anomaly or head.tag not in PDU_NAMES:
        r.stop(head.anomaly or "snmp.unknown_pdu")
        return None
    if head.tag == TRAP_V1:
        if version != 0:
            r.note("snmp.trap_v1_in_v2")
        return _trap_v1(r, head)
    numbers: list[int] = []
    at = head.start
    for _ in range(3):
        item = r.child(at, head.end)
        if not r.expect(item, INTEGER):
            return _pdu(head.tag, numbers)
        numbers.append(signed(r.data[item.start : item.end]))
        at = item.after
    if version == 0 and head.tag in (GETBULK, 0xA6, 0xA7, 0xA8):
        r.note("snmp.pdu_not_in_v1")
    binds, count = _varbinds(r, at, head.end)
    return _pdu(head.tag, numbers)._replace(varbinds=binds, varbind_count=count)


def _pdu(tag: int, numbers: list[int]) -> Pdu:
    padded = [*numbers, None, None, None]
    return Pdu(tag, padded[0], padded[1], padded[2])


def _trap_v1(r: Reader, head: Tlv) -> Pdu:
    got: list[Value] = []
    at = head.start
    for expected in (OID, 0x40, INTEGER, INTEGER, 0x43):
        item = r.child(at, head.end)
        if not r.expect(item, expected):
            break
        got.append(_value(r, item))
        at = item.after
    padded = [*got, None, None, None, None, None]
    enterprise, addr, generic, specific, stamp = padded[:5]
    trap = TrapV1(
        enterprise if isinstance(enterprise, str) else None,
        addr if isinstance(addr, str) else None,
        generic if isinstance(generic, int) else None,
        specific if isinstance(specific, int) else None,
        stamp if isinstance(stamp, int) else None,
    )
    if r.stopped:
        return Pdu(TRAP_V1, trap=trap)
    binds, count = _varbinds(r, at, head.end)
    return Pdu(TRAP_V1, varbinds=binds, varbind_count=count, trap=trap)


def _varbinds(r: Reader, pos: int, end: int) -> tuple[tuple[VarBind, ...], int]:
    outer = r.child(pos, end)
    if not r.expect(outer, SEQUENCE):
        return (), -1
    binds: list[VarBind] = []
    count = 0
    at = outer.start
    while at < outer.end:
        if count >= MAX_VARBINDS:
            r.note("snmp.too_many_varbinds")
            break
        count += 1
        item = r.child(at, outer.end)
        if not r.expect(item, SEQUENCE):
            break
        bind = _varbind(r, item)
        if bind is not None:
            binds.append(bind)
        if r.stopped:
            break
        at = item.after
    return tuple(binds), count


def _varbind(r: Reader, item: Tlv) -> VarBind | None:
    name = r.child(item.start, item.end)
    if not r.expect(name, OID):
        return None
    oid, ok = oid_text(r.data[name.start : name.end])
    if not ok:
        r.note("snmp.bad_oid")
    value = r.child(name.after, item.end)
    if value.anomaly:
        r.stop(value.anomaly)
        return VarBind(oid, -1, None)
    if value.tag & 0x20:
        r.stop("snmp.bad_value")
        return VarBind(oid, -1, None)
    if value.tag not in VALUE_TYPES:
        r.note("snmp.unknown_value_type")
    return VarBind(oid, value.tag, _value(r, value), value.end - value.start)


def _value(r: Reader, tlv: Tlv) -> Value:
    raw = r.data[tlv.start : tlv.end]
    tag = tlv.tag
    if tag == INTEGER or tag in _UNSIGNED:
        longest = MAX_INTEGER_OCTETS + (tag != INTEGER and raw[:1] == b"\0")
        if not raw or len(raw) > longest:
            r.note("snmp.bad_integer")
            return None
        return signed(raw) if tag == INTEGER else unsigned(raw)
    if tag == OID:
        text, ok = oid_text(raw)
        if not ok:
            r.note("snmp.bad_oid")
        return text
    if tag == 0x40 and len(raw) == 4:
        return ".".join(str(b) for b in raw)
    if tag in _EMPTY:
        if raw:
            r.note("snmp.bad_length")
        return None
    return raw[:MAX_VALUE_OCTETS]

"""A small bounded BER reader for SNMP (ITU-T X.690 section 8): one TLV at a time.

Only what SNMP uses: single-octet tags (SNMP's universal, application and context tags
are all below 31), definite lengths of at most four octets. A high tag number, an
indefinite or oversized length is an anomaly; a length running past the end is clipped
to the end and reported as truncation. Pure: never raises.
"""

from __future__ import annotations

from typing import Final, NamedTuple

MAX_OID_ARCS: Final = 128
"""Arcs kept from one OID (RFC 2578 allows 128 sub-identifiers); the rest is dropped."""
MAX_INTEGER_OCTETS: Final = 8
"""A signed INTEGER fits eight octets; unsigned types may take a ninth, leading zero
octet (Counter64). Longer is snmp.bad_integer."""

SEQUENCE: Final = 0x30
INTEGER: Final = 0x02
OCTET_STRING: Final = 0x04
NULL: Final = 0x05
OID: Final = 0x06


class Tlv(NamedTuple):
    tag: int
    """The identifier octet (class, constructed bit and tag number), or -1 when absent."""
    start: int
    """Where the value begins."""
    end: int
    """Where the value ends (clipped to the data when its length runs past)."""
    after: int
    """Where the next TLV begins."""
    anomaly: str
    """"" when well formed, else one of snmp.truncated, snmp.bad_length, snmp.bad_tag."""


def read_tlv(data: bytes, pos: int, end: int) -> Tlv:
    """The TLV at data[pos], within data[:end]."""
    if pos >= end:
        return Tlv(-1, end, end, end, "snmp.truncated")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        return Tlv(tag, end, end, end, "snmp.bad_tag")
    if pos + 1 >= end:
        return Tlv(tag, end, end, end, "snmp.truncated")
    first = data[pos + 1]
    start = pos + 2
    if first & 0x80:
        size = first & 0x7F
        if size == 0 or size > 4:
            return Tlv(tag, end, end, end, "snmp.bad_length")
        if start + size > end:
            return Tlv(tag, end, end, end, "snmp.truncated")
        length = int.from_bytes(data[start : start + size], "big")
        start += size
    else:
        length = first
    if start + length > end:
        return Tlv(tag, start, end, end, "snmp.truncated")
    return Tlv(tag, start, start + length, start + length, "")


def signed(raw: bytes) -> int:
    """A two's complement INTEGER (0 when empty); of an over-long one (an anomaly the
    callers report) only the last eight octets count, so it fits a signed 64-bit int."""
    return int.from_bytes(raw[-8:], "big", signed=True) if raw else 0


def unsigned(raw: bytes) -> int:
    """An unsigned application integer (Counter32, Gauge32, TimeTicks, Counter64): the
    last eight octets, so it fits an unsigned 64-bit int."""
    return int.from_bytes(raw[-8:], "big")


def oid_text(raw: bytes) -> tuple[str, bool]:
    """Dotted OID text (X.690 8.19) and whether it was well formed. Arcs beyond
    MAX_OID_ARCS are not kept; an arc longer than 64 bits or cut short ends the text."""
    arcs: list[int] = []
    value = 0
    octets = 0
    for octet in raw:
        value = (value << 7) | (octet & 0x7F)
        octets += 1
        if octets > 10:
            return ".".join(str(a) for a in arcs), False
        if octet & 0x80:
            continue
        if not arcs:
            first = min(value // 40, 2)
            arcs += (first, value - first * 40)
        else:
            arcs.append(value)
        value = octets = 0
        if len(arcs) >= MAX_OID_ARCS:
            break
    return ".".join(str(a) for a in arcs), bool(raw) and octets == 0

"""The ASDU as IEC 60870-5-104 lays it out (IEC 60870-5-101 section 7.1, with the 104
field sizes of IEC 60870-5-104 section 9): type id, variable structure qualifier (SQ bit
and number of objects), cause of transmission (cause, P/N and test bits, then the
originator address), a 2-octet common address, then the information objects, each a
3-octet IOA and its elements. With SQ set only the first object carries an IOA; the
others follow it at consecutive addresses.

Objects are read as far as the bytes go, the way Wireshark 4.0 (packet-iec104.c) reads
them, so that the IOAs listed are the ones it shows: a type it does not walk shows its
first IOA and raw bytes. Pure: no I/O; malformed input becomes anomaly codes.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.iec104.type_ids import TYPES

HEADER_LEN: Final = 6
IOA_LEN: Final = 3
MAX_OBJECTS: Final = 127


class InformationObject(NamedTuple):
    ioa: int
    element: bytes
    """The information elements (value, quality, time tag...) as on the wire."""


class Asdu(NamedTuple):
    """One application service data unit; -1 marks a header field the bytes did not hold."""

    type_id: int
    vsq: int
    cause_raw: int
    """The first cause octet: cause (6 bits), P/N (0x40) and test (0x80) bits."""
    originator: int
    common_address: int
    ioas: tuple[int, ...]
    """Every IOA Wireshark shows, one per object read (even when its elements are cut)."""
    objects: tuple[InformationObject, ...]
    """The objects whose elements are all present."""
    anomalies: tuple[str, ...]

    @property
    def sq(self) -> bool:
        return self.vsq >= 0 and bool(self.vsq & 0x80)

    @property
    def object_count(self) -> int:
        return self.vsq & 0x7F if self.vsq >= 0 else -1

    @property
    def cause(self) -> int:
        return self.cause_raw & 0x3F if self.cause_raw >= 0 else -1

    @property
    def negative(self) -> bool:
        return self.cause_raw >= 0 and bool(self.cause_raw & 0x40)

    @property
    def test(self) -> bool:
        return self.cause_raw >= 0 and bool(self.cause_raw & 0x80)

    @property
    def first_ioa(self) -> int:
        return self.ioas[0] if self.ioas else -1


def _header(buf: bytes, start: int, end: int) -> list[int]:
    """type id, vsq, cause, originator, common address: -1 past the end of the bytes."""
    n = end - start
    fields = [buf[start + i] if i < n else -1 for i in range(4)]
    fields.append(buf[start + 4] | (buf[start + 5] << 8) if n >= HEADER_LEN else -1)
    return fields


def parse_asdu(buf: bytes, start: int, end: int) -> Asdu:
    """Decode the ASDU in buf[start:end] (the APDU's bytes after its control field)."""
    type_id, vsq, cause_raw, originator, address = _header(buf, start, end)
    if address < 0:
        return Asdu(type_id, vsq, cause_raw, originator, -1, (), (), ("iec104.asdu_truncated",))
    anomalies: list[str] = []
    info = TYPES.get(type_id)
    if info is None:
        anomalies.append("iec104.unknown_type")
    if cause_raw & 0x3F == 0:
        anomalies.append("iec104.cause_zero")
    pos = start + HEADER_LEN
    if info is None or not info.walked:
        # One IOA, then whatever follows, as one object.
        if end - pos < IOA_LEN:
            anomalies.append("iec104.asdu_truncated")
            return Asdu(type_id, vsq, cause_raw, originator, address, (), (), tuple(anomalies))
        ioa = _ioa(buf, pos)
        raw = InformationObject(ioa, bytes(buf[pos + IOA_LEN : end]))
        return Asdu(type_id, vsq, cause_raw, originator, address, (ioa,), (raw,), tuple(anomalies))
    ioas, objects, complete = _walk(buf, pos, end, vsq, info.size)
    if not complete:
        anomalies.append("iec104.asdu_truncated")
    elif vsq & 0x7F == 0:
        anomalies.append("iec104.no_objects")
    if complete and _walked_length(vsq, info.size) != end - pos:
        anomalies.append("iec104.asdu_length_mismatch")
    return Asdu(
        type_id, vsq, cause_raw, originator, address, tuple(ioas), tuple(objects), tuple(anomalies)
    )


def _ioa(buf: bytes, pos: int) -> int:
    return buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16)


def _walked_length(vsq: int, size: int) -> int:
    count = vsq & 0x7F
    if not count:
        return 0
    if vsq & 0x80:
        return IOA_LEN + count * size
    return count * (IOA_LEN + size)


def _walk(
    buf: bytes, pos: int, end: int, vsq: int, size: int
) -> tuple[list[int], list[InformationObject], bool]:
    """Objects as Wireshark 4.0 reads them: stop at the first that does not fit. With SQ
    set, the next consecutive IOA is listed before its elements are found missing."""
    sequence = bool(vsq & 0x80)
    ioas: list[int] = []
    objects: list[InformationObject] = []
    ioa = 0
    for index in range(vsq & 0x7F):
        if index == 0 or not sequence:
            if end - pos < IOA_LEN:
                return ioas, objects, False
            ioa = _ioa(buf, pos)
            pos += IOA_LEN
        else:
            ioa += 1
        ioas.append(ioa)
        if end - pos < size:
            return ioas, objects, False
        objects.append(InformationObject(ioa, bytes(buf[pos : pos + size])))
        pos += size
    return ioas, objects, True

"""SZL (System Status List, "SSL" in English manuals) reads: CPU functions, sub-function 1.

Request payload: SZL id (2), index (2). Response payload: SZL id, index, record length
(2), record count (2), then the records. Identity records are decoded (Siemens, "System
Software for S7-300/400 System and Standard Functions", SSL-ID W#16#xy11 and xy1C):
- 0x0011 "module identification", 28-byte records: index, order number (MlfB, 20
  characters), module type (2), and two version words (Ausbg, Ausbe); index 0x0007 is
  the firmware, whose version is "V" major.minor.patch;
- 0x001C "component identification", 34-byte records: index and 32 characters (the
  automation system name, module name, plant designation, copyright, serial number, ...).
Pure; a response cut short yields the records that fit.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.s7comm.szl_ids import COMPONENT_FIELDS, MODULE_FIELDS


class SzlRequest(NamedTuple):
    szl_id: int
    szl_index: int


class SzlResponse(NamedTuple):
    szl_id: int
    szl_index: int
    record_length: int
    record_count: int
    records: tuple[bytes, ...]


def is_identity(szl_id: int) -> bool:
    """SZL partial lists 0x11 (module) and 0x1C (component identification), any extract."""
    return szl_id & 0xFF in (0x11, 0x1C)


def parse_request(payload: bytes) -> SzlRequest | None:
    if len(payload) < 4:
        return None
    return SzlRequest((payload[0] << 8) | payload[1], (payload[2] << 8) | payload[3])


def parse_response(payload: bytes) -> SzlResponse | None:
    if len(payload) < 8:
        return None
    szl_id = (payload[0] << 8) | payload[1]
    index = (payload[2] << 8) | payload[3]
    length = (payload[4] << 8) | payload[5]
    count = (payload[6] << 8) | payload[7]
    records: list[bytes] = []
    if length:
        for i in range(count):
            start = 8 + i * length
            if start + length > len(payload):
                break
            records.append(payload[start : start + length])
    return SzlResponse(szl_id, index, length, count, tuple(records))


_MODULE_RECORD: Final = 28
_COMPONENT_RECORD: Final = 34


def _text(raw: bytes) -> str:
    return raw.split(b"\x00", 1)[0].decode("latin-1").strip()


def identity(response: SzlResponse) -> dict[str, str]:
    """The identity facts in an SZL 0x..11 or 0x..1C response, by name."""
    facts: dict[str, str] = {}
    for record in response.records:
        index = (record[0] << 8) | record[1] if len(record) >= 2 else -1
        if response.szl_id & 0xFF == 0x11 and len(record) >= _MODULE_RECORD:
            _module_record(index, record, facts)
        elif response.szl_id & 0xFF == 0x1C and len(record) >= _COMPONENT_RECORD:
            name = COMPONENT_FIELDS.get(index)
            text = _text(record[2:34])
            if name is not None and text:
                facts[name] = text
    return facts


def _module_record(index: int, record: bytes, facts: dict[str, str]) -> None:
    name = MODULE_FIELDS.get(index)
    if name is None:
        return
    order = _text(record[2:22])
    ausbg = (record[24] << 8) | record[25]
    ausbe = (record[26] << 8) | record[27]
    version = _version(ausbg, ausbe)
    if index == 0x0007 and version:
        facts[name] = version  # the firmware: "V3.2.7"
    elif index >= 0x0081:
        # extensions (boot loader, ...): their name in the order number field
        facts[name] = f"{order} {version}".strip()
    elif order:
        facts[name] = order
        if index == 0x0006 and ausbe:
            facts["hardware_version"] = str(ausbe)


def _version(ausbg: int, ausbe: int) -> str:
    """A version word pair: a letter ("V") and the major version, then minor and patch."""
    letter = ausbg >> 8
    if not 0x41 <= letter <= 0x5A:
        return ""
    return f"{chr(letter)}{ausbg & 0xFF}.{ausbe >> 8}.{ausbe & 0xFF}"

"""Read Var and Write Var: the address items of the parameter part and the value items of
the data part (Wireshark's s7comm_decode_param_item / s7comm_decode_response_read_data).

Address item (S7ANY, syntax id 0x10): 0x12, length, 0x10, transport size, count (2),
DB number (2), area, address (3 bytes: byte offset << 3 | bit). Value item: return code,
transport size, length (bits for sizes 3, 4 and 5, else bytes), the value bytes, and a
fill byte after an odd length unless it is the last item. Pure; never raises.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.s7comm.functions import LENGTH_IN_BITS, RETURN_OK, SYNTAX_S7ANY


class VarSpec(NamedTuple):
    """One address item of a Read Var or Write Var request."""

    syntax_id: int
    transport_size: int
    quantity: int
    db_number: int
    area: int
    byte_address: int
    bit_address: int
    raw: bytes
    """The item as on the wire (for syntax ids other than S7ANY, all there is)."""


class DataItem(NamedTuple):
    """One value item: a read response's result or a write request's value."""

    return_code: int
    transport_size: int
    length: int
    """As on the wire (bits or bytes, by transport size)."""
    value: bytes


def parse_var_specs(p: bytes, start: int, count: int) -> tuple[tuple[VarSpec, ...], int, bool]:
    """count address items from p[start:]; returns them, the end offset and whether all fit."""
    specs: list[VarSpec] = []
    pos = start
    for index in range(count):
        if pos + 2 > len(p):
            return tuple(specs), pos, False
        size = 2 + p[pos + 1]
        if pos + size > len(p) or size < 3:
            return tuple(specs), pos, False
        specs.append(_var_spec(p[pos : pos + size]))
        pos += size
        if size % 2 and index < count - 1:
            pos += 1
    return tuple(specs), pos, True


def _var_spec(item: bytes) -> VarSpec:
    if item[2] == SYNTAX_S7ANY and len(item) >= 12:
        address = (item[9] << 16) | (item[10] << 8) | item[11]
        return VarSpec(
            SYNTAX_S7ANY,
            item[3],
            (item[4] << 8) | item[5],
            (item[6] << 8) | item[7],
            item[8],
            address >> 3,
            address & 7,
            item,
        )
    return VarSpec(item[2], 0, 0, 0, 0, 0, 0, item)


def value_length(transport_size: int, length: int) -> int:
    """The byte length of a value item whose length field is length."""
    if transport_size in LENGTH_IN_BITS:
        return (length + 7) // 8
    return length


def parse_data_items(p: bytes, start: int, count: int) -> tuple[tuple[DataItem, ...], bool]:
    """count value items from p[start:]; returns them and whether all fit."""
    items: list[DataItem] = []
    pos = start
    for index in range(count):
        if pos + 4 > len(p):
            if pos < len(p):  # a lone return code (an error item cut short)
                items.append(DataItem(p[pos], 0, 0, b""))
            return tuple(items), False
        code, tsize, length = p[pos], p[pos + 1], (p[pos + 2] << 8) | p[pos + 3]
        pos += 4
        if code not in (RETURN_OK, 0x00):
            items.append(DataItem(code, tsize, length, b""))
            continue
        size = value_length(tsize, length)
        items.append(DataItem(code, tsize, length, p[pos : pos + size]))
        if pos + size > len(p):
            return tuple(items), False
        pos += size + (1 if size % 2 and index < count - 1 else 0)
    return tuple(items), True


def parse_return_codes(p: bytes, start: int, count: int) -> tuple[int, ...]:
    """A Write Var response's data part: one return code per item."""
    return tuple(p[start : start + count])


def encode_var_spec(
    area: int,
    byte_address: int,
    count: int,
    transport_size: int = 0x02,
    db_number: int = 0,
    bit_address: int = 0,
) -> bytes:
    """An S7ANY address item."""
    address = (byte_address << 3) | (bit_address & 7)
    return bytes(
        (
            0x12,
            0x0A,
            SYNTAX_S7ANY,
            transport_size,
            count >> 8,
            count & 0xFF,
            db_number >> 8,
            db_number & 0xFF,
            area,
            (address >> 16) & 0xFF,
            (address >> 8) & 0xFF,
            address & 0xFF,
        )
    )


def encode_data_item(value: bytes, transport_size: int = 0x04, return_code: int = 0xFF) -> bytes:
    """A value item (length in bits for the bit-counted transport sizes)."""
    length = len(value) * 8 if transport_size in LENGTH_IN_BITS else len(value)
    return bytes((return_code, transport_size, length >> 8, length & 0xFF)) + value

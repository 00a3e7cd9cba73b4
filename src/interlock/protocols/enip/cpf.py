"""Common Packet Format items and the identity a ListIdentity reply carries.

CIP Volume 2, 2-6 (Common Packet Format: item count, then type id, length and data per
item) and 2-4.2.3 (ListIdentity reply item 0x0C: encapsulation version, socket address,
vendor id, device type, product code, revision, status, serial number, product name,
state). Pure; items cut short are kept as far as they go, with an anomaly code.
"""

from __future__ import annotations

import ipaddress
import struct
from typing import NamedTuple

from interlock.protocols.cip.identity import revision_text

_IDENTITY = struct.Struct("<H2s2s4s8xHHHBBHIB")  # socket address fields are big-endian


class CpfItem(NamedTuple):
    type_id: int
    data: bytes


class IdentityItem(NamedTuple):
    """One device's identity, as a ListIdentity reply announces it."""

    encap_version: int
    address: str
    """The socket address the device announces (sin_addr:sin_port)."""
    vendor_id: int
    device_type: int
    product_code: int
    revision_major: int
    revision_minor: int
    status: int
    serial: int
    product_name: str
    state: int
    """Device state byte after the name; -1 when the item ends before it."""

    @property
    def revision(self) -> str:
        return revision_text(self.revision_major, self.revision_minor)

    def details(self) -> dict[str, object]:
        return {
            "vendor_id": self.vendor_id,
            "device_type": self.device_type,
            "product_code": self.product_code,
            "revision": self.revision,
            "status": self.status,
            "serial_number": f"{self.serial:#010x}",
            "product_name": self.product_name,
            "state": self.state,
            "address": self.address,
        }


def parse_items(p: bytes, pos: int, end: int) -> tuple[tuple[CpfItem, ...], tuple[str, ...]]:
    """The items of the Common Packet Format at p[pos:end]."""
    if pos + 2 > end:
        return (), ("enip.cpf_truncated",)
    count = p[pos] | (p[pos + 1] << 8)
    pos += 2
    items: list[CpfItem] = []
    for _ in range(count):
        if pos + 4 > end:
            return tuple(items), ("enip.cpf_truncated",)
        type_id = p[pos] | (p[pos + 1] << 8)
        length = p[pos + 2] | (p[pos + 3] << 8)
        pos += 4
        items.append(CpfItem(type_id, p[pos : min(pos + length, end)]))
        if pos + length > end:
            return tuple(items), ("enip.cpf_item_truncated",)
        pos += length
    return tuple(items), ()


def parse_identity(data: bytes) -> IdentityItem | None:
    """A ListIdentity item (type 0x0C); None when it is too short for its fixed fields."""
    if len(data) < _IDENTITY.size:
        return None
    (version, _family, port, addr, vendor, devtype, product, major, minor, status, serial,
     name_len) = _IDENTITY.unpack_from(data)  # fmt: skip
    name_end = _IDENTITY.size + name_len
    name = data[_IDENTITY.size : name_end].decode("latin-1")
    state = data[name_end] if name_end < len(data) else -1
    address = f"{ipaddress.IPv4Address(addr)}:{int.from_bytes(port, 'big')}"
    return IdentityItem(
        version, address, vendor, devtype, product, major, minor, status, serial, name, state
    )


def encode_items(items: list[tuple[int, bytes]]) -> bytes:
    """Common Packet Format: item count, then type id, length and data of each item."""
    out = len(items).to_bytes(2, "little")
    for type_id, data in items:
        out += struct.pack("<HH", type_id, len(data)) + data
    return out


def encode_identity(item: IdentityItem, ip: str, port: int = 44818) -> bytes:
    """ListIdentity item data (type 0x0C) for a device."""
    name = item.product_name.encode("latin-1")
    fixed = _IDENTITY.pack(
        item.encap_version, b"\x00\x02", port.to_bytes(2, "big"),
        ipaddress.IPv4Address(ip).packed, item.vendor_id, item.device_type,
        item.product_code, item.revision_major, item.revision_minor, item.status,
        item.serial, len(name),
    )  # fmt: skip
    return fixed + name + bytes((item.state & 0xFF,))

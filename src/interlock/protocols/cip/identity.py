"""The Identity object (CIP Volume 1, 5-2) and the identity a ListIdentity reply carries.

Decodes attribute values into the names inventory uses: vendor id, device type, product
code, revision (major.minor), status, serial number, product name. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from interlock.protocols.cip.attributes import AttributeValue

IDENTITY_ATTRIBUTES: Final[dict[int, str]] = {
    1: "vendor_id",
    2: "device_type",
    3: "product_code",
    4: "revision",
    5: "status",
    6: "serial_number",
    7: "product_name",
}


def revision_text(major: int, minor: int) -> str:
    """A revision as Wireshark prints it: major, a dot, the minor on two digits."""
    return f"{major}.{minor:02d}"


def _value(attribute: int, raw: bytes) -> object | None:
    if attribute in (1, 2, 3, 5) and len(raw) >= 2:
        return int.from_bytes(raw[:2], "little")
    if attribute == 4 and len(raw) >= 2:
        return revision_text(raw[0], raw[1])
    if attribute == 6 and len(raw) >= 4:
        return f"{int.from_bytes(raw[:4], 'little'):#010x}"
    if attribute == 7 and raw:
        return raw[1 : 1 + raw[0]].decode("latin-1")
    return None


def identity_details(values: Iterable[AttributeValue]) -> dict[str, object]:
    """Identity attributes (successfully read ones only) by name."""
    found: dict[str, object] = {}
    for item in values:
        name = IDENTITY_ATTRIBUTES.get(item.attribute)
        value = _value(item.attribute, item.value) if item.status == 0 else None
        if name is not None and value is not None:
            found[name] = value
    return found

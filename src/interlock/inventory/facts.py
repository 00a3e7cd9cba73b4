"""Identity facts: what a device said about itself, taken from protocol transactions.

Each fact names the side of the transaction it describes (the server answered an identity
request; a client announced its hostname), an attribute, the value verbatim as the device
reported it, its source (protocol and message) and a confidence. Well-known attributes get
the inventory's canonical names (vendor, product, product_code, model, revision, firmware,
serial, name); every other string a device reported keeps its own name, so that nothing
it said about itself is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Final, Literal, NamedTuple

from interlock.model import Transaction

Side = Literal["server", "client"]

# Modbus/TCP units 0 and 255 address the device itself; a gateway routes the others.
MODBUS_SELF_UNITS: Final = frozenset({0, 255})


class IdentityFact(NamedTuple):
    side: Side
    attribute: str
    value: str
    source: str
    confidence: float
    child: tuple[str, str] | None = None
    """(kind, key) of the device behind the address this fact is about, if any."""


MODBUS_OBJECTS: Final = {
    "vendor_name": "vendor",
    "product_code": "product_code",
    "major_minor_revision": "revision",
    "product_name": "product",
    "model_name": "model",
    "user_application_name": "application",
}
CIP_IDENTITY: Final = {
    "vendor_id": "vendor_id",
    "device_type": "device_type",
    "product_code": "product_code",
    "revision": "revision",
    "serial_number": "serial",
    "product_name": "product",
}
S7_IDENTITY: Final = {
    "order_number": "product_code",
    "firmware": "firmware",
    "serial_number": "serial",
    "module_name": "product",
    "module_type_name": "model",
    "as_name": "name",
}
DNP3_ATTRIBUTES: Final = {
    "manufacturer_name": "vendor",
    "product_name_and_model": "product",
    "software_version": "firmware",
    "hardware_version": "revision",
    "serial_number": "serial",
    "device_name": "name",
    "user_assigned_id": "user_assigned_id",
    "location": "location",
    "owner_name": "owner_name",
}


def _strings(
    values: Mapping[str, object],
    names: Mapping[str, str],
    source: str,
    confidence: float,
    child: tuple[str, str] | None,
    keep_unknown: bool = True,
) -> Iterable[IdentityFact]:
    for key, raw in values.items():
        if raw is None or isinstance(raw, (dict, list)):
            continue
        value = str(raw).strip()
        if not value:
            continue
        attribute = names.get(key, key if keep_unknown else "")
        if attribute:
            yield IdentityFact("server", attribute, value, source, confidence, child)


def modbus_facts(tx: Transaction) -> Iterable[IdentityFact]:
    unit = tx.details.get("unit_id")
    child = None
    if isinstance(unit, int) and unit not in MODBUS_SELF_UNITS:
        child = ("modbus_unit", str(unit))
    objects = tx.details.get("device_identification")
    if isinstance(objects, dict):
        yield from _strings(objects, MODBUS_OBJECTS, "modbus.fc43", 0.9, child)
    server_id = tx.details.get("server_id")
    if isinstance(server_id, str):
        yield IdentityFact("server", "server_id", server_id, "modbus.fc17", 0.6, child)


def enip_facts(tx: Transaction) -> Iterable[IdentityFact]:
    identities = tx.details.get("identity")
    if not isinstance(identities, list):
        return
    source = "enip.list_identity" if tx.function == 0x63 else "cip.identity"
    child = None
    route = tx.details.get("route")
    if isinstance(route, list) and route and source == "cip.identity":
        last = route[-1]
        if isinstance(last, dict) and last.get("port") == 1:
            child = ("cip_slot", str(last.get("link")))
    for identity in identities:
        if isinstance(identity, dict):
            yield from _strings(identity, CIP_IDENTITY, source, 0.95, child, keep_unknown=False)


def s7comm_facts(tx: Transaction) -> Iterable[IdentityFact]:
    identity = tx.details.get("identity")
    if not isinstance(identity, dict):
        return
    szl = tx.details.get("szl_id")
    # 0x011C is an extract of partial list 0x001C (the high byte numbers the extract): one source.
    source = f"s7comm.szl_{szl & 0xFF:#06x}" if isinstance(szl, int) else "s7comm.szl"
    yield from _strings(identity, S7_IDENTITY, source, 0.95, None)


def dnp3_facts(tx: Transaction) -> Iterable[IdentityFact]:
    attributes = tx.details.get("device_attributes")
    if not isinstance(attributes, dict):
        return
    outstation = tx.details.get("outstation")
    child = ("dnp3_outstation", str(outstation)) if isinstance(outstation, int) else None
    yield from _strings(attributes, DNP3_ATTRIBUTES, "dnp3.device_attributes", 0.9, child, False)


EXTRACTORS: Final[dict[str, Callable[[Transaction], Iterable[IdentityFact]]]] = {
    "modbus": modbus_facts,
    "enip": enip_facts,
    "s7comm": s7comm_facts,
    "dnp3": dnp3_facts,
}


def facts_of(tx: Transaction) -> list[IdentityFact]:
    """Every identity fact a transaction carries (none for most)."""
    extract = EXTRACTORS.get(tx.protocol)
    return list(extract(tx)) if extract is not None else []

"""Identity from industrial protocols: Modbus FC 43/14 and FC 17, EtherNet/IP ListIdentity
and CIP Identity, S7 SZL 0x0011/0x001C, DNP3 device attributes (group 0), OPC UA
application descriptions and certificates.

Well-known attributes get the inventory's canonical names (vendor, product, product_code,
model, revision, firmware, serial, name); every other string a device reported keeps its
own name, so that nothing it said about itself is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from interlock.inventory.facts.base import IdentityFact, Side, strings, text_of
from interlock.inventory.vendors import vendor_name
from interlock.model import Transaction

# Modbus/TCP units 0 and 255 address the device itself; a gateway routes the others.
MODBUS_SELF_UNITS: Final = frozenset({0, 255})
# FC 17's server id is device-specific bytes; the text in it (a vendor or product name)
# is what a person reads: runs of at least four printable ASCII characters.
PRINTABLE_RUN: Final = re.compile(rb"[\x20-\x7e]{4,}")

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


def modbus_facts(tx: Transaction) -> Iterable[IdentityFact]:
    unit = tx.details.get("unit_id")
    child = None
    if isinstance(unit, int) and unit not in MODBUS_SELF_UNITS:
        child = ("modbus_unit", str(unit))
    objects = tx.details.get("device_identification")
    if isinstance(objects, dict):
        yield from strings(objects, MODBUS_OBJECTS, "modbus.fc43", 0.9, child)
    server_id = tx.details.get("server_id")
    if isinstance(server_id, str):
        yield IdentityFact("server", "server_id", server_id, "modbus.fc17", 0.6, child)
        for text in _printable_runs(server_id):
            yield IdentityFact("server", "server_id_text", text, "modbus.fc17", 0.6, child)


def _printable_runs(hex_text: str) -> list[str]:
    try:
        data = bytes.fromhex(hex_text)
    except ValueError:
        return []
    runs = (m.group().decode("ascii").strip() for m in PRINTABLE_RUN.finditer(data))
    return [run for run in runs if run]


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
            yield from strings(identity, CIP_IDENTITY, source, 0.95, child, keep_unknown=False)
            name = vendor_name("cip", identity.get("vendor_id"))
            if name is not None:
                yield IdentityFact("server", "vendor", name, "cip.vendor_registry", 0.9, child)


def s7comm_facts(tx: Transaction) -> Iterable[IdentityFact]:
    identity = tx.details.get("identity")
    if not isinstance(identity, dict):
        return
    szl = tx.details.get("szl_id")
    # 0x011C is an extract of partial list 0x001C (the high byte numbers the extract): one source.
    source = f"s7comm.szl_{szl & 0xFF:#06x}" if isinstance(szl, int) else "s7comm.szl"
    yield from strings(identity, S7_IDENTITY, source, 0.95, None)


def dnp3_facts(tx: Transaction) -> Iterable[IdentityFact]:
    attributes = tx.details.get("device_attributes")
    if not isinstance(attributes, dict):
        return
    outstation = tx.details.get("outstation")
    child = ("dnp3_outstation", str(outstation)) if isinstance(outstation, int) else None
    yield from strings(attributes, DNP3_ATTRIBUTES, "dnp3.device_attributes", 0.9, child, False)


def _description(found: object, side: Side, source: str) -> Iterable[IdentityFact]:
    """An OPC UA ApplicationDescription (Part 4, 7.2): who the application says it is."""
    if not isinstance(found, dict):
        return
    names = {"uri": "application_uri", "product_uri": "product_uri", "name": "application_name"}
    yield from strings(found, names, source, 0.9, None, False, side)


def _certificate(found: object, side: Side, source: str) -> Iterable[IdentityFact]:
    if not isinstance(found, dict):
        return
    names = {"subject": "certificate_subject", "sha1": "certificate_sha1"}
    yield from strings(found, names, source, 0.9, None, False, side)


def opcua_facts(tx: Transaction) -> Iterable[IdentityFact]:
    """GetEndpoints and CreateSession name the server's application (and CreateSession the
    client's); OpenSecureChannel carries both application instance certificates."""
    details = tx.details
    source = f"opcua.{_snake(tx.function_name)}"
    yield from _description(details.get("client"), "client", source)
    endpoints = details.get("endpoints")
    for endpoint in endpoints if isinstance(endpoints, list) else ():
        if not isinstance(endpoint, dict):
            continue
        yield from _description(endpoint.get("server"), "server", source)
        thumbprint = text_of(endpoint.get("certificate_sha1"))
        if thumbprint:
            yield IdentityFact("server", "certificate_sha1", thumbprint, source, 0.9)
    yield from _certificate(details.get("client_certificate"), "client", source)
    yield from _certificate(details.get("server_certificate"), "server", source)


def _snake(name: str) -> str:
    """GetEndpoints -> get_endpoints."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")

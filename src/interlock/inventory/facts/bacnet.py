"""Identity from BACnet: I-Am (device instance, vendor id) and the device object's
properties read by a client (ANSI/ASHRAE 135, 12.11: object-name, vendor-name, model-name,
firmware-revision, application-software-version, location, description, serial-number).

Devices on another BACnet network answer through a router's IP address: a message whose
NPDU names a source network (SNET/SADR), or a request that names a destination network
(DNET/DADR), is about the device ``net:addr`` behind that address (child kind
``bacnet_device``). A Forwarded-NPDU (Annex J.4.5) is about the device whose B/IP address
the BBMD forwarded, not the BBMD: that address is an asset even when no traffic of its own
reached the capture (``forwarded_origins``), and a device on another network behind it
(SNET/SADR) is its child.

A vendor id is kept as a number (``vendor_id``) and, where the installed Wireshark knows
ASHRAE's registry, also named (``vendor`` from ``bacnet.vendor_registry``, see
``interlock.inventory.vendors``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Final

from interlock.inventory.facts.base import Child, IdentityFact, Origin, Side, text_of
from interlock.inventory.vendors import vendor_name
from interlock.model import Transaction

DEVICE_PROPERTIES: Final = {
    "object-name": "name",
    "vendor-name": "vendor",
    "vendor-identifier": "vendor_id",
    "model-name": "model",
    "firmware-revision": "firmware",
    "application-software-version": "revision",
    "location": "location",
    "description": "description",
    "serial-number": "serial",
    "object-identifier": "device_instance",
}
GLOBAL_NETWORK: Final = 0xFFFF
I_AM: Final = 0
SELF_DESCRIBED: Final = 0.9
FORWARDED: Final = "bacnet.bvlc_forwarded"


def routed_child(details: dict[str, object], net: str, addr: str) -> Child | None:
    """The device ``net:addr`` a routed message names; None for local or broadcast ones."""
    network, address = details.get(net), details.get(addr)
    if not isinstance(network, int) or network == GLOBAL_NETWORK:
        return None
    if not isinstance(address, str) or not address:
        return None
    return ("bacnet_device", f"{network}:{address}")


def _instance(text: object) -> str:
    """ "device:1001" -> "1001" ("" when it is not a device object)."""
    value = text_of(text)
    kind, _, number = value.partition(":")
    return number if kind == "device" and number.isdigit() else ""


def forwarded_origins(tx: Transaction) -> Iterable[Origin]:
    """The B/IP address a BBMD's Forwarded-NPDU names as the message's original source."""
    host, _, port = text_of(tx.details.get("forwarded_from")).rpartition(":")
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        return
    if port.isdigit():
        yield Origin(str(address), int(port), FORWARDED)


def bacnet_facts(tx: Transaction) -> Iterable[IdentityFact]:
    details = tx.details
    forwarded = next(iter(forwarded_origins(tx)), None)
    if forwarded is not None:
        # The BBMD states the original source's B/IP address (its own IP and UDP port).
        where = f"{forwarded.ip}:{forwarded.port}"
        yield _fact("client", "bacnet_address", where, FORWARDED, None, forwarded.ip)
    if tx.status == "unsolicited":
        if tx.function != I_AM:
            return
        # An unconfirmed request is about its sender (the transaction's client), or about
        # the original source a BBMD forwarded it for.
        child = routed_child(details, "snet", "sadr")
        address = forwarded.ip if forwarded is not None else None
        instance = _instance(details.get("device"))
        if instance:
            yield _fact("client", "device_instance", instance, "bacnet.i_am", child, address)
        vendor = details.get("vendor_id")
        if isinstance(vendor, int):
            yield _fact("client", "vendor_id", str(vendor), "bacnet.i_am", child, address)
            name = vendor_name("bacnet", vendor)
            if name is not None:
                yield _fact("client", "vendor", name, "bacnet.vendor_registry", child, address)
        return
    if tx.operation != "read" or tx.response_frame is None or tx.status != "ok":
        return  # a written object-name is what the client wanted, not what the device is
    child = routed_child(details, "dnet", "dadr")
    source = f"bacnet.{tx.function_name}"
    properties = details.get("properties")
    for access in properties if isinstance(properties, list) else ():
        if not isinstance(access, dict) or not _instance(access.get("object")):
            continue
        attribute = DEVICE_PROPERTIES.get(str(access.get("property")))
        if attribute is None or "array_index" in access:
            continue
        value = access.get("value")
        text = _instance(value) if attribute == "device_instance" else text_of(value)
        if text:
            yield _fact("server", attribute, text, source, child, None)


def _fact(
    side: Side, attribute: str, value: str, source: str, child: Child | None, address: str | None
) -> IdentityFact:
    return IdentityFact(side, attribute, value, source, SELF_DESCRIBED, child, address)

"""Identity facts: what a device said about itself, taken from protocol transactions.

Each fact names the side of the transaction it describes (the server answered an identity
request; a client announced its hostname) or the address it is about (a link-layer
sender's MAC, the address in a DNS answer), an attribute, the value verbatim as reported,
its source (protocol and message) and a confidence: about 0.9 for a device describing
itself, 0.8 for software banners and names a client chose, 0.6 for a User-Agent, 0.5 for
names others use for a device. Well-known attributes get the inventory's canonical names
(vendor, product, product_code, model, revision, firmware, serial, name, hostname); every
other string keeps a protocol-specific name, so that nothing a device said is lost.

Link-layer frames, DHCP and DCP also bind IP addresses to MAC addresses (``Binding``).
A relayed message names its original sender (``Origin``: a BBMD's Forwarded-NPDU). A few
units say things about their sender that their transaction does not carry (a DCP Hello's
blocks): ``UNIT_EXTRACTORS`` read those from the engine's unit.
One extractor per protocol, in one literal table; docs/inventory-facts.md lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from interlock.inventory.facts import bacnet, ics, link, management, services
from interlock.inventory.facts.base import (
    Binding,
    Child,
    IdentityFact,
    Origin,
    Side,
    is_unicast_mac,
)
from interlock.model import Transaction

__all__ = [
    "EXTRACTORS",
    "UNIT_EXTRACTORS",
    "Binding",
    "Child",
    "IdentityFact",
    "Origin",
    "Side",
    "bindings_of",
    "facts_of",
    "is_unicast_mac",
    "origins_of",
]

Extractor = Callable[[Transaction], Iterable[IdentityFact]]

EXTRACTORS: Final[dict[str, Extractor]] = {
    "modbus": ics.modbus_facts,
    "enip": ics.enip_facts,
    "s7comm": ics.s7comm_facts,
    "dnp3": ics.dnp3_facts,
    "opcua": ics.opcua_facts,
    "bacnet": bacnet.bacnet_facts,
    "tls": services.tls_facts,
    "dtls": services.tls_facts,
    "http": services.http_facts,
    "mqtt": services.mqtt_facts,
    "dns": services.dns_facts,
    "ssh": services.ssh_facts,
    "ftp": services.ftp_facts,
    "telnet": services.telnet_facts,
    "vnc": services.vnc_facts,
    "smb": services.smb_facts,
    "snmp": management.snmp_facts,
    "nbns": management.nbns_facts,
    "lldp": link.lldp_facts,
    "cdp": link.cdp_facts,
    "pn_dcp": link.pn_dcp_facts,
    "dhcp": link.dhcp_facts,
}
BINDERS: Final[dict[str, Callable[[Transaction], Iterable[Binding]]]] = {
    "arp": link.arp_bindings,
    "dhcp": link.dhcp_bindings,
    "pn_dcp": link.pn_dcp_bindings,
}

UnitExtractor = Callable[[object, str], tuple[list[IdentityFact], list[Binding]]]
UNIT_EXTRACTORS: Final[dict[str, UnitExtractor]] = {
    "pn_dcp": link.pn_dcp_hello,
}
"""protocol -> (the engine's unit, its sender's address) -> facts and bindings."""
ORIGINS: Final[dict[str, Callable[[Transaction], Iterable[Origin]]]] = {
    "bacnet": bacnet.forwarded_origins,
}


def facts_of(tx: Transaction) -> list[IdentityFact]:
    """Every identity fact a transaction carries (none for most)."""
    extract = EXTRACTORS.get(tx.protocol)
    return list(extract(tx)) if extract is not None else []


def bindings_of(tx: Transaction) -> list[Binding]:
    """Every (IP, MAC) binding a transaction states."""
    bind = BINDERS.get(tx.protocol)
    return list(bind(tx)) if bind is not None else []


def origins_of(tx: Transaction) -> list[Origin]:
    """The original senders a relayed message names."""
    origins = ORIGINS.get(tx.protocol)
    return list(origins(tx)) if origins is not None else []

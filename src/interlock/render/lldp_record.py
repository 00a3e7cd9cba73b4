"""LLDPDUs as Wireshark 4.0 shows them (packet-lldp.c), for `interlock dissect`.

lldp.tlv.type and lldp.tlv.len list every TLV, End included; as Wireshark, nothing after a
TLV out of the mandatory order (Chassis ID, Port ID, TTL) is shown. lldp.chassis.id is
Wireshark's FT_BYTES (hex) for the string subtypes; lldp.port.id a string. Chassis and port ids get
the typed field of their subtype (.mac, .ip4, .ip6 with lldp.network_address.subtype) or
the string; capabilities their two 16-bit masks; management addresses their parts;
organizational TLVs their OUI, subtype and the known values (org.py).
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.identity.wire import hex_text, ipv4_text, ipv6_text, mac_text, text
from interlock.protocols.lldp.org import org_facts
from interlock.protocols.lldp.tlv import LldpPdu
from interlock.render.identity_record import Fields, add


def _address_id(f: Fields, prefix: str, raw: bytes) -> None:
    if not raw:
        return
    add(f, "lldp.network_address.subtype", raw[0])
    if raw[0] == 1 and len(raw) == 5:
        add(f, prefix + ".ip4", ipv4_text(raw[1:]))
    elif raw[0] == 2 and len(raw) == 17:
        add(f, prefix + ".ip6", ipv6_text(raw[1:]))


def _id(f: Fields, prefix: str, subtype: int, raw: bytes, mac: int, address: int) -> None:
    add(f, prefix + ".subtype", subtype)
    if subtype == mac and len(raw) == 6:
        add(f, prefix + ".id.mac", mac_text(raw))
    elif subtype == address:
        _address_id(f, prefix + ".id", raw)
    elif prefix == "lldp.chassis":  # an FT_BYTES field in Wireshark, whatever the subtype
        add(f, prefix + ".id", hex_text(raw))
    else:
        add(f, prefix + ".id", text(raw))


def lldp_record(pdu: LldpPdu, role: int, answered: Any) -> tuple[None, Fields, tuple[str, ...]]:
    f: Fields = {}
    for tlv in pdu.tlvs:
        add(f, "lldp.tlv.type", tlv.type)
        add(f, "lldp.tlv.len", tlv.length)
    if pdu.chassis_subtype >= 0:
        _id(f, "lldp.chassis", pdu.chassis_subtype, pdu.chassis_id, 4, 5)
    if pdu.port_subtype >= 0:
        _id(f, "lldp.port", pdu.port_subtype, pdu.port_id, 3, 4)
    if pdu.ttl >= 0:
        f["lldp.time_to_live"] = pdu.ttl
    if pdu.port_description is not None:
        f["lldp.port.desc"] = pdu.port_description
    if pdu.system_name is not None:
        f["lldp.tlv.system.name"] = pdu.system_name
    if pdu.system_description is not None:
        f["lldp.tlv.system.desc"] = pdu.system_description
    if pdu.capabilities is not None:
        f["lldp.tlv.system_cap"] = pdu.capabilities.supported
        f["lldp.tlv.enable_system_cap"] = pdu.capabilities.enabled
    for m in pdu.management:
        add(f, "lldp.mgn.address.len", len(m.address) + 1)
        add(f, "lldp.mgn.address.subtype", m.subtype)
        if m.subtype == 1 and len(m.address) == 4:
            add(f, "lldp.mgn.addr.ip4", ipv4_text(m.address))
        elif m.subtype == 2 and len(m.address) == 16:
            add(f, "lldp.mgn.addr.ip6", ipv6_text(m.address))
        else:
            add(f, "lldp.mgn.addr.hex", hex_text(m.address))
        add(f, "lldp.mgn.interface.subtype", m.interface_subtype)
        add(f, "lldp.mgn.interface.number", m.interface_number)
        add(f, "lldp.mgn.obj.len", len(m.oid))
    for org in pdu.org:
        for key, value in org_facts(org):
            add(f, key, value)
    return None, f, pdu.anomalies

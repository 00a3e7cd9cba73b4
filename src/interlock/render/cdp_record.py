"""CDP packets as Wireshark 4.0 shows them (packet-cdp.c), for `interlock dissect`.

cdp.tlv.type and cdp.tlv.len list every TLV; address lists give cdp.number_of_addresses
and, per address, cdp.protocol_type, cdp.protocol_length, cdp.address_length and the
IPv4 address (cdp.nrgyz.ip_address, the field Wireshark uses for it).
"""

from __future__ import annotations

from typing import Any, Final

from interlock.protocols.cdp.packet import (
    CAPABILITIES,
    DUPLEX,
    NATIVE_VLAN,
    SOFTWARE_VERSION,
    STRING_TLVS,
    CdpAddress,
    CdpPacket,
)
from interlock.protocols.identity.wire import ipv4_text, text
from interlock.render.identity_record import Fields, add

_STRING_FIELDS: Final = {
    "device_id": "cdp.deviceid",
    "port_id": "cdp.portid",
    "software_version": "cdp.software_version",
    "platform": "cdp.platform",
    "vtp_domain": "cdp.vtp_management_domain",
    "system_name": "cdp.system_name",
}


def _addresses(f: Fields, count: int, addresses: tuple[CdpAddress, ...]) -> None:
    add(f, "cdp.number_of_addresses", count)
    for a in addresses:
        add(f, "cdp.protocol_type", a.protocol_type)
        add(f, "cdp.protocol_length", len(a.protocol))
        add(f, "cdp.address_length", len(a.address))
        if a.protocol_type == 1 and a.protocol == b"\xcc" and len(a.address) == 4:
            add(f, "cdp.nrgyz.ip_address", ipv4_text(a.address))


def cdp_record(packet: CdpPacket, role: int, answered: Any) -> tuple[None, Fields, tuple[str, ...]]:
    f: Fields = {}
    if packet.version < 0:
        return None, f, packet.anomalies
    f["cdp.version"] = packet.version
    f["cdp.ttl"] = packet.ttl
    f["cdp.checksum"] = packet.checksum
    for tlv in packet.tlvs:
        add(f, "cdp.tlv.type", tlv.type)
        add(f, "cdp.tlv.len", tlv.length)
        v = tlv.value
        if tlv.type in STRING_TLVS:
            add(f, _STRING_FIELDS[STRING_TLVS[tlv.type]], text(v, tlv.type != SOFTWARE_VERSION))
        elif tlv.type == CAPABILITIES and len(v) >= 4:
            add(f, "cdp.capabilities", int.from_bytes(v[:4], "big"))
        elif tlv.type == NATIVE_VLAN and len(v) >= 2:
            add(f, "cdp.native_vlan", (v[0] << 8) | v[1])
        elif tlv.type == DUPLEX and v:
            add(f, "cdp.duplex", v[0])
        elif tlv.type in (0x0002, 0x0016) and len(v) >= 4:
            listed = packet.addresses if tlv.type == 0x0002 else packet.management_addresses
            _addresses(f, int.from_bytes(v[:4], "big"), listed)
    return None, f, packet.anomalies

"""What the basic LLDP TLVs carry (IEEE 802.1AB-2016, 8.5): ids with their subtypes,
the TTL, strings, capabilities and management addresses; organizational TLVs by OUI."""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.identity.wire import hex_text, ipv4_text, ipv6_text, mac_text, text

# Chassis ID subtypes (8.5.2.2) and Port ID subtypes (8.5.3.2).
CHASSIS_SUBTYPES: Final = {
    1: "chassis_component",
    2: "interface_alias",
    3: "port_component",
    4: "mac_address",
    5: "network_address",
    6: "interface_name",
    7: "locally_assigned",
}
PORT_SUBTYPES: Final = {
    1: "interface_alias",
    2: "port_component",
    3: "mac_address",
    4: "network_address",
    5: "interface_name",
    6: "agent_circuit_id",
    7: "locally_assigned",
}
CAPABILITY_BITS: Final = (
    "other",
    "repeater",
    "bridge",
    "wlan_access_point",
    "router",
    "telephone",
    "docsis_cable_device",
    "station_only",
    "c_vlan",
    "s_vlan",
    "two_port_mac_relay",
)
STRING_TLVS: Final = frozenset({4, 5, 6})


class Capabilities(NamedTuple):
    supported: int
    enabled: int

    def names(self, bits: int) -> list[str]:
        return [name for i, name in enumerate(CAPABILITY_BITS) if bits >> i & 1]


class ManagementAddress(NamedTuple):
    subtype: int
    """IANA address family: 1 IPv4, 2 IPv6, others as raw bytes."""
    address: bytes
    interface_subtype: int
    interface_number: int
    oid: bytes


class OrgTlv(NamedTuple):
    oui: int
    subtype: int
    data: bytes


def tlv_value(kind: int, value: bytes, anomalies: list[str]) -> object:
    """The decoded value of one TLV, or None (End, reserved types, malformed)."""
    if kind in (1, 2):
        if len(value) < 2:
            anomalies.append("lldp.bad_tlv_length")
            return None
        return (value[0], value[1:])
    if kind == 3:
        if len(value) != 2:
            anomalies.append("lldp.bad_tlv_length")
            return None
        return (value[0] << 8) | value[1]
    if kind in STRING_TLVS:
        return text(value)
    if kind == 7:
        if len(value) != 4:
            anomalies.append("lldp.bad_tlv_length")
            return None
        return Capabilities((value[0] << 8) | value[1], (value[2] << 8) | value[3])
    if kind == 8:
        return _management(value, anomalies)
    if kind == 127:
        if len(value) < 4:
            anomalies.append("lldp.bad_tlv_length")
            return None
        return OrgTlv((value[0] << 16) | (value[1] << 8) | value[2], value[3], value[4:])
    return None


def _management(value: bytes, anomalies: list[str]) -> ManagementAddress | None:
    """Address string length (subtype + address), address, interface numbering, OID."""
    if not value:
        anomalies.append("lldp.bad_tlv_length")
        return None
    addr_len = value[0]
    pos = 1 + addr_len
    if addr_len < 1 or pos + 6 > len(value):
        anomalies.append("lldp.bad_tlv_length")
        return None
    oid_len = value[pos + 5]
    if pos + 6 + oid_len != len(value):
        anomalies.append("lldp.bad_tlv_length")
    number = int.from_bytes(value[pos + 1 : pos + 5], "big")
    oid = value[pos + 6 : pos + 6 + oid_len]
    return ManagementAddress(value[1], value[2:pos], value[pos], number, oid)


def address_text(raw: bytes) -> str:
    """A network-address id or management address: IANA family byte, then the address."""
    if len(raw) == 5 and raw[0] == 1:
        return ipv4_text(raw[1:])
    if len(raw) == 17 and raw[0] == 2:
        return ipv6_text(raw[1:])
    return hex_text(raw)


def id_text(subtype: int, raw: bytes, mac_subtype: int, address_subtype: int) -> str:
    """A chassis or port id as text: MAC address, network address, or the string."""
    if subtype == mac_subtype and len(raw) == 6:
        return mac_text(raw)
    if subtype == address_subtype:
        return address_text(raw)
    return text(raw)

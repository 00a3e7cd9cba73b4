"""The CDP packet: version (1), TTL (1), checksum (2), then TLVs of a 16-bit type and a
16-bit length that counts the 4-byte TLV header (Cisco's CDP description as implemented
by Wireshark's packet-cdp.c). Pure: never raises on any bytes."""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.identity.wire import text

DEVICE_ID: Final = 0x0001
ADDRESSES: Final = 0x0002
PORT_ID: Final = 0x0003
CAPABILITIES: Final = 0x0004
SOFTWARE_VERSION: Final = 0x0005
PLATFORM: Final = 0x0006
VTP_DOMAIN: Final = 0x0009
NATIVE_VLAN: Final = 0x000A
DUPLEX: Final = 0x000B
SYSTEM_NAME: Final = 0x0014
MANAGEMENT_ADDRESSES: Final = 0x0016
MAX_TLVS: Final = 256
MAX_ADDRESSES: Final = 64
STRING_TLVS: Final = {
    DEVICE_ID: "device_id",
    PORT_ID: "port_id",
    SOFTWARE_VERSION: "software_version",
    PLATFORM: "platform",
    VTP_DOMAIN: "vtp_domain",
    SYSTEM_NAME: "system_name",
}
CAPABILITY_BITS: Final = (
    "router",
    "transparent_bridge",
    "source_route_bridge",
    "switch",
    "host",
    "igmp_capable",
    "repeater",
    "voip_phone",
    "remotely_managed",
    "cvta",
    "two_port_mac_relay",
)


class CdpTlv(NamedTuple):
    type: int
    length: int
    value: bytes


class CdpAddress(NamedTuple):
    protocol_type: int
    """1 NLPID, 2 802.2."""
    protocol: bytes
    """0xCC is IPv4 (NLPID); an 802.2 SNAP header with ethertype 0x86DD is IPv6."""
    address: bytes


class CdpPacket(NamedTuple):
    version: int
    ttl: int
    checksum: int
    tlvs: tuple[CdpTlv, ...]
    strings: dict[str, str]
    """Device id, port id, software version, platform, VTP domain, system name (those seen)."""
    capabilities: int
    """Capability bit mask; -1 when absent."""
    native_vlan: int
    duplex: int
    addresses: tuple[CdpAddress, ...]
    management_addresses: tuple[CdpAddress, ...]
    anomalies: tuple[str, ...]

    def capability_names(self) -> list[str]:
        caps = max(self.capabilities, 0)
        return [name for i, name in enumerate(CAPABILITY_BITS) if caps >> i & 1]


def parse(buf: bytes, start: int, end: int) -> CdpPacket:
    """Decode the CDP packet in buf[start:end]."""
    if end - start < 4:
        return CdpPacket(-1, -1, -1, (), {}, -1, -1, -1, (), (), ("cdp.truncated",))
    anomalies: list[str] = []
    version, ttl = buf[start], buf[start + 1]
    if version not in (1, 2):
        anomalies.append("cdp.unknown_version")
    tlvs = _tlvs(buf, start + 4, end, anomalies)
    strings: dict[str, str] = {}
    capabilities = native_vlan = duplex = -1
    addresses: tuple[CdpAddress, ...] = ()
    management: tuple[CdpAddress, ...] = ()
    for tlv in tlvs:
        v = tlv.value
        if tlv.type in STRING_TLVS:
            strings.setdefault(STRING_TLVS[tlv.type], text(v, tlv.type != SOFTWARE_VERSION))
        elif tlv.type == CAPABILITIES and len(v) >= 4:
            capabilities = int.from_bytes(v[:4], "big")
        elif tlv.type == NATIVE_VLAN and len(v) >= 2:
            native_vlan = (v[0] << 8) | v[1]
        elif tlv.type == DUPLEX and v:
            duplex = v[0]
        elif tlv.type == ADDRESSES:
            addresses = address_list(v, anomalies)
        elif tlv.type == MANAGEMENT_ADDRESSES:
            management = address_list(v, anomalies)
    checksum = (buf[start + 2] << 8) | buf[start + 3]
    return CdpPacket(
        version,
        ttl,
        checksum,
        tuple(tlvs),
        strings,
        capabilities,
        native_vlan,
        duplex,
        addresses,
        management,
        tuple(dict.fromkeys(anomalies)),
    )


def _tlvs(buf: bytes, pos: int, end: int, anomalies: list[str]) -> list[CdpTlv]:
    tlvs: list[CdpTlv] = []
    while pos + 4 <= end:
        if len(tlvs) >= MAX_TLVS:
            anomalies.append("cdp.too_many_tlvs")
            break
        kind = (buf[pos] << 8) | buf[pos + 1]
        length = (buf[pos + 2] << 8) | buf[pos + 3]
        if length < 4:
            anomalies.append("cdp.bad_tlv_length")
            break
        if pos + length > end:
            anomalies.append("cdp.tlv_truncated")
            break
        tlvs.append(CdpTlv(kind, length, bytes(buf[pos + 4 : pos + length])))
        pos += length
    return tlvs


def address_list(v: bytes, anomalies: list[str]) -> tuple[CdpAddress, ...]:
    """Count (32 bits), then per address: protocol type, protocol length, protocol,
    address length (16 bits), address."""
    if len(v) < 4:
        anomalies.append("cdp.bad_address")
        return ()
    count = int.from_bytes(v[:4], "big")
    pos = 4
    found: list[CdpAddress] = []
    while len(found) < min(count, MAX_ADDRESSES):
        if pos + 2 > len(v):
            anomalies.append("cdp.bad_address")
            break
        ptype, plen = v[pos], v[pos + 1]
        at = pos + 2 + plen
        if at + 2 > len(v):
            anomalies.append("cdp.bad_address")
            break
        alen = (v[at] << 8) | v[at + 1]
        if at + 2 + alen > len(v):
            anomalies.append("cdp.bad_address")
            break
        found.append(CdpAddress(ptype, v[pos + 2 : at], v[at + 2 : at + 2 + alen]))
        pos = at + 2 + alen
    return tuple(found)

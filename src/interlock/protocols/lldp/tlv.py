"""The LLDPDU (IEEE 802.1AB-2016, clause 8): a sequence of TLVs, each a 7-bit type and a
9-bit length, ending with the End of LLDPDU TLV (type 0).

Pure: the frame is cut into typed TLVs; what each means is read in values and org.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.lldp.values import Capabilities, ManagementAddress, OrgTlv, tlv_value

END: Final = 0
CHASSIS_ID: Final = 1
PORT_ID: Final = 2
TTL: Final = 3
MAX_TLVS: Final = 256
_MANDATORY: Final = (CHASSIS_ID, PORT_ID, TTL)


class Tlv(NamedTuple):
    type: int
    length: int
    value: bytes
    complete: bool = True


class LldpPdu(NamedTuple):
    tlvs: tuple[Tlv, ...]
    chassis_subtype: int
    chassis_id: bytes
    port_subtype: int
    port_id: bytes
    ttl: int
    port_description: str | None
    system_name: str | None
    system_description: str | None
    capabilities: Capabilities | None
    management: tuple[ManagementAddress, ...]
    org: tuple[OrgTlv, ...]
    anomalies: tuple[str, ...]


def split_tlvs(buf: bytes, start: int, end: int, anomalies: list[str]) -> list[Tlv]:
    """The TLVs of buf[start:end] in order, up to and including End (bounded)."""
    tlvs: list[Tlv] = []
    pos = start
    while True:
        if pos + 2 > end:
            anomalies.append("lldp.missing_end")
            break
        if len(tlvs) >= MAX_TLVS:
            anomalies.append("lldp.too_many_tlvs")
            break
        head = (buf[pos] << 8) | buf[pos + 1]
        kind, length = head >> 9, head & 0x1FF
        if pos + 2 + length > end:
            anomalies.append("lldp.tlv_truncated")
            tlvs.append(Tlv(kind, length, bytes(buf[pos + 2 : end]), False))
            break
        tlvs.append(Tlv(kind, length, bytes(buf[pos + 2 : pos + 2 + length])))
        pos += 2 + length
        if kind == END:
            if length:
                anomalies.append("lldp.bad_tlv_length")
            break
    return tlvs


def mandatory_prefix(tlvs: list[Tlv]) -> int:
    """How many leading TLVs are Chassis ID, Port ID and TTL in that order (at most 3)."""
    count = 0
    for tlv, wanted in zip(tlvs, _MANDATORY):
        if tlv.type != wanted:
            break
        count += 1
    return count


def parse(buf: bytes, start: int, end: int) -> LldpPdu:
    """Decode the LLDPDU in buf[start:end]; never raises."""
    anomalies: list[str] = []
    tlvs = split_tlvs(buf, start, end, anomalies)
    valid = mandatory_prefix(tlvs)
    if valid < 3:
        # Wireshark stops at the first TLV out of the mandatory order: so do we.
        anomalies.append("lldp.missing_mandatory")
        tlvs = tlvs[:valid]
    found: dict[int, object] = {}
    management: list[ManagementAddress] = []
    org: list[OrgTlv] = []
    for tlv in tlvs:
        if not tlv.complete:
            continue
        value = tlv_value(tlv.type, tlv.value, anomalies)
        if isinstance(value, ManagementAddress):
            management.append(value)
        elif isinstance(value, OrgTlv):
            org.append(value)
        elif value is not None and tlv.type not in found:
            found[tlv.type] = value
    chassis = found.get(CHASSIS_ID)
    port = found.get(PORT_ID)
    c_sub, c_id = chassis if isinstance(chassis, tuple) else (-1, b"")
    p_sub, p_id = port if isinstance(port, tuple) else (-1, b"")
    ttl = found.get(TTL)
    caps = found.get(7)
    return LldpPdu(
        tuple(tlvs),
        c_sub,
        c_id,
        p_sub,
        p_id,
        ttl if isinstance(ttl, int) else -1,
        _str(found.get(4)),
        _str(found.get(5)),
        _str(found.get(6)),
        caps if isinstance(caps, Capabilities) else None,
        tuple(management),
        tuple(org),
        tuple(dict.fromkeys(anomalies)),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None

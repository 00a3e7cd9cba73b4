"""Organizationally specific TLVs (type 127) by OUI: IEEE 802.1 (Annex D), IEEE 802.3
(Annex E / IEEE 802.3 clause 79) and PROFINET (IEC 61158-6-10, LLDP extensions), read into
(Wireshark field name, value) pairs in wire order. Other OUIs are kept raw."""

from __future__ import annotations

from typing import Final

from interlock.protocols.identity.wire import mac_text, text
from interlock.protocols.lldp.values import OrgTlv

IEEE_802_1: Final = 0x0080C2
IEEE_802_3: Final = 0x00120F
PROFINET: Final = 0x000ECF
SUBTYPE_FIELDS: Final = {
    IEEE_802_1: "lldp.ieee.802_1.subtype",
    IEEE_802_3: "lldp.ieee.802_3.subtype",
    PROFINET: "lldp.profinet.subtype",
}
Facts = list[tuple[str, object]]


def _u16(data: bytes, at: int) -> int:
    return (data[at] << 8) | data[at + 1]


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "big")


def org_facts(tlv: OrgTlv) -> Facts:
    """The fields an organizational TLV carries, as far as its data holds them."""
    facts: Facts = [("lldp.orgtlv.oui", tlv.oui)]
    subtype_field = SUBTYPE_FIELDS.get(tlv.oui)
    if subtype_field is None:
        return facts
    facts.append((subtype_field, tlv.subtype))
    if tlv.oui == IEEE_802_1:
        _ieee_802_1(tlv.subtype, tlv.data, facts)
    elif tlv.oui == IEEE_802_3:
        _ieee_802_3(tlv.subtype, tlv.data, facts)
    else:
        _profinet(tlv.subtype, tlv.data, facts)
    return facts


def _ieee_802_1(subtype: int, d: bytes, facts: Facts) -> None:
    if subtype == 1 and len(d) >= 2:
        facts.append(("lldp.ieee.802_1.port_vlan.id", _u16(d, 0)))
    elif subtype == 2 and len(d) >= 3:
        facts.append(("lldp.ieee.802_1.port_and_vlan_id_flag", d[0]))
        facts.append(("lldp.ieee.802_1.port_proto_vlan.id", _u16(d, 1)))
    elif subtype == 3 and len(d) >= 3:
        facts.append(("lldp.ieee.802_1.vlan.id", _u16(d, 0)))
        facts.append(("lldp.ieee.802_1.vlan.name_len", d[2]))
        if 3 + d[2] <= len(d):
            facts.append(("lldp.ieee.802_1.vlan.name", text(d[3 : 3 + d[2]], True)))


def _ieee_802_3(subtype: int, d: bytes, facts: Facts) -> None:
    if subtype == 1 and len(d) >= 5:
        facts.append(("lldp.ieee.802_3.mac_phy_auto_neg_status", d[0]))
        facts.append(("lldp.ieee.802_3.pmd_auto_neg_advertised_caps", _u16(d, 1)))
        facts.append(("lldp.ieee.802_3.pmd_mau_type", _u16(d, 3)))


def _profinet(subtype: int, d: bytes, facts: Facts) -> None:
    if subtype == 1 and len(d) >= 20:
        names = (
            "port_rx_delay_local",
            "port_rx_delay_remote",
            "port_tx_delay_local",
            "port_tx_delay_remote",
            "cable_delay_local",
        )
        facts.extend((f"lldp.profinet.{n}", _u32(d, 4 * i)) for i, n in enumerate(names))
    elif subtype == 2 and len(d) >= 4:
        facts.append(("lldp.profinet.rtc2_port_status", _u16(d, 0)))
        facts.append(("lldp.profinet.rtc3_port_status", _u16(d, 2)))
    elif subtype == 5 and len(d) >= 6:
        facts.append(("lldp.profinet.cm_mac_add", mac_text(d[:6])))

"""What DCP blocks carry (IEC 61158-6-10, 4.3.1.3): names of the option/suboption pairs
and their values, as (Wireshark field name, value) pairs in wire order."""

from __future__ import annotations

from typing import Final

from interlock.protocols.identity.wire import ipv4_text, mac_text, text
from interlock.protocols.pn_dcp.packet import DcpBlock

IP: Final = 1
DEVICE: Final = 2
DHCP: Final = 3
CONTROL: Final = 5
INITIATIVE: Final = 6
ALL: Final = 0xFF
BLOCK_NAMES: Final = {
    (IP, 1): "ip_mac",
    (IP, 2): "ip_parameter",
    (IP, 3): "ip_suite",
    (DEVICE, 1): "type_of_station",
    (DEVICE, 2): "name_of_station",
    (DEVICE, 3): "device_id",
    (DEVICE, 4): "device_role",
    (DEVICE, 5): "device_options",
    (DEVICE, 6): "alias_name",
    (DEVICE, 7): "device_instance",
    (DEVICE, 8): "oem_device_id",
    (CONTROL, 1): "start_transaction",
    (CONTROL, 2): "end_transaction",
    (CONTROL, 3): "signal",
    (CONTROL, 4): "response",
    (CONTROL, 5): "factory_reset",
    (CONTROL, 6): "reset_to_factory",
    (INITIATIVE, 1): "device_initiative",
    (ALL, ALL): "all",
}
SUBOPTION_FIELDS: Final = {
    IP: "pn_dcp.suboption_ip",
    DEVICE: "pn_dcp.suboption_device",
    DHCP: "pn_dcp.suboption_dhcp",
    CONTROL: "pn_dcp.suboption_control",
    INITIATIVE: "pn_dcp.suboption_deviceinitiative",
    ALL: "pn_dcp.suboption_all",
}
Facts = list[tuple[str, object]]


def block_name(option: int, suboption: int) -> str:
    if option == DHCP:
        return f"dhcp_{suboption}"
    return BLOCK_NAMES.get((option, suboption), f"option_{option}_{suboption}")


def _u16(d: bytes, at: int) -> int:
    return (d[at] << 8) | d[at + 1]


def value_facts(block: DcpBlock) -> Facts:
    """The values a block's data holds, as far as it holds them."""
    d, key = block.data, (block.option, block.suboption)
    if not block.complete:
        return []
    if key == (IP, 1) and len(d) >= 6:
        return [("pn_dcp.suboption_ip_mac_address", mac_text(d[:6]))]
    if key in ((IP, 2), (IP, 3)) and len(d) >= 12:
        return [
            ("pn_dcp.suboption_ip_ip", ipv4_text(d[0:4])),
            ("pn_dcp.suboption_ip_subnetmask", ipv4_text(d[4:8])),
            ("pn_dcp.suboption_ip_standard_gateway", ipv4_text(d[8:12])),
        ]
    if key == (DEVICE, 1):
        return [("pn_dcp.suboption_device_devicevendorvalue", text(d))]
    if key == (DEVICE, 2):
        return [("pn_dcp.suboption_device_nameofstation", text(d))]
    if key == (DEVICE, 3) and len(d) >= 4:
        return [
            ("pn_dcp.suboption_vendor_id", _u16(d, 0)),
            ("pn_dcp.suboption_device_id", _u16(d, 2)),
        ]
    if key == (DEVICE, 4) and d:
        return [("pn_dcp.suboption_device_role", d[0])]
    if key == (DEVICE, 5):
        facts: Facts = []
        for i in range(0, len(d) - 1, 2):
            facts.append(("pn_dcp.option", d[i]))
            sub_field = SUBOPTION_FIELDS.get(d[i])
            if sub_field is not None:
                facts.append((sub_field, d[i + 1]))
        return facts
    if key == (DEVICE, 6):
        return [("pn_dcp.suboption_device_aliasname", text(d))]
    if key == (CONTROL, 3) and len(d) >= 2:
        return [("pn_dcp.suboption_control_signal_value", _u16(d, 0))]
    if key == (CONTROL, 4) and len(d) >= 3:
        facts = [("pn_dcp.suboption_control_option", d[0])]
        sub_field = SUBOPTION_FIELDS.get(d[0])
        if sub_field is not None:
            facts.append((sub_field, d[1]))
        facts.append(("pn_dcp.block_error", d[2]))
        return facts
    return []


def identity_of(blocks: tuple[DcpBlock, ...]) -> dict[str, object]:
    """What a device says about itself in its blocks: names, ids, role, IP, MAC."""
    out: dict[str, object] = {}
    for block in blocks:
        for field, value in value_facts(block):
            name = _IDENTITY_KEYS.get(field)
            if name is not None:
                out.setdefault(name, value)
    return out


_IDENTITY_KEYS: Final = {
    "pn_dcp.suboption_device_nameofstation": "name_of_station",
    "pn_dcp.suboption_device_devicevendorvalue": "type_of_station",
    "pn_dcp.suboption_vendor_id": "vendor_id",
    "pn_dcp.suboption_device_id": "device_id",
    "pn_dcp.suboption_device_role": "device_role",
    "pn_dcp.suboption_device_aliasname": "alias_name",
    "pn_dcp.suboption_ip_ip": "ip",
    "pn_dcp.suboption_ip_subnetmask": "subnet_mask",
    "pn_dcp.suboption_ip_standard_gateway": "gateway",
    "pn_dcp.suboption_ip_mac_address": "mac",
}

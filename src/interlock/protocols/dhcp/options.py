"""What the DHCP options an inventory cares about carry (RFC 2132, RFC 4702), as
(Wireshark field name, value) pairs, and the identity they add up to."""

from __future__ import annotations

from typing import Final

from interlock.protocols.dhcp.message import MESSAGE_TYPES, DhcpMessage, DhcpOption
from interlock.protocols.identity.wire import hex_text, ipv4_text, mac_text, text

Facts = list[tuple[str, object]]
_ADDRESS: Final = {
    1: "dhcp.option.subnet_mask",
    28: "dhcp.option.broadcast_address",
    50: "dhcp.option.requested_ip_address",
    54: "dhcp.option.dhcp_server_id",
}
_ADDRESS_LIST: Final = {
    3: "dhcp.option.router",
    6: "dhcp.option.domain_name_server",
    42: "dhcp.option.ntp_server",
}
_STRING: Final = {
    12: "dhcp.option.hostname",
    15: "dhcp.option.domain_name",
    60: "dhcp.option.vendor_class_id",
}
_NUMBER: Final = {
    51: "dhcp.option.ip_address_lease_time",
    52: "dhcp.option.option_overload",
    53: "dhcp.option.dhcp",
    57: "dhcp.option.dhcp_max_message_size",
    58: "dhcp.option.renewal_time_value",
    59: "dhcp.option.rebinding_time_value",
}
_FIXED: Final = {51: 4, 52: 1, 53: 1, 57: 2, 58: 4, 59: 4}


def option_facts(opt: DhcpOption) -> Facts:
    """The values of one complete option that Interlock reads."""
    code, v = opt.code, opt.value
    if not opt.complete:
        return []
    if code in _ADDRESS and len(v) == 4:
        return [(_ADDRESS[code], ipv4_text(v))]
    if code in _ADDRESS_LIST:
        return [(_ADDRESS_LIST[code], ipv4_text(v[i : i + 4])) for i in range(0, len(v) - 3, 4)]
    if code in _STRING:
        return [(_STRING[code], text(v, True))]
    if code in _NUMBER and len(v) == _FIXED[code]:
        return [(_NUMBER[code], int.from_bytes(v, "big"))]
    if code == 55:
        return [("dhcp.option.request_list_item", item) for item in v]
    if code == 61 and v:
        if v[0] == 1 and len(v) == 7:  # Wireshark reuses the BOOTP hardware fields
            return [("dhcp.hw.type", 1), ("dhcp.hw.mac_addr", mac_text(v[1:]))]
        return [("dhcp.client_id.type", v[0])]
    if code == 81 and len(v) >= 3:
        return [
            ("dhcp.fqdn.flags", v[0]),
            ("dhcp.fqdn.rcode1", v[1]),
            ("dhcp.fqdn.rcode2", v[2]),
            ("dhcp.fqdn.name", fqdn_name(v[0], v[3:])),
        ]
    return []


def fqdn_name(flags: int, raw: bytes) -> str:
    """The client FQDN: DNS wire labels when the E flag is set (RFC 4702), else text."""
    if not flags & 0x04:
        return text(raw)
    labels: list[str] = []
    pos = 0
    while pos < len(raw) and raw[pos] and len(labels) < 128:
        size = raw[pos]
        labels.append(text(raw[pos + 1 : pos + 1 + size]))
        pos += 1 + size
    return ".".join(labels)


def fingerprint(message: DhcpMessage) -> str | None:
    """The parameter request list (option 55) as "1,3,6,15": it tells client stacks apart."""
    value = message.option(55)
    return ",".join(str(b) for b in value) if value is not None else None


_DETAIL_KEYS: Final = {
    "dhcp.option.hostname": "hostname",
    "dhcp.option.domain_name": "domain_name",
    "dhcp.option.vendor_class_id": "vendor_class_id",
    "dhcp.option.requested_ip_address": "requested_ip",
    "dhcp.option.dhcp_server_id": "server_id",
    "dhcp.option.ip_address_lease_time": "lease_time",
    "dhcp.option.subnet_mask": "subnet_mask",
    "dhcp.fqdn.name": "fqdn",
}
_DETAIL_LISTS: Final = {
    "dhcp.option.router": "routers",
    "dhcp.option.domain_name_server": "dns_servers",
}


def identity(message: DhcpMessage) -> dict[str, object]:
    """What a message says about the client and the lease, for inventory."""
    out: dict[str, object] = {
        "message_type": MESSAGE_TYPES.get(message.message_type, "bootp"),
        "xid": message.xid,
    }
    if message.htype == 1 and len(message.chaddr) == 6:
        out["client_mac"] = mac_text(message.chaddr)
    for name, raw in (("client_ip", message.ciaddr), ("your_ip", message.yiaddr)):
        if any(raw):
            out[name] = ipv4_text(raw)
    client_id = message.option(61)
    if client_id:
        out["client_id"] = hex_text(client_id)
    vendor = message.option(43)
    if vendor is not None:
        out["vendor_specific_length"] = len(vendor)
    found = fingerprint(message)
    if found is not None:
        out["fingerprint"] = found
    for opt in message.options:
        for field, value in option_facts(opt):
            if field in _DETAIL_KEYS:
                out.setdefault(_DETAIL_KEYS[field], value)
            elif field in _DETAIL_LISTS:
                listed = out.setdefault(_DETAIL_LISTS[field], [])
                assert isinstance(listed, list)
                listed.append(value)
    return out

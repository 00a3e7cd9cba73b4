"""Identity from the link layer and address assignment, keyed by MAC address: ARP, LLDP
(IEEE 802.1AB), CDP, PROFINET DCP (IEC 61158-6-10) and DHCP (RFC 2131/2132).

These frames carry no IP header worth trusting for identity: what they say is about the
interface that sent them (LLDP, CDP, a DCP answer), or about the MAC address they name
(DHCP's chaddr), so every fact here names its MAC address. ARP, a DHCP ACK and a DCP IP
block also bind an IP address to a MAC address.

A DCP Hello's transaction names its blocks but not their values, so its identity is read
from the engine's unit itself (``pn_dcp_hello``), with the dissector's own block decoding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from interlock.inventory.facts.base import Binding, IdentityFact, Side, is_unicast_mac, text_of
from interlock.model import Transaction
from interlock.protocols.pn_dcp.blocks import identity_of
from interlock.protocols.pn_dcp.packet import HELLO, DcpPacket

SELF_DESCRIBED: Final = 0.9
ASSIGNED_NAME: Final = 0.5
ARP_BINDING_KINDS: Final = frozenset({"request", "reply", "announcement", "gratuitous"})
LLDP_NAMES: Final = {
    "system_name": "hostname",
    "system_description": "sys_descr",
    "chassis_id": "chassis_id",
    "port_id": "port_id",
    "port_description": "port_description",
}
CDP_NAMES: Final = {
    "device_id": "hostname",
    "software_version": "sys_descr",
    "platform": "model",
    "port_id": "port_id",
    "vtp_domain": "vtp_domain",
}
DCP_NAMES: Final = {
    "name_of_station": "station_name",
    "type_of_station": "model",
    "alias_name": "alias_name",
    "ip": "ip",
    "subnet_mask": "subnet_mask",
    "gateway": "gateway",
}
UNSET_IP: Final = "0.0.0.0"
# PROFINET DeviceRoleDetails, one bit each (IEC 61158-6-10, DCP DeviceRole block).
DCP_ROLES: Final = (
    (0x01, "IO-Device"),
    (0x02, "IO-Controller"),
    (0x04, "IO-Multidevice"),
    (0x08, "PN-Supervisor"),
)
DHCP_ASSIGNING: Final = frozenset({"offer", "ack", "bootp"})
DHCP_CLIENT_OPTIONS: Final = {
    "hostname": "hostname",  # option 12
    "fqdn": "fqdn",  # option 81
    "vendor_class_id": "vendor_class",  # option 60
    "fingerprint": "dhcp_fingerprint",  # option 55, the parameter request list
}


def _about(
    mac: str, side: Side, values: dict[str, object], names: dict[str, str], source: str
) -> Iterable[IdentityFact]:
    for key, attribute in names.items():
        value = text_of(values.get(key))
        if value:
            yield IdentityFact(side, attribute, value, source, SELF_DESCRIBED, None, mac)


def _joined(mac: str, attribute: str, items: object, source: str) -> Iterable[IdentityFact]:
    if isinstance(items, list) and items:
        text = ",".join(str(i) for i in items)
        yield IdentityFact("client", attribute, text, source, SELF_DESCRIBED, None, mac)


def lldp_facts(tx: Transaction) -> Iterable[IdentityFact]:
    """What the sending interface's system says of itself (the frame's source MAC)."""
    mac, details = tx.client.ip, tx.details
    if not is_unicast_mac(mac):
        return
    yield from _about(mac, "client", details, LLDP_NAMES, "lldp")
    yield from _joined(mac, "system_capabilities", details.get("capabilities_enabled"), "lldp")
    addresses = details.get("management_addresses")
    for entry in addresses if isinstance(addresses, list) else ():
        address = text_of(entry.get("address")) if isinstance(entry, dict) else ""
        if address:
            yield IdentityFact(
                "client", "management_address", address, "lldp", SELF_DESCRIBED, None, mac
            )


def cdp_facts(tx: Transaction) -> Iterable[IdentityFact]:
    mac, details = tx.client.ip, tx.details
    if not is_unicast_mac(mac):
        return
    yield from _about(mac, "client", details, CDP_NAMES, "cdp")
    yield from _joined(mac, "system_capabilities", details.get("capabilities"), "cdp")
    seen: set[str] = set()
    for key in ("management_addresses", "addresses"):
        found = details.get(key)
        for address in found if isinstance(found, list) else ():
            if isinstance(address, str) and address not in seen:
                seen.add(address)
                yield IdentityFact(
                    "client", "management_address", address, "cdp", SELF_DESCRIBED, None, mac
                )


def _dcp_station(tx: Transaction) -> tuple[str, dict[str, object]] | None:
    """The answering station's MAC and what it said. Identify answers travel on the
    station's own flow (it is the transaction's client); a Get answers its asker. Hello
    is read from its unit (``pn_dcp_hello``): counted once even if its transaction
    carried the values one day."""
    identity = tx.details.get("identity")
    if not isinstance(identity, dict) or tx.response_frame is None:
        return None
    mac = tx.client.ip if tx.function_name == "identify" else tx.server.ip
    return (mac, identity) if is_unicast_mac(mac) else None


def pn_dcp_facts(tx: Transaction) -> Iterable[IdentityFact]:
    found = _dcp_station(tx)
    if found is not None:
        yield from _dcp_identity(*found, f"pn_dcp.{tx.function_name}")


def pn_dcp_bindings(tx: Transaction) -> Iterable[Binding]:
    found = _dcp_station(tx)
    if found is not None:
        yield from _dcp_binding(*found, f"pn_dcp.{tx.function_name}")


def pn_dcp_hello(message: object, sender: str) -> tuple[list[IdentityFact], list[Binding]]:
    """What a station announces in a DCP Hello (a request it multicasts on its own when
    it starts up): facts about the sender's MAC and the binding of its IP block."""
    if not isinstance(message, DcpPacket) or message.service_id != HELLO:
        return [], []
    if not message.is_request or not is_unicast_mac(sender):
        return [], []
    identity = identity_of(message.blocks)
    source = "pn_dcp.hello"
    return list(_dcp_identity(sender, identity, source)), list(
        _dcp_binding(sender, identity, source)
    )


def _dcp_identity(mac: str, identity: dict[str, object], source: str) -> Iterable[IdentityFact]:
    values = {k: v for k, v in identity.items() if v != UNSET_IP}
    yield from _about(mac, "server", values, DCP_NAMES, source)
    for key in ("vendor_id", "device_id"):
        number = identity.get(key)
        if isinstance(number, int):
            yield IdentityFact("server", key, f"{number:#06x}", source, SELF_DESCRIBED, None, mac)
    role = identity.get("device_role")
    if isinstance(role, int):
        names = [name for bit, name in DCP_ROLES if role & bit] or [f"{role:#04x}"]
        yield IdentityFact(
            "server", "device_role", ",".join(names), source, SELF_DESCRIBED, None, mac
        )


def _dcp_binding(mac: str, identity: dict[str, object], source: str) -> Iterable[Binding]:
    ip = identity.get("ip")
    if isinstance(ip, str) and ip != UNSET_IP:
        yield Binding(ip, mac, source)


def arp_bindings(tx: Transaction) -> Iterable[Binding]:
    """Every ARP packet but a probe states its sender's own binding (RFC 826: receivers
    learn it even from requests; RFC 5227 announcements and gratuitous ARP repeat it)."""
    details = tx.details
    if details.get("kind") in ARP_BINDING_KINDS and is_unicast_mac(details.get("sender_mac")):
        yield Binding(
            str(details.get("sender_ip")),
            str(details.get("sender_mac")),
            f"arp.{details.get('kind')}",
        )


def dhcp_facts(tx: Transaction) -> Iterable[IdentityFact]:
    """The client's own options (host name, vendor class, parameter request list), about
    the hardware address in its chaddr field; and the host name a server's offer, ack or
    BOOTP reply assigns to that hardware address (option 12: the name its administrator
    gave it, weaker evidence than a name the device uses itself)."""
    request = tx.details.get("request")
    if isinstance(request, dict) and is_unicast_mac(request.get("client_mac")):
        mac = str(request.get("client_mac"))
        source = f"dhcp.{request.get('message_type')}"
        yield from _about(mac, "client", request, DHCP_CLIENT_OPTIONS, source)
    reply = tx.details.get("reply")
    if not isinstance(reply, dict) or reply.get("message_type") not in DHCP_ASSIGNING:
        return
    name, chaddr = text_of(reply.get("hostname")), reply.get("client_mac")
    if name and is_unicast_mac(chaddr):
        source = f"dhcp.{reply.get('message_type')}"
        yield IdentityFact("server", "hostname", name, source, ASSIGNED_NAME, None, str(chaddr))


def dhcp_bindings(tx: Transaction) -> Iterable[Binding]:
    """A DHCPACK, or a BOOTP reply (RFC 951, no DHCP message type), leases yiaddr to
    chaddr; an offer is only a proposal."""
    reply = tx.details.get("reply")
    if isinstance(reply, dict) and reply.get("message_type") in ("ack", "bootp"):
        ip, mac = reply.get("your_ip"), reply.get("client_mac")
        if isinstance(ip, str) and is_unicast_mac(mac):
            yield Binding(ip, str(mac), f"dhcp.{reply.get('message_type')}")

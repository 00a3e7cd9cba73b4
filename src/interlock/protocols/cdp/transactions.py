"""CDP packets as the engine's transactions: each is one unsolicited identity
announcement. Details carry the device id, addresses, port, capabilities, software
version, platform and VLAN an inventory records."""

from __future__ import annotations

from interlock.model import Endpoint, OperationClass, Transaction
from interlock.protocols.cdp.packet import CdpAddress, CdpPacket
from interlock.protocols.identity.wire import hex_text, ipv4_text, ipv6_text

_IPV6_SNAP = bytes.fromhex("aaaa0300000086dd")


def address_text(a: CdpAddress) -> str:
    if a.protocol_type == 1 and a.protocol == b"\xcc" and len(a.address) == 4:
        return ipv4_text(a.address)
    if a.protocol_type == 2 and a.protocol == _IPV6_SNAP and len(a.address) == 16:
        return ipv6_text(a.address)
    return hex_text(a.address)


def pairing_key(packet: CdpPacket | None) -> tuple[object, ...]:
    return ("cdp",)


def is_request(packet: CdpPacket | None) -> bool:
    return False


def details(packet: CdpPacket) -> dict[str, object]:
    out: dict[str, object] = {"version": packet.version, "ttl": packet.ttl}
    out.update(packet.strings)
    if packet.capabilities >= 0:
        out["capabilities"] = packet.capability_names()
    if packet.native_vlan >= 0:
        out["native_vlan"] = packet.native_vlan
    if packet.duplex >= 0:
        out["duplex"] = "full" if packet.duplex else "half"
    if packet.addresses:
        out["addresses"] = [address_text(a) for a in packet.addresses]
    if packet.management_addresses:
        out["management_addresses"] = [address_text(a) for a in packet.management_addresses]
    return out


def build(
    client: Endpoint,
    server: Endpoint,
    request: CdpPacket | None,
    request_frame: int | None,
    request_ts: float | None,
    response: CdpPacket | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    packet = response or request
    assert packet is not None
    return Transaction(
        protocol="cdp",
        client=client,
        server=server,
        function=max(packet.version, 0),
        function_name="announcement",
        operation=OperationClass.IDENTITY,
        status="unsolicited",
        request_frame=None,
        response_frame=response_frame if response is not None else request_frame,
        request_ts=None,
        response_ts=response_ts if response is not None else request_ts,
        details=details(packet),
        anomalies=packet.anomalies,
    )

"""ARP packets as the engine's transactions: each packet is one transaction.

ARP requests are broadcast and their replies unicast, so they travel on different
link-layer flows; pairing them would add nothing an inventory needs. So every packet
stands alone: a request that asks for an address is discovery (status "unknown": the
answer, if any, is its own transaction); a reply (status "ok"), a gratuitous ARP, a
probe or an announcement (status "unsolicited") is identity evidence: it binds a MAC
address to an IPv4 address. Details carry the kind and both address pairs.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.protocols.arp.packet import OPCODE_NAMES, REPLY, REQUEST, ArpPacket
from interlock.protocols.identity.wire import hex_text, ipv4_text, mac_text


def pairing_key(packet: ArpPacket | None) -> tuple[object, ...]:
    return ("arp",)


def is_request(packet: ArpPacket | None) -> bool:
    """Never held back for an answer: every packet is emitted at once."""
    return False


def _address(raw: bytes, size: int, as_text: Callable[[bytes], str]) -> str:
    return as_text(raw) if len(raw) == size else hex_text(raw)


def details(packet: ArpPacket) -> dict[str, object]:
    mac = mac_text if packet.hw_size == 6 else hex_text
    ip = ipv4_text if packet.is_ethernet_ipv4 else hex_text
    return {
        "kind": packet.kind,
        "sender_mac": _address(packet.sender_hw, packet.hw_size, mac),
        "sender_ip": _address(packet.sender_proto, packet.proto_size, ip),
        "target_mac": _address(packet.target_hw, packet.hw_size, mac),
        "target_ip": _address(packet.target_proto, packet.proto_size, ip),
    }


def build(
    client: Endpoint,
    server: Endpoint,
    request: ArpPacket | None,
    request_frame: int | None,
    request_ts: float | None,
    response: ArpPacket | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    packet = request or response
    assert packet is not None
    frame = request_frame if request is not None else response_frame
    ts = request_ts if request is not None else response_ts
    asks = packet.opcode == REQUEST and not packet.is_gratuitous and not packet.is_probe
    asking_frame = frame if asks else None
    status: TransactionStatus = "unknown" if asks else "unsolicited"
    if packet.opcode == REPLY and not packet.is_gratuitous:
        status = "ok"
    return Transaction(
        protocol="arp",
        client=client,
        server=server,
        function=packet.opcode,
        function_name=OPCODE_NAMES.get(packet.opcode, f"opcode_{packet.opcode}"),
        operation=OperationClass.DISCOVERY if asks else OperationClass.IDENTITY,
        status=status,
        request_frame=asking_frame,
        response_frame=None if asks else frame,
        request_ts=ts if asks else None,
        response_ts=None if asks else ts,
        details=details(packet),
        anomalies=packet.anomalies,
    )

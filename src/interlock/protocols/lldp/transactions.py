"""LLDPDUs as the engine's transactions: each is one unsolicited identity announcement
(a TTL of 0 is a shutdown: the neighbour is going away). Details carry what inventory
wants: chassis and port ids, names, description, capabilities, management addresses,
VLANs and PROFINET facts."""

from __future__ import annotations

from interlock.model import Endpoint, OperationClass, Transaction
from interlock.protocols.identity.wire import hex_text
from interlock.protocols.lldp.org import org_facts
from interlock.protocols.lldp.tlv import LldpPdu
from interlock.protocols.lldp.values import (
    CHASSIS_SUBTYPES,
    PORT_SUBTYPES,
    address_text,
    id_text,
)


def pairing_key(pdu: LldpPdu | None) -> tuple[object, ...]:
    return ("lldp",)


def is_request(pdu: LldpPdu | None) -> bool:
    return False


def details(pdu: LldpPdu) -> dict[str, object]:
    out: dict[str, object] = {
        "chassis_id": id_text(pdu.chassis_subtype, pdu.chassis_id, 4, 5),
        "chassis_id_subtype": CHASSIS_SUBTYPES.get(pdu.chassis_subtype, "unknown"),
        "port_id": id_text(pdu.port_subtype, pdu.port_id, 3, 4),
        "port_id_subtype": PORT_SUBTYPES.get(pdu.port_subtype, "unknown"),
        "ttl": pdu.ttl,
    }
    for key, value in (
        ("port_description", pdu.port_description),
        ("system_name", pdu.system_name),
        ("system_description", pdu.system_description),
    ):
        if value is not None:
            out[key] = value
    if pdu.capabilities is not None:
        caps = pdu.capabilities
        out["capabilities"] = caps.names(caps.supported)
        out["capabilities_enabled"] = caps.names(caps.enabled)
    if pdu.management:
        out["management_addresses"] = [
            {
                "address": address_text(bytes((m.subtype,)) + m.address),
                "interface_number": m.interface_number,
                "oid": hex_text(m.oid),
            }
            for m in pdu.management
        ]
    org = [dict(org_facts(t)) for t in pdu.org]
    if org:
        out["org"] = org
    return out


def build(
    client: Endpoint,
    server: Endpoint,
    request: LldpPdu | None,
    request_frame: int | None,
    request_ts: float | None,
    response: LldpPdu | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    pdu = response or request
    assert pdu is not None
    return Transaction(
        protocol="lldp",
        client=client,
        server=server,
        function=0,
        function_name="shutdown" if pdu.ttl == 0 else "lldpdu",
        operation=OperationClass.IDENTITY,
        status="unsolicited",
        request_frame=None,
        response_frame=response_frame if response is not None else request_frame,
        request_ts=None,
        response_ts=response_ts if response is not None else request_ts,
        details=details(pdu),
        anomalies=pdu.anomalies,
    )

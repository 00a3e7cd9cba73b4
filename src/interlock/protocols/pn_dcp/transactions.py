"""PROFINET DCP exchanges as the engine's transactions.

Identify (multicast request, one unicast response per device) is discovery: the request
is a transaction of its own, emitted at once (status "unknown"), and every response a
transaction naming that request, its details the device's identity. Get is a read, Set a
write (it changes the device's name of station or IP parameters) or a restart when it
carries a factory reset, a Control/Signal alone (flash the LED) diagnostic. Hello is the
device announcing itself: identity. Targets name the blocks: Target(0, block name, 0, 1).
"""

from __future__ import annotations

from typing import Final

from interlock.model import Endpoint, OperationClass, Target, Transaction, TransactionStatus
from interlock.protocols.pn_dcp.blocks import CONTROL, block_name, identity_of, value_facts
from interlock.protocols.pn_dcp.packet import (
    GET,
    HELLO,
    IDENTIFY,
    SERVICES,
    SET,
    SUCCESS,
    DcpPacket,
)
from interlock.protocols.pn_dcp.session import SeenRequest

Op = OperationClass
_RESETS: Final = frozenset({5, 6})
_TRANSACTION_MARKS: Final = frozenset({1, 2})  # start/end transaction: no change by itself


def view(packet: DcpPacket | None, answered: SeenRequest | None) -> tuple[object, object] | None:
    """Cyclic real-time frames (None) are no transactions."""
    if packet is None:
        return None
    return packet, answered


def pairing_key(packet: DcpPacket) -> tuple[object, ...]:
    return (packet.service_id, packet.xid)


def is_request(packet: DcpPacket) -> bool:
    """Unicast requests (Get, Set) wait for their response on the same flow; Identify and
    Hello requests are emitted at once (answers come from many devices on other flows)."""
    return packet.is_request and packet.service_id in (GET, SET)


def operation_of(packet: DcpPacket) -> OperationClass:
    service = packet.service_id
    if service == IDENTIFY:
        return Op.DISCOVERY
    if service == HELLO:
        return Op.IDENTITY
    if service == GET:
        return Op.READ
    if service != SET:
        return Op.OTHER
    controls = {b.suboption for b in packet.blocks if b.option == CONTROL}
    if controls & _RESETS:
        return Op.RESTART
    if any(b.option != CONTROL for b in packet.blocks):
        return Op.WRITE
    return Op.DIAGNOSTIC if 3 in controls else Op.WRITE


def _targets(packet: DcpPacket) -> tuple[Target, ...]:
    return tuple(
        Target(0, block_name(b.option, b.suboption), 0, 1)
        for b in packet.blocks
        if not (b.option == CONTROL and b.suboption in _TRANSACTION_MARKS)
    )


def _status(request: DcpPacket | None, response: DcpPacket | None) -> TransactionStatus:
    if response is None:
        if request is not None and request.service_id == HELLO:
            return "unsolicited"
        return "unknown" if request is not None and not is_request(request) else "unanswered"
    if request is None and response.service_id == HELLO:
        return "unsolicited"
    errors = [f for b in response.blocks for f in value_facts(b) if f[0] == "pn_dcp.block_error"]
    if response.service_type != SUCCESS or any(value for _, value in errors):
        return "exception"
    return "ok" if request is not None else "unknown"


def _details(request: DcpPacket | None, response: DcpPacket | None) -> dict[str, object]:
    first = request or response
    assert first is not None
    out: dict[str, object] = {"xid": first.xid, "frame_id": first.frame_id}
    if request is not None:
        out["blocks"] = [block_name(b.option, b.suboption) for b in request.blocks]
        if request.service_id == IDENTIFY:
            out["identify_all"] = any(b.option == 0xFF for b in request.blocks)
        if request.service_id == SET:
            values = identity_of(request.blocks)
            if values:
                out["set"] = values
    if response is not None:
        identity = identity_of(response.blocks)
        if identity:
            out["identity"] = identity
        errors = [
            v for b in response.blocks for f, v in value_facts(b) if f == "pn_dcp.block_error"
        ]
        if any(errors):
            out["block_errors"] = errors
    return out


def build(
    client: Endpoint,
    server: Endpoint,
    request: DcpPacket | None,
    request_frame: int | None,
    request_ts: float | None,
    response: DcpPacket | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    if request is None and response is not None and response.is_request:
        # An Identify or Hello request emitted on its own: it is the request.
        request, request_frame, request_ts = response, response_frame, response_ts
        response = response_frame = response_ts = None
    first = request or response
    assert first is not None
    anomalies = tuple(
        dict.fromkeys(a for p in (request, response) if p is not None for a in p.anomalies)
    )
    return Transaction(
        protocol="pn_dcp",
        client=client,
        server=server,
        function=first.service_id,
        function_name=SERVICES.get(first.service_id, f"service_{first.service_id}"),
        operation=operation_of(first),
        status=_status(request, response),
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=_targets(request) if request is not None else (),
        sub_function=first.service_type,
        details=_details(request, response),
        anomalies=anomalies,
    )

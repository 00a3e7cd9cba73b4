"""EtherNet/IP and CIP request/response pairs as the engine's typed transactions.

One transaction per encapsulation exchange. A CIP request is classified by its service
and target (Get_Attribute* read, Set_Attribute* write, Reset restart, Start/Stop
mode_change, the Identity object read identity, file and firmware objects program); an
Unconnected Send by the request it carries; a Multiple Service Packet by the weightiest
operation among its services. ListIdentity, ListServices and ListInterfaces are
discovery, Register/UnregisterSession and the Forward Open/Close session. Details carry
what inventory wants: the identity a ListIdentity reply or an Identity object read returns.
"""

from __future__ import annotations

from interlock.model import Endpoint, OperationClass, Target, Transaction, TransactionStatus
from interlock.protocols.cip import attributes
from interlock.protocols.cip.identity import identity_details
from interlock.protocols.cip.message import CipMessage
from interlock.protocols.cip.services import (
    GET_ATTRIBUTE_LIST,
    GET_ATTRIBUTE_SINGLE,
    GET_ATTRIBUTES_ALL,
    IDENTITY,
    MULTIPLE_SERVICE_PACKET,
    service_info,
)
from interlock.protocols.cip.vocabulary import class_name
from interlock.protocols.enip.commands import COMMANDS, IO_DATAGRAM, SEND_RR_DATA, SEND_UNIT_DATA
from interlock.protocols.enip.encap import EnipPacket

Op = OperationClass
# Which operation describes a Multiple Service Packet whose services differ: the weightiest.
_WEIGHT = {
    Op.PROGRAM: 9,
    Op.MODE_CHANGE: 8,
    Op.RESTART: 7,
    Op.WRITE: 6,
    Op.SESSION: 5,
    Op.DIAGNOSTIC: 4,
    Op.IDENTITY: 3,
    Op.READ: 2,
    Op.DISCOVERY: 1,
    Op.OTHER: 0,
}
_READS = frozenset({GET_ATTRIBUTES_ALL, GET_ATTRIBUTE_LIST, GET_ATTRIBUTE_SINGLE})
_CHANGES = frozenset({Op.WRITE, Op.PROGRAM, Op.MODE_CHANGE, Op.RESTART})
MAX_DATA_SHOWN = 256
"""Bytes of what a write or program request sends that the details keep (hex)."""


def pairing_key(packet: EnipPacket) -> tuple[object, ...]:
    """What a request shares with its response (see EnipSession for how Wireshark pairs)."""
    if packet.is_io:  # cyclic data: each packet stands alone, the previous one is done
        return (IO_DATAGRAM, packet.connection_id)
    if packet.command == SEND_UNIT_DATA:
        return (SEND_UNIT_DATA, packet.session, packet.sequence)
    if packet.command == SEND_RR_DATA:
        return (SEND_RR_DATA, packet.session, packet.context)
    return (packet.command, packet.context)


def target_of(msg: CipMessage) -> CipMessage:
    """The request that does the work: the one an Unconnected Send carries, else itself."""
    while msg.is_unconnected_send and msg.embedded:
        msg = msg.embedded[0]
    return msg


def operation_of(msg: CipMessage) -> OperationClass:
    msg = target_of(msg)
    if msg.service == MULTIPLE_SERVICE_PACKET and msg.embedded:
        return max((operation_of(m) for m in msg.embedded), key=_WEIGHT.__getitem__)
    cls = msg.class_id
    if cls == IDENTITY and msg.service in _READS:
        return Op.IDENTITY
    return service_info(msg.service, cls, bool(msg.path.symbols)).operation


def _targets(msg: CipMessage) -> tuple[Target, ...]:
    msg = target_of(msg)
    if msg.service == MULTIPLE_SERVICE_PACKET and msg.embedded:
        return tuple(t for m in msg.embedded for t in _targets(m))
    symbols = msg.path.symbols
    if symbols:
        return (Target(0, "tag:" + ".".join(symbols), msg.path.first("member") or 0, 1),)
    cls = msg.class_id
    if cls is None:
        return ()
    instance = msg.path.last("instance")
    return (Target(0, class_name(cls), instance if instance is not None else 0, 1),)


def _service_summary(msg: CipMessage) -> dict[str, object]:
    msg = target_of(msg)
    path = msg.path
    return {
        "service": msg.service,
        "name": service_info(msg.service, msg.class_id, bool(path.symbols)).name,
        "class": msg.class_id,
        "instance": path.last("instance"),
        "attribute": path.last("attribute"),
        "symbol": ".".join(path.symbols) or None,
    }


def _identity(request: CipMessage | None, reply: CipMessage | None) -> dict[str, object]:
    if request is None or reply is None or reply.general_status != 0:
        return {}
    request = target_of(request)
    if request.service == MULTIPLE_SERVICE_PACKET and reply.service == MULTIPLE_SERVICE_PACKET:
        merged: dict[str, object] = {}
        for asked, answer in zip(request.embedded, reply.embedded):
            merged.update(_identity(asked, answer))
        return merged
    if request.class_id != IDENTITY:
        return {}
    inst = request.path.last("instance")
    if request.service == GET_ATTRIBUTES_ALL:
        walk = attributes.attributes_all_reply(reply.data, IDENTITY, inst)
    elif request.service == GET_ATTRIBUTE_LIST:
        walk = attributes.attribute_list_reply(reply.data, IDENTITY, inst)
    elif request.service == GET_ATTRIBUTE_SINGLE and request.path.last("attribute") is not None:
        attribute = request.path.last("attribute") or 0
        walk = attributes.AttributeWalk(
            (attributes.AttributeValue(attribute, 0, reply.data),), "complete"
        )
    else:
        return {}
    return identity_details(walk.values)


def _status(request: EnipPacket | None, response: EnipPacket | None) -> TransactionStatus:
    first = request or response
    if first is not None and first.is_io:
        return "unsolicited"
    if response is None:
        return "unanswered"
    failed = response.status != 0 or (
        response.cip is not None and response.cip.general_status not in (0, -1)
    )
    if failed:
        return "exception"
    return "ok" if request is not None else "unknown"


def _details(request: EnipPacket | None, response: EnipPacket | None) -> dict[str, object]:
    first = request or response
    assert first is not None
    details: dict[str, object] = {"session": first.session}
    if first.is_io:
        return {"connection_id": first.connection_id, "sequence": first.sequence}
    req_cip = request.cip if request is not None else None
    resp_cip = response.cip if response is not None else None
    if req_cip is not None:
        inner = target_of(req_cip)
        if inner.service == MULTIPLE_SERVICE_PACKET:
            details["services"] = [_service_summary(m) for m in inner.embedded]
        else:
            details["service"] = _service_summary(req_cip)
        if req_cip.is_unconnected_send:
            route = req_cip.route.segments
            details["route"] = [
                {"port": s.value, "link": s.text} for s in route if s.kind == "port"
            ]
        if operation_of(req_cip) in _CHANGES and inner.data:
            details["request_data"] = inner.data[:MAX_DATA_SHOWN].hex()
    if resp_cip is not None and resp_cip.general_status >= 0:
        details["general_status"] = resp_cip.general_status
        if resp_cip.extended_status:
            details["extended_status"] = list(resp_cip.extended_status)
    if response is not None and response.identities:
        details["identity"] = [i.details() for i in response.identities]
    identity = _identity(req_cip, resp_cip)
    if identity:
        details["identity"] = [identity]
    return details


def _what(first: EnipPacket) -> tuple[int, str, OperationClass, tuple[Target, ...]]:
    """Function code, name, operation class and targets of an exchange."""
    cip = first.cip
    if cip is not None and not cip.is_response:
        inner = target_of(cip)
        name = service_info(inner.service, inner.class_id, bool(inner.path.symbols)).name
        return inner.service, name, operation_of(cip), _targets(cip)
    if cip is not None:  # a response alone: its service, no classification
        return cip.service, service_info(cip.service, None, False).name, Op.OTHER, ()
    name, operation = COMMANDS.get(first.command, (f"command_{first.command:#06x}", Op.OTHER))
    return first.command, name, operation, ()


def _anomalies(*packets: EnipPacket | None) -> tuple[str, ...]:
    found: list[str] = []
    for packet in packets:
        if packet is not None:
            found.extend(packet.anomalies)
            if packet.cip is not None:
                found.extend(packet.cip.anomalies)
    return tuple(dict.fromkeys(found))


def build(
    client: Endpoint,
    server: Endpoint,
    request: EnipPacket | None,
    request_frame: int | None,
    request_ts: float | None,
    response: EnipPacket | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a request and/or its response."""
    first = request or response
    assert first is not None
    function, name, operation, targets = _what(first)
    status = response.cip.general_status if response is not None and response.cip else -1
    return Transaction(
        protocol="enip",
        client=client,
        server=server,
        function=function,
        function_name=name,
        operation=operation,
        status=_status(request, response),
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=targets,
        sub_function=first.command,
        exception_code=status if status > 0 else None,
        details=_details(request, response),
        anomalies=_anomalies(request, response),
    )

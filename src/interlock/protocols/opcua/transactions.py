"""OPC UA request/response pairs as the engine's typed transactions.

A transaction is a service request and its response on one secure channel (same request
id). Operation classes:

- read: Read, HistoryRead, Browse, BrowseNext, TranslateBrowsePathsToNodeIds, queries,
  subscriptions, monitored items and Publish (they deliver node values);
- write: Write, HistoryUpdate, and Call: a method call is a command to the server (start a
  batch, open a valve), so it is classed with writes, its method in details["calls"];
- program: AddNodes, DeleteNodes, AddReferences, DeleteReferences (they change the
  address space itself);
- session: OpenSecureChannel, CloseSecureChannel, CreateSession, ActivateSession,
  CloseSession, Cancel;
- discovery: GetEndpoints, FindServers, FindServersOnNetwork, RegisterServer(2);
- other: RegisterNodes, UnregisterNodes, and what is not in the standard.

Targets: one per node acted on, ``Target(unit=0, space="node:<NodeId>", start=<attribute
id>, quantity=1)`` (attribute 13 is Value); a Call targets its method node and a Browse
its starting node, with start 0.
Status: "exception" for a ServiceFault, a Bad service result, a Bad per-item result (the
first one is the exception_code) or an aborted response; CloseSecureChannel, which has no
response, is "ok" alone. Encrypted MSG and CLO messages are not transactions (nothing of
them can be read); an encrypted OpenSecureChannel is, with its policy and certificates.
"""

from __future__ import annotations

from typing import Any, Final

from interlock.model import (
    Endpoint,
    OperationClass,
    Target,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.opcua.details import details_of
from interlock.protocols.opcua.messages import (
    BrowseItem,
    CallItem,
    ReadItem,
    ValueItem,
    WriteItem,
)
from interlock.protocols.opcua.service_types import SERVICE_TYPES
from interlock.protocols.opcua.session import (
    MODE_NONE,
    MODE_SIGN,
    Observation,
    SeenRequest,
    UaMessage,
    pairing_key,
)
from interlock.protocols.opcua.transport import Chunk

__all__ = ["build", "is_request", "pairing_key", "view"]

R, W, P = OperationClass.READ, OperationClass.WRITE, OperationClass.PROGRAM
S, D = OperationClass.SESSION, OperationClass.DISCOVERY
OPERATIONS: Final[dict[str, OperationClass]] = {
    **dict.fromkeys(
        (
            "Read",
            "HistoryRead",
            "Browse",
            "BrowseNext",
            "TranslateBrowsePathsToNodeIds",
            "QueryFirst",
            "QueryNext",
            "CreateSubscription",
            "ModifySubscription",
            "SetPublishingMode",
            "Publish",
            "Republish",
            "TransferSubscriptions",
            "DeleteSubscriptions",
            "CreateMonitoredItems",
            "ModifyMonitoredItems",
            "SetMonitoringMode",
            "SetTriggering",
            "DeleteMonitoredItems",
        ),
        R,
    ),
    **dict.fromkeys(("Write", "HistoryUpdate", "Call"), W),
    **dict.fromkeys(("AddNodes", "DeleteNodes", "AddReferences", "DeleteReferences"), P),
    **dict.fromkeys(
        (
            "OpenSecureChannel",
            "CloseSecureChannel",
            "CreateSession",
            "ActivateSession",
            "CloseSession",
            "Cancel",
        ),
        S,
    ),
    **dict.fromkeys(
        (
            "GetEndpoints",
            "FindServers",
            "FindServersOnNetwork",
            "RegisterServer",
            "RegisterServer2",
        ),
        D,
    ),
}
REQUEST_IDS: Final = {
    name.removesuffix("Request"): type_id
    for type_id, name in SERVICE_TYPES.items()
    if name.endswith("Request")
}
BAD: Final = 0x80000000


def view(
    message: Chunk, answered: Observation | None
) -> tuple[UaMessage, SeenRequest | None] | None:
    """The message a chunk completed and, for a response, its request; None for chunks
    that complete nothing and for encrypted MSG/CLO messages."""
    if answered is None or answered.message is None:
        return None
    done = answered.message
    if done.encrypted and done.msg_type != "OPN":
        return None
    if done.service is None and done.abort is None and done.msg_type != "OPN":
        return None
    return done, answered.request


def is_request(message: UaMessage) -> bool:
    return message.is_request


def _service_name(message: UaMessage) -> str:
    if message.service is not None and message.service.name != "Unknown":
        return message.service.service
    return {"OPN": "OpenSecureChannel", "CLO": "CloseSecureChannel"}.get(
        message.msg_type, "Unknown"
    )


def _status(
    request: UaMessage | None, response: UaMessage | None, name: str
) -> tuple[TransactionStatus, int | None]:
    if response is None:
        if name == "CloseSecureChannel":
            return "ok", None
        return ("unanswered" if request is not None else "unknown"), None
    if response.abort is not None:
        return "exception", response.abort.error
    service = response.service
    if service is None:
        return ("ok" if request is not None else "unknown"), None
    if service.name == "ServiceFault" or service.service_result & BAD:
        return "exception", service.service_result
    results = service.get("results", [])
    statuses = [s for s in results if isinstance(s, int)] if isinstance(results, list) else []
    statuses += [i.status for i in service.items if isinstance(i, ValueItem)]
    bad = next((s for s in statuses if s & BAD), None)
    if bad is not None:
        return "exception", bad
    return ("ok" if request is not None else "unknown"), None


def _targets(request: UaMessage | None) -> tuple[Target, ...]:
    if request is None or request.service is None:
        return ()
    targets = []
    for item in request.service.items:
        if isinstance(item, (ReadItem, WriteItem)):
            targets.append(Target(0, "node:" + item.node, item.attribute, 1))
        elif isinstance(item, CallItem):
            targets.append(Target(0, "node:" + item.method_id, 0, 1))
        elif isinstance(item, BrowseItem):
            targets.append(Target(0, "node:" + item.node, 0, 1))
    return tuple(targets)


def _values(request: UaMessage | None) -> tuple[int, ...]:
    """Written integer (and boolean) values, in order; other types are in details."""
    if request is None or request.service is None:
        return ()
    found = []
    for item in request.service.items:
        if isinstance(item, WriteItem) and isinstance(item.value.value, int):
            found.append(int(item.value.value))
    return tuple(found)


def _anomalies(request: UaMessage | None, response: UaMessage | None) -> tuple[str, ...]:
    parts: list[Any] = [request, response]
    parts += [m.service for m in (request, response) if m is not None]
    codes = merge_anomalies(*parts)
    if request is not None and request.service is not None:
        for item in request.service.items:
            cleartext = getattr(item, "password_cleartext", False)
            if cleartext and request.security_mode in (MODE_NONE, MODE_SIGN):
                codes += ("opcua.password_cleartext",)
    return codes


def build(
    client: Endpoint,
    server: Endpoint,
    request: UaMessage | None,
    request_frame: int | None,
    request_ts: float | None,
    response: UaMessage | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    first = request or response
    assert first is not None
    name = _service_name(first)
    status, exception_code = _status(request, response, name)
    return Transaction(
        protocol="opcua",
        client=client,
        server=server,
        function=REQUEST_IDS.get(name, -1),
        function_name=name,
        operation=OPERATIONS.get(name, OperationClass.OTHER),
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=_targets(request),
        values=_values(request),
        exception_code=exception_code,
        details=details_of(request, response),
        anomalies=_anomalies(request, response),
    )

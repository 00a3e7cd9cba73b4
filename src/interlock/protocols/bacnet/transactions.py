"""BACnet confirmed requests and their answers, and unconfirmed requests, as the engine's
typed transactions.

A confirmed request pairs with the Simple-ACK, Complex-ACK (reassembled when segmented),
Error, Reject or Abort carrying its invoke id from the other side; an unconfirmed request
(Who-Is, I-Am, COV notifications...) stands alone with status "unsolicited". Targets name
the device (its instance when the flow has shown it, else 0) and the object: the object
type is the address space, the instance the start. Details carry what inventory and
detection need: the properties read or written with value and priority, I-Am identity,
DeviceCommunicationControl and ReinitializeDevice parameters (a password's presence only,
never its text), error class and code, and the routed source or destination network.
"""

from __future__ import annotations

import math
from typing import Any, Final

from interlock.model import Endpoint, OperationClass, Target, Transaction, TransactionStatus
from interlock.protocols.bacnet.apdu import (
    ABORT,
    CONFIRMED_REQUEST,
    ERROR,
    REJECT,
    SEGMENT_ACK,
    UNCONFIRMED_REQUEST,
)
from interlock.protocols.bacnet.body import ObjectId, PropertyAccess, ServiceBody
from interlock.protocols.bacnet.session import DEVICE_OBJECT, Observation, SeenRequest, Unit
from interlock.protocols.bacnet.tags import Value
from interlock.protocols.bacnet.vocabulary import (
    ABORT_REASONS,
    CONFIRMED_SERVICES,
    ENABLE_DISABLE,
    ERROR_CLASSES,
    ERROR_CODES,
    OBJECT_TYPES,
    PROPERTY_IDS,
    REINITIALIZE_STATES,
    REJECT_REASONS,
    SEGMENTATION,
    UNCONFIRMED_SERVICES,
)

__all__ = ["build", "is_request", "pairing_key", "view"]

_R, _W = OperationClass.READ, OperationClass.WRITE
CONFIRMED_OPERATIONS: Final[dict[int, OperationClass]] = {
    3: _R,  # getAlarmSummary
    4: _R,  # getEnrollmentSummary
    5: _R,  # subscribeCOV
    6: _R,  # atomicReadFile
    7: OperationClass.PROGRAM,  # atomicWriteFile: configuration and firmware files
    8: _W,  # addListElement
    9: _W,  # removeListElement
    10: _W,  # createObject
    11: _W,  # deleteObject
    12: _R,  # readProperty
    13: _R,  # readPropertyConditional
    14: _R,  # readPropertyMultiple
    15: _W,  # writeProperty
    16: _W,  # writePropertyMultiple
    17: OperationClass.MODE_CHANGE,  # deviceCommunicationControl
    20: OperationClass.RESTART,  # reinitializeDevice
    21: OperationClass.SESSION,  # vtOpen
    22: OperationClass.SESSION,  # vtClose
    23: OperationClass.SESSION,  # vtData
    24: OperationClass.SESSION,  # authenticate
    25: OperationClass.SESSION,  # requestKey
    26: _R,  # readRange
    28: _R,  # subscribeCOVProperty
    29: _R,  # getEventInformation
    30: _R,  # subscribeCOVPropertyMultiple
    33: _R,  # auditLogQuery
}
UNCONFIRMED_OPERATIONS: Final[dict[int, OperationClass]] = {
    0: OperationClass.IDENTITY,  # i-Am
    1: OperationClass.IDENTITY,  # i-Have
    6: _W,  # timeSynchronization: sets the device clock
    7: OperationClass.DISCOVERY,  # who-Has
    8: OperationClass.DISCOVERY,  # who-Is
    9: _W,  # utcTimeSynchronization
    10: _W,  # writeGroup
    13: OperationClass.DISCOVERY,  # who-Am-I
    14: _W,  # you-Are: assigns a device its identity
}


def view(message: Any, answered: Observation | None) -> tuple[Unit, SeenRequest | None] | None:
    """The APDU a datagram completed and, for an answer, its request; None for datagrams
    without one (BVLC-only, network messages, segments before the last, segment ACKs)."""
    if answered is None or answered.unit is None or answered.unit.apdu.type == SEGMENT_ACK:
        return None
    return answered.unit, answered.request


def is_request(unit: Unit) -> bool:
    """Confirmed requests wait for an answer; everything else stands alone or answers."""
    return unit.apdu.type == CONFIRMED_REQUEST


def pairing_key(unit: Unit) -> tuple[bool, int]:
    """The side that sent the confirmed request, and its invoke id."""
    return unit.requester, unit.apdu.invoke_id


def _object_text(obj: ObjectId | None) -> str | None:
    if obj is None:
        return None
    return f"{OBJECT_TYPES.get(obj.type, str(obj.type))}:{obj.instance}"


def _plain(value: Value) -> Value:
    if isinstance(value, tuple):
        return _object_text(ObjectId(value[0], value[1]))
    return value


def _access_detail(access: PropertyAccess) -> dict[str, object]:
    detail: dict[str, object] = {
        "object": _object_text(access.object),
        "property": PROPERTY_IDS.get(access.property, str(access.property)),
        "property_id": access.property,
    }
    if access.array_index is not None:
        detail["array_index"] = access.array_index
    if access.values:
        values = [_plain(v) for v in access.values]
        detail["value"] = values[0] if len(values) == 1 else values
    if access.priority is not None:
        detail["priority"] = access.priority
    if access.error is not None:
        detail["error_class"] = ERROR_CLASSES.get(access.error[0], str(access.error[0]))
        detail["error_code"] = ERROR_CODES.get(access.error[1], str(access.error[1]))
    return detail


def _numbers(accesses: tuple[PropertyAccess, ...]) -> tuple[int, ...]:
    out: list[int] = []
    for access in accesses:
        for value in access.values:
            if isinstance(value, bool | int):
                out.append(int(value))
            elif isinstance(value, float) and math.isfinite(value):
                out.append(round(value))
    return tuple(out)


def _targets(unit: Unit, body: ServiceBody) -> tuple[Target, ...]:
    device = unit.device if unit.apdu.type != UNCONFIRMED_REQUEST else -1
    objects = [a.object for a in body.accesses if a.object is not None] or list(body.objects[:1])
    if device < 0:
        devices = [o.instance for o in objects if o.type == DEVICE_OBJECT]
        device = devices[0] if devices else 0
    if not objects and unit.apdu.service in (17, 20) and unit.device >= 0:
        objects = [ObjectId(DEVICE_OBJECT, unit.device)]
    unique = dict.fromkeys(objects)
    return tuple(
        Target(device, OBJECT_TYPES.get(o.type, str(o.type)), o.instance, 1) for o in unique
    )


def _named(table: dict[int, str], value: Value) -> Value:
    return table.get(value, value) if isinstance(value, int) else value


def _service_details(unit: Unit, body: ServiceBody) -> dict[str, object]:
    apdu = unit.apdu
    details: dict[str, object] = {}
    if apdu.type == CONFIRMED_REQUEST and apdu.service == 17:
        details["duration_minutes"] = body.param("duration")
        details["enable_disable"] = _named(ENABLE_DISABLE, body.param("enable_disable"))
        details["password_present"] = body.param("password") is True
    elif apdu.type == CONFIRMED_REQUEST and apdu.service == 20:
        details["state"] = _named(REINITIALIZE_STATES, body.param("state"))
        details["password_present"] = body.param("password") is True
    elif apdu.type == UNCONFIRMED_REQUEST and apdu.service == 0 and len(body.values) >= 4:
        device, max_apdu, segmentation, vendor = body.values[:4]
        details["device"] = _plain(device)
        details["max_apdu"] = max_apdu
        details["segmentation"] = _named(SEGMENTATION, segmentation)
        details["vendor_id"] = vendor
    elif apdu.type == UNCONFIRMED_REQUEST and apdu.service in (7, 8):
        for name in ("low_limit", "high_limit", "object_name"):
            if body.param(name) is not None:
                details[name] = body.param(name)
    elif apdu.type == UNCONFIRMED_REQUEST and apdu.service == 1 and len(body.values) >= 3:
        details["device"], details["object"] = _plain(body.values[0]), _plain(body.values[1])
        details["object_name"] = body.values[2]
    return {k: v for k, v in details.items() if v is not None}


def _routing(unit: Unit) -> dict[str, object]:
    npdu = unit.message.npdu
    found: dict[str, object] = {}
    if npdu is not None and npdu.snet >= 0:
        found["snet"], found["sadr"] = npdu.snet, npdu.sadr.hex()
    if npdu is not None and npdu.dnet >= 0:
        found["dnet"], found["dadr"] = npdu.dnet, npdu.dadr.hex()
    if unit.message.forwarded_from is not None:
        found["forwarded_from"] = "{}:{}".format(*unit.message.forwarded_from)
    return found


def _outcome(response: Unit | None) -> tuple[TransactionStatus, int | None, dict[str, object]]:
    if response is None:
        return "unanswered", None, {}
    apdu, body = response.apdu, response.body
    if apdu.type == ERROR and body is not None:
        klass, code = (body.values[:2] if len(body.values) >= 2 else ()) or (
            body.param("error_class"),
            body.param("error_code"),
        )
        code_no = code if isinstance(code, int) else None
        return (
            "exception",
            code_no,
            {"error_class": _named(ERROR_CLASSES, klass), "error_code": _named(ERROR_CODES, code)},
        )
    if apdu.type in (REJECT, ABORT):
        table = REJECT_REASONS if apdu.type == REJECT else ABORT_REASONS
        kind = "reject" if apdu.type == REJECT else "abort"
        return "exception", apdu.reason, {kind: _named(table, apdu.reason)}
    return "ok", None, {}


def _function(unit: Unit) -> tuple[int, str]:
    apdu = unit.apdu
    if apdu.type == UNCONFIRMED_REQUEST:
        return apdu.service, UNCONFIRMED_SERVICES.get(apdu.service, f"unconfirmed-{apdu.service}")
    if apdu.service >= 0:
        return apdu.service, CONFIRMED_SERVICES.get(apdu.service, f"confirmed-{apdu.service}")
    return -1, "reject" if apdu.type == REJECT else "abort"


def build(
    client: Endpoint,
    server: Endpoint,
    request: Unit | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Unit | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a request and/or its answer (an unconfirmed request alone)."""
    if request is None and response is not None and response.apdu.type == UNCONFIRMED_REQUEST:
        request, request_frame, request_ts = response, response_frame, response_ts
        response = response_frame = response_ts = None
    first = request or response
    assert first is not None
    function, name = _function(request or first)
    if request is not None and request.apdu.type == UNCONFIRMED_REQUEST:
        operation = UNCONFIRMED_OPERATIONS.get(function, OperationClass.OTHER)
        status: TransactionStatus = "unsolicited"
        code, outcome = None, dict[str, object]()
    else:
        operation = CONFIRMED_OPERATIONS.get(function, OperationClass.OTHER)
        status, code, outcome = _outcome(response)
        if request is None:
            status = "unknown" if status == "ok" else status
    req_body = request.body if request is not None else None
    resp_body = response.body if response is not None else None
    body = req_body or resp_body
    details: dict[str, object] = {}
    if body is not None:
        accesses = resp_body.accesses if resp_body and resp_body.accesses else body.accesses
        if accesses:
            details["properties"] = [_access_detail(a) for a in accesses]
        details.update(_service_details(request or first, body))
    details.update(outcome)
    details.update(_routing(first))
    values: tuple[int, ...] = ()
    if body is not None and operation == _W:
        values = _numbers(body.accesses)
    elif resp_body is not None:
        values = _numbers(resp_body.accesses)
    anomalies = [*(request.message.anomalies if request else ())]
    anomalies += [*(response.message.anomalies if response else ())]
    return Transaction(
        protocol="bacnet",
        client=client,
        server=server,
        function=function,
        function_name=name,
        operation=operation,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=_targets(first, body) if body is not None else (),
        values=values,
        exception_code=code,
        details=details,
        anomalies=tuple(dict.fromkeys(anomalies)),
    )

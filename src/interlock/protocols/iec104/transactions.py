"""IEC 104 exchanges as the engine's typed transactions.

A transaction is an activation (command, set-point, interrogation, clock sync, reset...)
with its confirmation; when the station later sends the activation termination, that is
a second transaction on the same request (details["phase"] = "termination"), so that a
command's whole life is visible. U-frame acts pair with their cons. Monitoring ASDUs
(spontaneous, periodic, interrogated data, end of initialization) stand alone as
unsolicited reads. S frames are acknowledgements only and make no transaction.

Values are integers only (Transaction.values): single/double/step states, scaled values,
bitstrings and counters. Normalized and floating-point values go to
details["objects"][i]["normalized" | "float"].
"""

from __future__ import annotations

from typing import Any

from interlock.model import (
    Endpoint,
    OperationClass,
    Target,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.iec104.apci import (
    I_FRAME,
    STARTDT_ACT,
    STOPDT_ACT,
    U_ACTIVATIONS,
    U_FRAME,
    Apdu,
)
from interlock.protocols.iec104.asdu import Asdu
from interlock.protocols.iec104.elements import decode_element
from interlock.protocols.iec104.session import (
    Observation,
    SeenRequest,
    is_activation,
    pairing_key,
)
from interlock.protocols.iec104.type_ids import (
    ACTIVATION_TERM,
    TYPES,
    UNKNOWN_CAUSES,
    cause_name,
    type_name,
)

__all__ = ["build", "is_request", "pairing_key", "view"]

_U_NAMES = {STARTDT_ACT: "STARTDT", STOPDT_ACT: "STOPDT", 0x10: "TESTFR"}
_SPACE = "ioa"
_C_IC, _C_CI, _C_RD, _C_CS, _C_RP = 100, 101, 102, 103, 105
_READS = frozenset({_C_IC, _C_CI, _C_RD})
_DIAGNOSTICS = frozenset({104, 106, 107})
_WRITES = frozenset({*range(45, 52), *range(58, 65), 110, 111, 112, 113})
_COMMANDS = frozenset({45, 46, 47, 58, 59, 60})


def view(message: Any, answered: Observation | None) -> tuple[Apdu, SeenRequest | None] | None:
    """The APDU and, for an answer, its request; None for what makes no transaction."""
    apdu: Apdu = message
    request = answered.request if answered is not None else None
    if apdu.frame_type == U_FRAME and apdu.u_function >= 0:
        return apdu, request
    if apdu.frame_type == I_FRAME and apdu.asdu is not None and apdu.asdu.common_address >= 0:
        return apdu, request
    return None


def is_request(apdu: Apdu) -> bool:
    if apdu.frame_type == U_FRAME:
        return apdu.u_function in U_ACTIVATIONS
    return is_activation(apdu)


def operation_of(apdu: Apdu) -> OperationClass:
    if apdu.frame_type == U_FRAME:
        act = pairing_key(apdu)[1]
        return OperationClass.DIAGNOSTIC if act == 0x10 else OperationClass.SESSION
    asdu = apdu.asdu
    type_id = asdu.type_id if asdu is not None else -1
    info = TYPES.get(type_id)
    if info is None:
        return OperationClass.OTHER
    if info.kind == "monitor" or type_id in _READS:
        return OperationClass.READ
    if type_id in _WRITES:
        return OperationClass.WRITE
    if type_id == _C_RP:
        return OperationClass.RESTART
    if type_id in _DIAGNOSTICS:
        return OperationClass.DIAGNOSTIC
    if info.kind == "security":
        return OperationClass.SESSION
    return OperationClass.OTHER


def _objects(asdu: Asdu) -> list[dict[str, object]]:
    return [{"ioa": o.ioa, **decode_element(asdu.type_id, o.element)} for o in asdu.objects]


def _values(objects: list[dict[str, object]]) -> tuple[int, ...]:
    out: list[int] = []
    for o in objects:
        value = o.get("value", o.get("state"))
        if isinstance(value, int) and not isinstance(value, bool):
            out.append(value)
    return tuple(out)


def _asdu_details(asdu: Asdu, objects: list[dict[str, object]]) -> dict[str, object]:
    details: dict[str, object] = {
        "type": type_name(asdu.type_id),
        "cause": cause_name(asdu.cause),
        "common_address": asdu.common_address,
        "originator": asdu.originator,
    }
    if asdu.test:
        details["test"] = True
    if asdu.type_id in _COMMANDS or asdu.type_id in _WRITES:
        details["command"] = True
        first = objects[0] if objects else {}
        if "select" in first:
            details["select"] = first["select"]
    if asdu.type_id == _C_IC and objects:
        details["general_interrogation"] = objects[0].get("qoi") == 20
    if asdu.type_id == _C_CS:
        details["clock_sync"] = True
    if objects:
        details["objects"] = objects
    return details


def _status(request: Apdu | None, response: Apdu | None) -> tuple[TransactionStatus, int | None]:
    if request is None:
        if response is not None and not is_activation(response) and _monitoring(response):
            return "unsolicited", None
        return "unknown", None
    if response is None:
        return "unanswered", None
    asdu = response.asdu
    if asdu is not None and asdu.cause in UNKNOWN_CAUSES:
        return "exception", asdu.cause
    if asdu is not None and asdu.negative:
        return "exception", None
    return "ok", None


def _monitoring(apdu: Apdu) -> bool:
    asdu = apdu.asdu
    info = TYPES.get(asdu.type_id) if asdu is not None else None
    return info is not None and info.kind == "monitor"


def build(
    client: Endpoint,
    server: Endpoint,
    request: Apdu | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Apdu | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from an activation and/or its answer (or a lone monitoring ASDU)."""
    first = request or response
    assert first is not None
    status, exception_code = _status(request, response)
    details: dict[str, object] = {}
    targets: tuple[Target, ...] = ()
    values: tuple[int, ...] = ()
    if first.frame_type == U_FRAME:
        function = pairing_key(first)[1]
        name = _U_NAMES.get(function, f"U_{function}")
    else:
        asdu = first.asdu
        assert asdu is not None
        function, name = asdu.type_id, type_name(asdu.type_id)
        objects = _objects(asdu)
        details = _asdu_details(asdu, objects)
        targets = tuple(Target(asdu.common_address, _SPACE, ioa, 1) for ioa in asdu.ioas)
        values = _values(objects)
        answer = response.asdu if response is not None and request is not None else None
        if answer is not None:
            details["phase"] = "termination" if answer.cause == ACTIVATION_TERM else "confirmation"
            details["response_cause"] = cause_name(answer.cause)
            if answer.negative:
                details["negative"] = True
    return Transaction(
        protocol="iec104",
        client=client,
        server=server,
        function=function,
        function_name=name,
        operation=operation_of(first),
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=targets,
        values=values,
        exception_code=exception_code,
        details=details,
        anomalies=merge_anomalies(request, response),
    )

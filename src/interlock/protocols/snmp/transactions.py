"""SNMP messages as the engine's transactions.

get/getnext/getbulk read, set writes, traps and informs are OTHER (an agent reporting an
event), a report alone is OTHER. A response with a non-zero error-status is status
"exception" (exception_code = error-status). targets stay empty: an OID is not a range of
a numbered address space, so the OIDs and the values set are in details["varbinds"]
(list of {"oid", "type", "value"} in wire order), and what came back in
details["response_varbinds"]. The MIB-II system group in a response is surfaced by name
in details["system"] (sysDescr, sysObjectID, sysUpTime, sysContact, sysName,
sysLocation). v1/v2c carry their community in cleartext: details["cleartext_community"]
is True and the transaction has the anomaly snmp.cleartext_community; the community's
value is never in any message, detail or output (its length is, as community_length).
"""

from __future__ import annotations

from typing import Final

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.protocols.identity.wire import hex_text
from interlock.protocols.snmp.identity import SNMP_TRAP_OID, SYSTEM
from interlock.protocols.snmp.message import VERSIONS, SnmpMessage, V3Header
from interlock.protocols.snmp.pdu import GETBULK, Pdu, VarBind

__all__ = ["build", "is_request", "pairing_key"]

_OPERATIONS: Final = {
    0xA0: OperationClass.READ,
    0xA1: OperationClass.READ,
    0xA5: OperationClass.READ,
    0xA3: OperationClass.WRITE,
}
ERROR_STATUS: Final = (
    "noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess",
    "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation",
    "inconsistentValue", "resourceUnavailable", "commitFailed", "undoFailed",
    "authorizationError", "notWritable", "inconsistentName",
)  # fmt: skip
"""RFC 3416 section 3, error-status values 0-18."""


def pairing_key(message: SnmpMessage) -> tuple[int, int]:
    return message.pairing_id


def is_request(message: SnmpMessage) -> bool:
    return message.is_request


def value_text(bind: VarBind) -> object:
    """A value for details: numbers as ints, text when printable, else hex."""
    value = bind.value
    if isinstance(value, bytes):
        if value and all(32 <= b < 127 or b in (9, 10, 13) for b in value):
            return value.decode("ascii")
        return hex_text(value)
    return value


def varbind_details(binds: tuple[VarBind, ...]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for bind in binds:
        entry: dict[str, object] = {"oid": bind.oid, "type": bind.type_name}
        if bind.value is not None:
            entry["value"] = value_text(bind)
        out.append(entry)
    return out


def system_group(binds: tuple[VarBind, ...]) -> dict[str, object]:
    return {SYSTEM[b.oid]: value_text(b) for b in binds if b.oid in SYSTEM and b.value is not None}


def v3_details(v3: V3Header) -> dict[str, object]:
    out: dict[str, object] = {
        "msg_id": v3.msg_id,
        "max_size": v3.max_size,
        "auth": v3.auth,
        "priv": v3.priv,
        "reportable": v3.reportable,
        "security_model": v3.security_model,
        "encrypted": v3.encrypted,
    }
    if v3.engine_id is not None:
        out["engine_id"] = hex_text(v3.engine_id)
        out["engine_boots"] = v3.engine_boots
        out["engine_time"] = v3.engine_time
    if v3.user_name is not None:
        out["user_name"] = v3.user_name.decode("utf-8", "replace")
    if v3.context_name:
        out["context_name"] = v3.context_name.decode("utf-8", "replace")
    return out


def pdu_details(pdu: Pdu, out: dict[str, object]) -> None:
    """What the first PDU of the transaction (request, or unsolicited message) carries."""
    out["pdu"] = pdu.name
    if pdu.request_id is not None:
        out["request_id"] = pdu.request_id
    if pdu.tag == GETBULK:
        out["non_repeaters"] = pdu.error_status
        out["max_repetitions"] = pdu.error_index
    if pdu.trap is not None:
        out["trap"] = {k: v for k, v in pdu.trap._asdict().items() if v is not None}
    trap_oid = next((b.value for b in pdu.varbinds if b.oid == SNMP_TRAP_OID), None)
    if isinstance(trap_oid, str):
        out["trap_oid"] = trap_oid
    out["varbinds"] = varbind_details(pdu.varbinds)


def message_details(message: SnmpMessage) -> dict[str, object]:
    out: dict[str, object] = {"version": VERSIONS.get(message.version, str(message.version))}
    if message.v3 is not None:
        out["v3"] = v3_details(message.v3)
    elif message.version in (0, 1):
        out["cleartext_community"] = True
        if message.community_length >= 0:
            out["community_length"] = message.community_length
    return out


def _status(request: SnmpMessage | None, response: SnmpMessage | None) -> TransactionStatus:
    if response is None:
        if request is not None and request.is_request:
            return "unanswered"
        if request is not None and request.pdu is not None and request.pdu.tag in (0xA4, 0xA7):
            return "unsolicited"
        return "unknown"
    pdu = response.pdu
    if pdu is not None and pdu.tag == 0xA2 and pdu.error_status:
        return "exception"
    return "ok" if request is not None else "unknown"


def build(
    client: Endpoint,
    server: Endpoint,
    request: SnmpMessage | None,
    request_frame: int | None,
    request_ts: float | None,
    response: SnmpMessage | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    if request is None and response is not None and not response.is_response:
        request, request_frame, request_ts = response, response_frame, response_ts
        response = response_frame = response_ts = None
    first = request or response
    assert first is not None
    details = message_details(first)
    pdu = first.pdu
    if pdu is not None:
        pdu_details(pdu, details)
    answer = response.pdu if response is not None else None
    exception_code = None
    if answer is not None:
        if answer.tag == 0xA2:
            details["error_status"] = answer.error_status
            details["error_index"] = answer.error_index
            if answer.error_status:
                exception_code = answer.error_status
        details["response_pdu"] = answer.name
        details["response_varbinds"] = varbind_details(answer.varbinds)
        system = system_group(answer.varbinds)
        if system:
            details["system"] = system
    if response is not None and response.v3 is not None and request is not None:
        details["response_v3"] = v3_details(response.v3)
    return Transaction(
        protocol="snmp",
        client=client,
        server=server,
        function=pdu.tag & 0x1F if pdu is not None else -1,
        function_name=pdu.name if pdu is not None else _undecoded(first),
        operation=_OPERATIONS.get(pdu.tag, OperationClass.OTHER) if pdu else OperationClass.OTHER,
        status=_status(request, response),
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        exception_code=exception_code,
        details=details,
        anomalies=_anomalies(request, response),
    )


def _undecoded(message: SnmpMessage) -> str:
    return "encrypted" if message.v3 is not None and message.v3.encrypted else "undecoded"


def _anomalies(*messages: SnmpMessage | None) -> tuple[str, ...]:
    codes: list[str] = []
    for m in messages:
        if m is None:
            continue
        if m.version in (0, 1):
            codes.append("snmp.cleartext_community")
        codes.extend(m.anomalies)
    return tuple(dict.fromkeys(codes))

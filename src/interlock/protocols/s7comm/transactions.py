"""S7comm and S7comm-plus exchanges as the engine's typed transactions.

Units are paired by the session (S7 PDU reference, S7comm-plus sequence number, COTP
connect request and confirm); this module says what each exchange is: the COTP
connection (TSAPs, rack and slot), an S7 Job or userdata service, or an S7comm-plus
request. Status: "exception" when the S7 header's error class/code or the userdata
parameter error code is set; "unsolicited" for PLC pushes and S7comm-plus notifications.
"""

from __future__ import annotations

from collections.abc import Hashable

from interlock.model import (
    Endpoint,
    OperationClass,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.s7comm.cotp import (
    CC,
    CR,
    PARAM_DST_TSAP,
    PARAM_SRC_TSAP,
    PARAM_TPDU_SIZE,
    s7_tsap,
)
from interlock.protocols.s7comm.details import Meaning, job_meaning, userdata_meaning
from interlock.protocols.s7comm.header import USERDATA
from interlock.protocols.s7comm.pdu import S7Pdu, decode_pdu
from interlock.protocols.s7comm.session import (
    CONNECTION,
    S7COMM,
    S7COMM_PLUS,
    Observation,
    SeenRequest,
)
from interlock.protocols.s7comm.session import pairing_key as session_key
from interlock.protocols.s7comm.tpkt import TpktUnit
from interlock.protocols.s7comm_plus.frame import OPCODE_NOTIFICATION, OPCODES
from interlock.protocols.s7comm_plus.functions import function_info


def view(unit: TpktUnit, seen: Observation | None) -> tuple[Observation, SeenRequest | None] | None:
    """The observation a transaction is built from, and the request it answers; None when
    the unit completes nothing (a COTP fragment, an S7comm-plus continuation, other data)."""
    if seen is None or seen.kind not in (CONNECTION, S7COMM, S7COMM_PLUS):
        return None
    if seen.kind == S7COMM_PLUS and (seen.s7p is None or seen.s7p.continuation):
        return None
    return seen, seen.request


def is_request(seen: Observation) -> bool:
    """By content, not direction: in a block download the PLC sends the Jobs."""
    key, request = session_key(seen)
    return key is not None and request


def pairing_key(seen: Observation) -> Hashable:
    key, _is_request = session_key(seen)
    return key if key is not None else ("unpaired", seen.kind)


def build(
    client: Endpoint,
    server: Endpoint,
    request: Observation | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Observation | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a request and/or its response."""
    first = request or response
    assert first is not None
    req = decode_pdu(request.payload) if request is not None and request.kind == S7COMM else None
    resp = (
        decode_pdu(response.payload) if response is not None and response.kind == S7COMM else None
    )
    if first.kind == CONNECTION:
        meaning = _connection(request, response)
    elif first.kind == S7COMM_PLUS:
        meaning = _plus(request, response)
    elif first.s7 is not None and first.s7.rosctr == USERDATA:
        meaning = userdata_meaning(
            req,
            resp,
            request.userdata_payload if request else None,
            response.userdata_payload if response else None,
        )
    else:
        meaning = job_meaning(req, resp)
    status, exception_code = _status(request, response, resp)
    anomalies = merge_anomalies(request, response, req, resp)
    return Transaction(
        protocol="s7comm-plus" if first.kind == S7COMM_PLUS else "s7comm",
        client=client,
        server=server,
        function=meaning.function,
        function_name=meaning.function_name,
        operation=meaning.operation,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=meaning.targets,
        values=meaning.values,
        sub_function=meaning.sub_function,
        exception_code=exception_code,
        details=meaning.details,
        anomalies=anomalies,
    )


def _status(
    request: Observation | None, response: Observation | None, resp: S7Pdu | None
) -> tuple[TransactionStatus, int | None]:
    if response is None:
        return "unanswered", None
    code = _error_code(resp)
    if code:
        return "exception", code
    if request is None:
        return ("unsolicited" if response.is_push else "unknown"), None
    return "ok", None


def _error_code(resp: S7Pdu | None) -> int | None:
    """The S7 header's error class and code as one number, or the userdata error code."""
    if resp is None:
        return None
    h = resp.header
    if h.error_class > 0 or h.error_code > 0:
        return (max(h.error_class, 0) << 8) | max(h.error_code, 0)
    if resp.userdata is not None and resp.userdata.error_code > 0:
        return resp.userdata.error_code
    return None


def _connection(request: Observation | None, response: Observation | None) -> Meaning:
    """The COTP connection: TSAPs as hex, the negotiated TPDU size, and from the called
    (destination) TSAP the S7 connection type, rack and slot."""
    details: dict[str, object] = {}
    tpdus = [seen.tpdu for seen in (request, response) if seen is not None]
    for tpdu in tpdus:
        for code, name in ((PARAM_SRC_TSAP, "src_tsap"), (PARAM_DST_TSAP, "dst_tsap")):
            value = tpdu.param(code)
            if value is not None and name not in details:
                details[name] = tsap_text(value)
        size = tpdu.param(PARAM_TPDU_SIZE)
        if size:
            details["tpdu_size"] = 1 << (size[0] & 0x0F)  # the confirm's, the negotiated one
    tsap = s7_tsap(tpdus[0].param(PARAM_DST_TSAP))  # two bytes: an S7 TSAP
    if tsap is not None:
        details.update(connection_type=tsap.connection_type, rack=tsap.rack, slot=tsap.slot)
    code = tpdus[0].code
    name = "cotp_connect" if code in (CR, CC) else "cotp_disconnect"
    return Meaning(code << 4, name, OperationClass.SESSION, None, (), (), details)


def tsap_text(value: bytes) -> str:
    """As Wireshark shows a TSAP: the text when it is all printable ("SIMATIC-ROOT-HMI"),
    else hex ("0102")."""
    if value and all(0x20 <= b < 0x7F for b in value):
        return value.decode("ascii")
    return value.hex()


def _plus(request: Observation | None, response: Observation | None) -> Meaning:
    fragment = request or response
    assert fragment is not None and fragment.s7p is not None
    head = fragment.s7p
    details: dict[str, object] = {
        "version": head.version,
        "opcode": OPCODES.get(head.opcode, f"opcode_{head.opcode:#04x}"),
        "integrity_protected": head.integrity_protected,
    }
    if head.seqnum >= 0:
        details["seqnum"] = head.seqnum
    if request is not None and request.s7p is not None and request.s7p.session_id >= 0:
        details["session_id"] = request.s7p.session_id
    if head.opcode == OPCODE_NOTIFICATION:
        return Meaning(-1, "notification", OperationClass.READ, None, (), (), details)
    name, operation = function_info(head.function)
    return Meaning(head.function, name, operation, None, (), (), details)

"""RDP connection start as a SESSION transaction: who (the cookie's user name), what the
client asked for, what the server chose (or why it refused)."""

from __future__ import annotations

from typing import Any

from interlock.model import (
    Endpoint,
    OperationClass,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.rdp.x224 import CC, FAILURES, NEG_FAILURE, NEG_RSP, RdpUnit, protocol_names
from interlock.protocols.remote_access.common import SeenRequest, Step, step_key

pairing_key = step_key
_AUTH = {
    "CredSSP": "NLA (CredSSP)",
    "CredSSP_EX": "NLA (CredSSP)",
    "TLS": "TLS",
    "RDP": "RDP security",
}


def view(unit: RdpUnit, seen: Any) -> tuple[Step, SeenRequest | None] | None:
    if isinstance(seen, Step):
        return seen, None
    if unit.pdu_type == CC:
        return Step(0, unit), seen if isinstance(seen, SeenRequest) else None
    return None


def build(
    client: Endpoint,
    server: Endpoint,
    request: Step | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Step | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    cr: RdpUnit | None = request.message if request is not None else None
    cc: RdpUnit | None = response.message if response is not None else None
    details: dict[str, object] = {"remote_access": True, "cleartext_credentials": False}
    if cr is not None:
        details["username"] = cr.username
        details["cookie"] = cr.cookie
        if cr.protocols is not None:
            details["requested_protocols"] = list(protocol_names(cr.protocols))
    status: TransactionStatus = "unanswered" if cc is None else "ok"
    failure = None
    if cc is not None and cc.neg_type == NEG_FAILURE:
        status, failure = "exception", cc.protocols
        details["failure"] = FAILURES.get(cc.protocols or 0, "unknown")
    elif cc is not None:
        selected = protocol_names(cc.protocols or 0) if cc.neg_type == NEG_RSP else ("RDP",)
        details["selected_protocol"] = selected[0]
        details["auth_method"] = _AUTH.get(selected[0], selected[0])
        details["encrypted"] = True
        details["weak_security"] = selected[0] == "RDP"
    if cr is None:
        status = "unknown"
    return Transaction(
        protocol="rdp",
        client=client,
        server=server,
        function=0xE0,
        function_name="X.224 Connection Request",
        operation=OperationClass.SESSION,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        exception_code=failure,
        details=details,
        anomalies=merge_anomalies(cr, cc),
    )

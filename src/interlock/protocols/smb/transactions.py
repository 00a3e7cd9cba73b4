"""SMB requests with their responses as transactions.

NEGOTIATE, SESSION_SETUP (with the NTLMSSP user, domain and workstation), LOGOFF and
TREE_CONNECT (the share: ``ADMIN$``, ``C$``, ``IPC$`` are remote administration evidence)
are SESSION; CREATE is a write when it asks for write, append or delete access, else a
read; READ and WRITE are what they say. A unit with compounded SMB2 messages yields the
transaction of its first message (the engine's pairing takes one message per unit).
"""

from __future__ import annotations

from typing import Any, Final

from interlock.model import (
    Endpoint,
    OperationClass,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.remote_access.common import SeenRequest, Step, step_key
from interlock.protocols.smb.commands import command_name
from interlock.protocols.smb.message import SMB1, SMB2, SmbMessage
from interlock.protocols.smb.nbss import SmbUnit
from interlock.protocols.smb.session import SmbContext

pairing_key = step_key
WRITE_ACCESS: Final = 0x00000002 | 0x00000004 | 0x00010000 | 0x40000000 | 0x10000000
_SMB2_OPS: Final = {
    0: OperationClass.SESSION,
    1: OperationClass.SESSION,
    2: OperationClass.SESSION,
    3: OperationClass.SESSION,
    8: OperationClass.READ,
    9: OperationClass.WRITE,
    14: OperationClass.DISCOVERY,
    16: OperationClass.DISCOVERY,
}
_SMB1_OPS: Final = {
    0x72: OperationClass.SESSION,
    0x73: OperationClass.SESSION,
    0x74: OperationClass.SESSION,
    0x75: OperationClass.SESSION,
    0x2E: OperationClass.READ,
    0x2F: OperationClass.WRITE,
}
MORE_PROCESSING: Final = 0xC0000016
"""STATUS_MORE_PROCESSING_REQUIRED: an authentication round trip, not a failure."""
ADMIN_SHARES: Final = ("ADMIN$", "C$", "D$", "E$", "IPC$")


def view(unit: SmbUnit, seen: Any) -> tuple[Step, SeenRequest | None] | None:
    if not unit.messages or not isinstance(seen, tuple) or not seen:
        return None
    first, answered = unit.messages[0], seen[0]
    if isinstance(answered, Step):
        return answered, None
    if isinstance(answered, SeenRequest) and isinstance(answered.adu, Step):
        return Step(answered.adu.key, SmbContext(first, None, False)), answered
    return None


def _operation(message: SmbMessage) -> OperationClass:
    if message.filename is not None and message.desired_access is not None:
        return (
            OperationClass.WRITE if message.desired_access & WRITE_ACCESS else OperationClass.READ
        )
    table = _SMB2_OPS if message.version == SMB2 else _SMB1_OPS
    return table.get(message.command, OperationClass.OTHER)


def _details(request: SmbContext | None, response: SmbContext | None) -> dict[str, object]:
    details: dict[str, object] = {}
    req = request.message if request is not None else None
    resp = response.message if response is not None else None
    for message in (req, resp):
        if message is None:
            continue
        if message.dialects:
            details["dialects"] = list(message.dialects)
        if message.dialect is not None:
            details["dialect"] = (
                f"0x{message.dialect:04x}" if message.version == SMB2 else message.dialect
            )
        if message.security_mode is not None and message.response:
            required = 0x02 if message.version == SMB2 else 0x08  # SMB1: signatures required
            details["signing_required"] = bool(message.security_mode & required)
        if message.ntlm is not None and message.ntlm.user is not None:
            details.update(
                remote_access=True,
                auth_method="NTLM",
                username=message.ntlm.user,
                domain=message.ntlm.domain,
                workstation=message.ntlm.workstation,
                cleartext_credentials=False,
            )
        if message.path is not None:
            share = message.path.rsplit("\\", 1)[-1].upper()
            details.update(path=message.path, admin_share=share in ADMIN_SHARES)
        if message.filename is not None:
            details["filename"] = message.filename
    if request is not None and request.dialect is not None:
        details.setdefault("dialect", f"0x{request.dialect:04x}")
        details["encrypted"] = False
    return details


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
    req: SmbContext | None = request.message if request is not None else None
    resp: SmbContext | None = response.message if response is not None else None
    first = req or resp
    assert first is not None
    message = first.message
    status_code = resp.message.status if resp is not None else None
    status: TransactionStatus
    if status_code is not None and status_code >> 30 == 3 and status_code != MORE_PROCESSING:
        status = "exception"
    elif req is not None and resp is not None:
        status = "ok"
    else:
        status = "unanswered" if req is not None else "unknown"
    return Transaction(
        protocol="smb",
        client=client,
        server=server,
        function=message.command,
        function_name=command_name(message.version, message.command),
        operation=_operation(req.message) if req is not None else OperationClass.OTHER,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        sub_function=SMB1 if message.version == SMB1 else None,
        exception_code=status_code if status == "exception" else None,
        details=_details(req, resp),
        anomalies=merge_anomalies(req.message if req else None, resp.message if resp else None),
    )

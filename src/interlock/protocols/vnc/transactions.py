"""The RFB handshake as one SESSION transaction, reported on the segment that ends it
(ServerInit, or a failed SecurityResult): versions, security type (None = no
authentication at all), outcome, desktop name and size. VNC Authentication sends no
password in cleartext (DES challenge-response), but it is weak; the session is never
encrypted by RFB itself."""

from __future__ import annotations

from typing import Any

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.protocols.remote_access.common import SeenRequest, Step, never_a_request, step_key
from interlock.protocols.vnc.session import SECURITY_TYPES, VncInfo, VncSummary

pairing_key = step_key
is_request = never_a_request


def view(unit: Any, info: VncInfo | None) -> tuple[Step, SeenRequest] | None:
    if info is None or info.summary is None:
        return None
    summary = info.summary
    return Step(0, summary), SeenRequest(summary.first_frame, summary.first_ts, Step(0, summary))


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
    step = response or request
    assert step is not None
    summary: VncSummary = step.message
    status: TransactionStatus = "ok" if summary.auth_ok else "exception"
    security = summary.security_type
    details: dict[str, object] = {
        "remote_access": True,
        "client_version": summary.client_version,
        "server_version": summary.server_version,
        "security_type": security,
        "auth_method": SECURITY_TYPES.get(security, "unknown") if security is not None else None,
        "no_authentication": security == 1,
        "cleartext_credentials": False,
        "encrypted": security in (18, 19),
        "desktop_name": summary.desktop_name,
        "framebuffer": [summary.width, summary.height] if summary.width is not None else None,
    }
    if summary.auth_error is not None:
        details["auth_error"] = summary.auth_error
    return Transaction(
        protocol="vnc",
        client=client,
        server=server,
        function=security or 0,
        function_name="RFB handshake",
        operation=OperationClass.SESSION,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        details=details,
    )

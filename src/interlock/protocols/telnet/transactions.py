"""A Telnet login as a SESSION transaction, reported on the server text that follows the
password: banner, user name, outcome (heuristic), cleartext credentials (always: Telnet
has no encryption unless START_TLS/ENCRYPT is negotiated, which is not followed here)."""

from __future__ import annotations

from typing import Any

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.protocols.remote_access.common import SeenRequest, Step, never_a_request, step_key
from interlock.protocols.telnet.session import TelnetInfo, TelnetLogin

pairing_key = step_key
is_request = never_a_request


def view(unit: Any, info: TelnetInfo | None) -> tuple[Step, SeenRequest] | None:
    if info is None or info.login is None:
        return None
    login = info.login
    return Step(0, login), SeenRequest(login.first_frame, login.first_ts, Step(0, login))


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
    login: TelnetLogin = step.message
    status: TransactionStatus = "ok" if login.ok else "exception"
    return Transaction(
        protocol="telnet",
        client=client,
        server=server,
        function=0,
        function_name="login",
        operation=OperationClass.SESSION,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        details={
            "remote_access": True,
            "server_banner": login.banner,
            "username": login.username,
            "auth_method": "password",
            "cleartext_credentials": True,
            "encrypted": False,
            "outcome_text": login.outcome_text,
        },
    )

"""A TeamViewer or AnyDesk connection as one SESSION transaction (remote access), on the
unit by which both sides have spoken. Nothing inside is visible: details say which tool
and on what evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from interlock.model import Endpoint, OperationClass, Transaction
from interlock.protocols.remote_access.common import SeenRequest, Step, never_a_request, step_key
from interlock.protocols.teamviewer.session import FlowSeen

pairing_key = step_key
is_request = never_a_request


def view(unit: Any, seen: FlowSeen | None) -> tuple[Step, SeenRequest] | None:
    if seen is None or not seen.both_sides:
        return None
    return Step(0, seen), SeenRequest(seen.first_frame, seen.first_ts, Step(0, seen))


def builder(protocol: str, evidence: str) -> Callable[..., Transaction]:
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
        return Transaction(
            protocol=protocol,
            client=client,
            server=server,
            function=0,
            function_name="connection",
            operation=OperationClass.SESSION,
            status="ok",
            request_frame=request_frame,
            response_frame=response_frame,
            request_ts=request_ts,
            response_ts=response_ts,
            details={
                "remote_access": True,
                "software": protocol,
                "evidence": evidence,
                "encrypted": True,
                "cleartext_credentials": False,
            },
        )

    return build


build_teamviewer = builder("teamviewer", "port 5938 and payload magic 0x1724/0x1130")
build_anydesk = builder("anydesk", "port 7070/6568 (TLS)")

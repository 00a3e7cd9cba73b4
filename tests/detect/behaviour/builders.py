"""Transactions, flows and rules for the behavioural detectors' unit tests."""

from __future__ import annotations

from typing import Any

from detect.behaviour.replay import Plant
from interlock.detect.alert import Severity
from interlock.detect.behaviour import KINDS
from interlock.detect.hits import Detector, FlowSeen, PlantContext, RuleInfo
from interlock.model import Endpoint, OperationClass, Target, Transaction, TransactionStatus


def rule(severity: Severity = "medium", techniques: tuple[str, ...] = ("T0846",)) -> RuleInfo:
    return RuleInfo("behaviour.test.rule", "Test rule", severity, techniques)


def detector(
    kind: str,
    params: dict[str, Any] | None = None,
    context: PlantContext | None = None,
    severity: Severity = "medium",
) -> Detector:
    return KINDS[kind](rule(severity), dict(params or {}), context or Plant())


def endpoint(text: str) -> Endpoint:
    ip, _, port = text.rpartition(":")
    return Endpoint(ip, int(port))


def tx(
    protocol: str,
    function_name: str,
    client: str,
    server: str,
    ts: float,
    *,
    operation: str = "read",
    status: TransactionStatus = "ok",
    frame: int = 1,
    function: int = 0,
    targets: tuple[Target, ...] = (),
    values: tuple[int, ...] = (),
    details: dict[str, object] | None = None,
    anomalies: tuple[str, ...] = (),
    request: bool = True,
) -> Transaction:
    answered = status in ("ok", "exception")
    return Transaction(
        protocol=protocol,
        client=endpoint(client),
        server=endpoint(server),
        function=function,
        function_name=function_name,
        operation=OperationClass(operation),
        status=status,
        request_frame=frame if request else None,
        response_frame=frame + 1 if answered else None,
        request_ts=ts if request else None,
        response_ts=ts + 0.002 if answered else None,
        targets=targets,
        values=values,
        details=details or {},
        anomalies=anomalies,
    )


def flow(
    client: str,
    server: str,
    ts: float,
    *,
    transport: str = "tcp",
    protocol: str | None = None,
    packets: int = 2,
    frame: int = 1,
) -> FlowSeen:
    return FlowSeen(
        transport,
        endpoint(client),
        endpoint(server),
        protocol,
        ts,
        ts + 0.001,
        packets,
        packets * 60,
        frame,
    )

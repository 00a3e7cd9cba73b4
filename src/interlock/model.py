"""The engine's own model: what every protocol's transactions look like to the rest of
Interlock (inventory, detection, policy, the gateway).

Wireshark's field names and quirks are not here; they live in ``interlock.render``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, NamedTuple, Protocol


class OperationClass(StrEnum):
    """What a request does to the device, in the terms detection and policy reason in."""

    READ = "read"
    WRITE = "write"
    PROGRAM = "program"
    MODE_CHANGE = "mode_change"
    RESTART = "restart"
    DIAGNOSTIC = "diagnostic"
    DISCOVERY = "discovery"
    IDENTITY = "identity"
    SESSION = "session"
    OTHER = "other"


TransactionStatus = Literal["ok", "exception", "unanswered", "unsolicited", "unknown"]


class Endpoint(NamedTuple):
    ip: str
    port: int


class Target(NamedTuple):
    """Where a request acts: a device (unit) and a range in one of its address spaces."""

    unit: int
    space: str
    """Address space, named by the protocol (``holding_registers``, ``coils``, ...)."""
    start: int
    quantity: int


@dataclass(frozen=True, slots=True)
class Transaction:
    """A request with its paired response (either may be missing), classified."""

    protocol: str
    client: Endpoint
    server: Endpoint
    function: int
    function_name: str
    operation: OperationClass
    status: TransactionStatus
    request_frame: int | None
    response_frame: int | None
    request_ts: float | None
    response_ts: float | None
    targets: tuple[Target, ...] = ()
    values: tuple[int, ...] = ()
    sub_function: int | None = None
    exception_code: int | None = None
    details: dict[str, object] = field(default_factory=dict)
    anomalies: tuple[str, ...] = ()


class HasAnomalies(Protocol):
    @property
    def anomalies(self) -> tuple[str, ...]: ...


def merge_anomalies(*parts: HasAnomalies | None) -> tuple[str, ...]:
    """The anomaly codes of every part present, once each, in order."""
    return tuple(
        dict.fromkeys(code for part in parts if part is not None for code in part.anomalies)
    )

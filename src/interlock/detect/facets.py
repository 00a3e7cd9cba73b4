"""Requests carried inside another request, seen as transactions of their own by the rules.

A CIP Multiple Service Packet (service 0x0A) carries several services; its transaction
is classified by the weightiest of them and lists them in ``details["services"]``. Rules
are written against one service ("Reset on the Identity object"), so each carried
service is also offered to the rules filed under its own service code, as a transaction
with that service's code, name, operation and summary (``details["service"]``), and the
packet's endpoints, frames, times and status (CIP answers a Multiple Service Packet as a
whole; the per-service replies are not in the transaction).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Final

from interlock.model import OperationClass, Target, Transaction
from interlock.protocols.cip.services import (
    GET_ATTRIBUTE_LIST,
    GET_ATTRIBUTE_SINGLE,
    GET_ATTRIBUTES_ALL,
    IDENTITY,
    service_info,
)
from interlock.protocols.cip.vocabulary import class_name

_IDENTITY_READS = frozenset({GET_ATTRIBUTES_ALL, GET_ATTRIBUTE_LIST, GET_ATTRIBUTE_SINGLE})


def cip_services(tx: Transaction, wanted: Callable[[int], bool]) -> Iterator[Transaction]:
    """The services of a Multiple Service Packet that some rule may want."""
    services = tx.details.get("services")
    if not isinstance(services, list):
        return
    for service in services:
        code = service.get("service") if isinstance(service, dict) else None
        if not isinstance(code, int) or not wanted(code):
            continue
        cls = service.get("class")
        symbolic = bool(service.get("symbol"))
        operation = service_info(code, cls, symbolic).operation
        if cls == IDENTITY and code in _IDENTITY_READS:
            operation = OperationClass.IDENTITY
        instance = service.get("instance")
        targets = (
            (Target(0, class_name(cls), instance if isinstance(instance, int) else 0, 1),)
            if isinstance(cls, int)
            else ()
        )
        details = {k: v for k, v in tx.details.items() if k != "services"}
        details["service"] = service
        details["carried_in"] = "multiple_service_packet"
        yield dataclasses.replace(
            tx,
            function=code,
            function_name=str(service.get("name", f"service_{code:#04x}")),
            operation=operation,
            targets=targets,
            details=details,
        )


FACETS: Final[dict[str, Callable[[Transaction, Callable[[int], bool]], Iterator[Transaction]]]] = {
    "enip": cip_services,
}

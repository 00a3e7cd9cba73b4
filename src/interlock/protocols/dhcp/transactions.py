"""DHCP messages as the engine's transactions: identity evidence.

A client's message (Discover, Request, Inform, Release...) is emitted at once as its own
transaction (its answer, if any, comes on another flow); a server's reply (Offer, Ack,
Nak) is a transaction naming the latest request with its xid. Details carry the client
MAC, host name, vendor class, client id, fingerprint and the lease offered.
"""

from __future__ import annotations

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.protocols.dhcp.message import MESSAGE_TYPES, DhcpMessage
from interlock.protocols.dhcp.options import identity


def pairing_key(message: DhcpMessage) -> tuple[object, ...]:
    return ("dhcp", message.xid)


def is_request(message: DhcpMessage) -> bool:
    return False


def build(
    client: Endpoint,
    server: Endpoint,
    request: DhcpMessage | None,
    request_frame: int | None,
    request_ts: float | None,
    response: DhcpMessage | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    if request is None and response is not None and response.is_request:
        request, request_frame, request_ts = response, response_frame, response_ts
        response = response_frame = response_ts = None
    first = request or response
    assert first is not None
    details: dict[str, object] = {}
    if request is not None:
        details["request"] = identity(request)
    if response is not None:
        details["reply"] = identity(response)
    status: TransactionStatus = "unknown"
    if response is not None:
        status = "exception" if response.message_type == 6 else "ok"
    kind = first.message_type
    anomalies = tuple(
        dict.fromkeys(a for m in (request, response) if m is not None for a in m.anomalies)
    )
    return Transaction(
        protocol="dhcp",
        client=client,
        server=server,
        function=kind,
        function_name=MESSAGE_TYPES.get(kind, "bootp"),
        operation=OperationClass.IDENTITY,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        sub_function=first.op,
        details=details,
        anomalies=anomalies,
    )

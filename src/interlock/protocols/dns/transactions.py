"""DNS queries and responses as the engine's typed transactions.

DNS is name resolution: a query reads (operation READ); a dynamic update (RFC 2136)
writes; NOTIFY is OTHER. Details carry the question, the answers and the response code;
a response code other than NOERROR (NXDOMAIN, SERVFAIL, REFUSED...) is status exception.
"""

from __future__ import annotations

from interlock.model import (
    Endpoint,
    OperationClass,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.dns import rdata as rd
from interlock.protocols.dns.message import ANSWER, DnsMessage, ResourceRecord
from interlock.protocols.dns.session import pairing_key
from interlock.protocols.dns.types import OPCODE_NAMES, RCODE_NAMES, type_name

__all__ = ["build", "is_request", "pairing_key"]

_OPERATIONS = {
    0: OperationClass.READ,  # query
    1: OperationClass.READ,  # inverse query
    2: OperationClass.READ,  # server status
    4: OperationClass.OTHER,  # notify
    5: OperationClass.WRITE,  # dynamic update
    6: OperationClass.SESSION,  # DNS stateful operations
}


def is_request(message: DnsMessage) -> bool:
    """Queries and responses by the QR bit, whichever side sent them."""
    return not message.is_response


def data_text(value: rd.RData) -> str:
    """Record data as one line of presentation text."""
    if isinstance(value, rd.Address):
        return value.text
    if isinstance(value, rd.DomainName):
        return value.name
    if isinstance(value, rd.MailExchange):
        return f"{value.preference} {value.exchange}"
    if isinstance(value, rd.Service):
        return f"{value.priority} {value.weight} {value.port} {value.target}"
    if isinstance(value, rd.Texts):
        return " ".join(value.strings)
    if isinstance(value, rd.StartOfAuthority):
        return f"{value.mname} {value.rname} {value.serial}"
    if isinstance(value, rd.ServiceBinding):
        return f"{value.priority} {value.target}"
    if isinstance(value, rd.Edns):
        return f"udp_payload_size={value.udp_payload_size}"
    if isinstance(value, rd.TypeBitmap):
        return " ".join(type_name(t) for t in value.types)
    return f"<{value.length} bytes>"


def _answer(record: ResourceRecord) -> dict[str, object]:
    return {
        "name": record.name,
        "type": type_name(record.rtype),
        "ttl": record.ttl,
        "data": data_text(record.data),
    }


def _status(query: DnsMessage | None, response: DnsMessage | None) -> TransactionStatus:
    if response is not None and response.rcode:
        return "exception"
    if query is not None and response is not None:
        return "ok"
    return "unanswered" if query is not None else "unknown"


def build(
    client: Endpoint,
    server: Endpoint,
    request: DnsMessage | None,
    request_frame: int | None,
    request_ts: float | None,
    response: DnsMessage | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a query and/or its response."""
    first = request or response
    assert first is not None
    details: dict[str, object] = {}
    question = first.question
    if question is not None:
        details["query_name"] = question.name
        details["query_type"] = type_name(question.qtype)
    if response is not None:
        details["rcode"] = RCODE_NAMES.get(response.rcode, str(response.rcode))
        details["answers"] = [_answer(r) for r in response.records if r.section == ANSWER]
    opcode = first.opcode
    return Transaction(
        protocol="dns",
        client=client,
        server=server,
        function=opcode,
        function_name=OPCODE_NAMES.get(opcode, f"opcode_{opcode}"),
        operation=_OPERATIONS.get(opcode, OperationClass.OTHER),
        status=_status(request, response),
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        exception_code=response.rcode if response is not None and response.rcode else None,
        details=details,
        anomalies=merge_anomalies(request, response),
    )

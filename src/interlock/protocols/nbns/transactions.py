"""NBNS messages as the engine's transactions.

A name query for an NB record is DISCOVERY (who has this name?); a node status (NBSTAT)
query or response is IDENTITY (details["names"]: the node's names with suffix and group
flag, details["mac"]: its unit id); registrations, refreshes and releases are IDENTITY (a
host announcing its own name: details name, suffix, addresses). A response with a
non-zero rcode is status "exception".

As for DHCP, a broadcast request and its answer travel on different flows: a request is
emitted at once as its own transaction, and a response is a transaction naming the
latest request with the same transaction id and name (see session.py).
"""

from __future__ import annotations

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.protocols.identity.wire import mac_text
from interlock.protocols.nbns.message import OPCODES, T_NBSTAT, NbnsMessage, Record
from interlock.protocols.nbns.names import NetbiosName
from interlock.protocols.nbns.session import pairing_key

__all__ = ["build", "is_request", "pairing_key"]


def is_request(message: NbnsMessage) -> bool:
    return False


def _kind(message: NbnsMessage) -> int:
    first = message.questions[0].qtype if message.questions else -1
    if first < 0 and message.records:
        first = message.records[0].rtype
    return first


def _operation(message: NbnsMessage) -> OperationClass:
    if message.opcode == 0:
        return OperationClass.IDENTITY if _kind(message) == T_NBSTAT else OperationClass.DISCOVERY
    if message.opcode in OPCODES:
        return OperationClass.IDENTITY
    return OperationClass.OTHER


def _name(name: NetbiosName) -> dict[str, object]:
    out: dict[str, object] = {"name": name.name or name.text, "suffix": name.suffix}
    if name.scope:
        out["scope"] = name.scope
    return out


def _record(record: Record) -> dict[str, object]:
    out = _name(record.name)
    out["ttl"] = record.ttl
    if record.entries:
        out["addresses"] = [a for _, a in record.entries if a]
        out["group"] = bool(record.entries[0][0] & 0x8000)
    if record.node_names:
        out["names"] = [
            {"name": n.name, "suffix": n.suffix, "group": n.flags >= 0 and bool(n.flags & 0x8000)}
            for n in record.node_names
        ]
    if record.unit_id is not None:
        out["mac"] = mac_text(record.unit_id)
    return out


def message_details(message: NbnsMessage) -> dict[str, object]:
    out: dict[str, object] = {"id": message.id, "opcode": OPCODES.get(message.opcode, "unknown")}
    if message.questions:
        out.update(_name(message.questions[0].name))
    records = [_record(r) for r in message.records]
    if records:
        out["records"] = records
    for record in records:
        if "mac" in record:
            out["mac"] = record["mac"]
            out["names"] = record.get("names", [])
    return out


def build(
    client: Endpoint,
    server: Endpoint,
    request: NbnsMessage | None,
    request_frame: int | None,
    request_ts: float | None,
    response: NbnsMessage | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    if request is None and response is not None and not response.is_response:
        request, request_frame, request_ts = response, response_frame, response_ts
        response = response_frame = response_ts = None
    first = request or response
    assert first is not None
    details: dict[str, object] = {}
    if request is not None:
        details["request"] = message_details(request)
    if response is not None:
        details["response"] = message_details(response)
        details["rcode"] = response.rcode
    status: TransactionStatus = "unknown"
    if response is not None:
        status = "exception" if response.rcode else "ok"
    opcode = first.opcode
    return Transaction(
        protocol="nbns",
        client=client,
        server=server,
        function=opcode,
        function_name=OPCODES.get(opcode, f"opcode_{opcode}"),
        operation=_operation(first),
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        sub_function=_kind(first),
        exception_code=response.rcode if response is not None and response.rcode else None,
        details=details,
        anomalies=tuple(
            dict.fromkeys(a for m in (request, response) if m is not None for a in m.anomalies)
        ),
    )

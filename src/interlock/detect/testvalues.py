"""Transactions and flows written in rule tests, read into the engine's own values.

A transaction is a mapping of ``Transaction`` fields. ``protocol`` and ``function`` are
required; the rest default to what a plain answered request has:

    client / server      "ip:port" ("[v6]:port" for IPv6); 10.0.0.1:49152 -> 10.0.0.2:502
    function_name ""  operation other  status ok
    request_frame / response_frame    2n+1 / 2n+2 for the n-th transaction (0-based);
                                      no response when status is unanswered, no
                                      request when it is unsolicited
    request_ts / response_ts          1700000000 + n / + 0.01
    targets  [[unit, space, start, quantity], ...]    values, anomalies: lists
    sub_function, exception_code      details: a mapping

A flow is a mapping of ``FlowSeen`` fields: client and server ("ip:port") are required;
transport defaults to tcp, protocol to none, times to 1700000000, packets to 1, octets
to 60, first_frame to 1.
"""

from __future__ import annotations

from typing import Any, Final

import yaml

from interlock.detect.hits import FlowSeen
from interlock.detect.nodes import RuleReader
from interlock.model import Endpoint, OperationClass, Target, Transaction
from interlock.zones.nodes import NULL

BASE_TS: Final = 1_700_000_000.0
TX_KEYS: Final = (
    ("protocol", "function"),
    (
        "client",
        "server",
        "function_name",
        "operation",
        "status",
        "request_frame",
        "response_frame",
        "request_ts",
        "response_ts",
        "targets",
        "values",
        "sub_function",
        "exception_code",
        "details",
        "anomalies",
    ),
)
FLOW_KEYS: Final = (
    ("client", "server"),
    ("transport", "protocol", "first_seen", "last_seen", "packets", "octets", "first_frame"),
)
NULLABLE: Final = (
    "request_frame", "response_frame", "request_ts", "response_ts", "sub_function",
    "exception_code",
)  # fmt: skip
STATUSES: Final = ("ok", "exception", "unanswered", "unsolicited", "unknown")


def endpoint(reader: RuleReader, node: yaml.Node, what: str) -> Endpoint | None:
    text = reader.string(node, what)
    if text is None:
        return None
    host, sep, port = text.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        reader.error(node, f"{what} is written ip:port (such as 10.0.0.5:502), not {text!r}")
        return None
    return Endpoint(host, int(port))


def parse_transaction(reader: RuleReader, node: yaml.Node, n: int) -> Transaction | None:
    fields = reader.mapping(node, "a transaction", *TX_KEYS)
    if fields is None:
        return None
    before = len(reader.errors)
    value = _values(reader, fields)
    client = endpoint(reader, fields["client"], "client") if "client" in fields else None
    server = endpoint(reader, fields["server"], "server") if "server" in fields else None
    status = value.get("status", "ok")
    if status not in STATUSES:
        reader.error(fields["status"], f"unknown status `{status}`")
    operation = value.get("operation", "other")
    if operation not in {op.value for op in OperationClass}:
        reader.error(fields["operation"], f"unknown operation `{operation}`")
    targets = _targets(reader, fields.get("targets"))
    if len(reader.errors) > before:
        return None
    has_request = status != "unsolicited"
    has_response = status != "unanswered"
    request_ts = value.get("request_ts", BASE_TS + n) if has_request else value.get("request_ts")
    response_ts = value.get("response_ts", (request_ts or BASE_TS + n) + 0.01)
    request_frame = value.get("request_frame", 2 * n + 1 if has_request else None)
    response_frame = value.get("response_frame", 2 * n + 2 if has_response else None)
    return Transaction(
        protocol=str(value["protocol"]),
        client=client or Endpoint("10.0.0.1", 49152),
        server=server or Endpoint("10.0.0.2", 502),
        function=int(value["function"]),
        function_name=str(value.get("function_name", "")),
        operation=OperationClass(operation),
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts if has_response else value.get("response_ts"),
        targets=targets,
        values=tuple(value.get("values", ())),
        sub_function=value.get("sub_function"),
        exception_code=value.get("exception_code"),
        details=dict(value.get("details", {})),
        anomalies=tuple(value.get("anomalies", ())),
    )


def _values(reader: RuleReader, fields: dict[str, yaml.Node]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, node in fields.items():
        if key in ("client", "server", "targets"):
            continue
        if key in NULLABLE and isinstance(node, yaml.ScalarNode) and node.tag == NULL:
            out[key] = None
            continue
        if key in ("function", "sub_function", "exception_code", "request_frame", "response_frame"):
            number = reader.int_value(node, key)
            if number is not None:
                out[key] = number
        elif key in ("request_ts", "response_ts"):
            ts = reader.number(node, key, 0.0)
            if ts is not None:
                out[key] = ts
        elif key in ("details",):
            found = reader.plain(node)
            if not isinstance(found, dict):
                reader.error(node, "details must be a mapping")
            else:
                out[key] = found
        elif key in ("values", "anomalies"):
            found = reader.plain(node)
            if not isinstance(found, list):
                reader.error(node, f"{key} must be a list")
            else:
                out[key] = found
        else:
            text = reader.string(node, key)
            if text is not None:
                out[key] = text
    return out


def _targets(reader: RuleReader, node: yaml.Node | None) -> tuple[Target, ...]:
    if node is None:
        return ()
    found = reader.plain(node)
    targets: list[Target] = []
    for item in found if isinstance(found, list) else [None]:
        if (
            isinstance(item, list)
            and len(item) == 4
            and isinstance(item[1], str)
            and all(isinstance(v, int) for v in (item[0], item[2], item[3]))
        ):
            targets.append(Target(item[0], item[1], item[2], item[3]))
        else:
            reader.error(node, "targets are a list of [unit, space, start, quantity]")
            return ()
    return tuple(targets)


def parse_flow(reader: RuleReader, node: yaml.Node, n: int) -> FlowSeen | None:
    fields = reader.mapping(node, "a flow", *FLOW_KEYS)
    if fields is None or "client" not in fields or "server" not in fields:
        return None
    before = len(reader.errors)
    client = endpoint(reader, fields["client"], "client")
    server = endpoint(reader, fields["server"], "server")
    plain = {k: reader.plain(v) for k, v in fields.items() if k not in ("client", "server")}
    first = float(plain.get("first_seen", BASE_TS + n))
    if len(reader.errors) > before or client is None or server is None:
        return None
    return FlowSeen(
        transport=str(plain.get("transport", "tcp")),
        client=client,
        server=server,
        protocol=plain.get("protocol"),
        first_seen=first,
        last_seen=float(plain.get("last_seen", first)),
        packets=int(plain.get("packets", 1)),
        octets=int(plain.get("octets", 60)),
        first_frame=int(plain.get("first_frame", n + 1)),
    )

"""`interlock dissect --transactions`: the engine's transactions as JSON lines.

Shape (documented in docs/dissect.md, pinned by tests/render/test_transactions_shape.py):
one object per transaction with protocol, client and server ({ip, port}), function,
function_name, operation, status, request_frame, response_frame, request_ts,
response_ts, targets ([{unit, space, start, quantity}]), values, sub_function,
exception_code, details and anomalies.
"""

from __future__ import annotations

from typing import Any

from interlock.model import Transaction


def transaction_record(tx: Transaction) -> dict[str, Any]:
    return {
        "protocol": tx.protocol,
        "client": {"ip": tx.client.ip, "port": tx.client.port},
        "server": {"ip": tx.server.ip, "port": tx.server.port},
        "function": tx.function,
        "function_name": tx.function_name,
        "operation": tx.operation.value,
        "status": tx.status,
        "request_frame": tx.request_frame,
        "response_frame": tx.response_frame,
        "request_ts": tx.request_ts,
        "response_ts": tx.response_ts,
        "targets": [
            {"unit": t.unit, "space": t.space, "start": t.start, "quantity": t.quantity}
            for t in tx.targets
        ],
        "values": list(tx.values),
        "sub_function": tx.sub_function,
        "exception_code": tx.exception_code,
        "details": {str(k): _plain(v) for k, v in tx.details.items()},
        "anomalies": list(tx.anomalies),
    }


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value

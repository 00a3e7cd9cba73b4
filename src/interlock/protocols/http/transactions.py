"""HTTP exchanges as the engine's typed transactions.

GET, HEAD, OPTIONS, TRACE and the WebDAV reads are READ; POST, PUT, PATCH, DELETE and
the WebDAV writes are WRITE; CONNECT opens a tunnel (SESSION). A response status of 400
or more is status exception, its code the exception code. Interim 1xx responses are
not transactions. Details carry host, target URI, user agent, server, status and
content types and sizes; never a body, a cookie or a credential.
"""

from __future__ import annotations

from typing import Any, Final

from interlock.model import (
    Endpoint,
    OperationClass,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.http.session import Numbered, Observation, SeenRequest

__all__ = ["build", "is_request", "pairing_key", "view"]

_READ = OperationClass.READ
_WRITE = OperationClass.WRITE
METHODS: Final[dict[str, tuple[int, OperationClass]]] = {
    "GET": (1, _READ), "HEAD": (2, _READ), "POST": (3, _WRITE), "PUT": (4, _WRITE),
    "DELETE": (5, _WRITE), "CONNECT": (6, OperationClass.SESSION), "OPTIONS": (7, _READ),
    "TRACE": (8, OperationClass.DIAGNOSTIC), "PATCH": (9, _WRITE), "PROPFIND": (10, _READ),
    "PROPPATCH": (11, _WRITE), "MKCOL": (12, _WRITE), "COPY": (13, _WRITE),
    "MOVE": (14, _WRITE), "LOCK": (15, _WRITE), "UNLOCK": (16, _WRITE),
    "SEARCH": (17, _READ), "REPORT": (18, _READ), "M-SEARCH": (19, OperationClass.DISCOVERY),
}  # fmt: skip
"""Method: (function number used in transactions, operation class)."""


def view(message: Any, observed: Observation) -> tuple[Numbered, SeenRequest | None] | None:
    """The message numbered by its exchange, and the request a response answers; None
    for an interim 1xx response, or a unit that is not an HTTP message."""
    if message.is_interim or message.anomalies[:1] == ("http.bad_start_line",):
        return None
    return Numbered(observed.exchange, message), observed.request


def pairing_key(numbered: Numbered) -> int:
    """A request and its response share the exchange number on their connection."""
    return numbered.exchange


def is_request(numbered: Numbered) -> bool:
    return numbered.message.is_request


def _status(request: Numbered | None, response: Numbered | None) -> TransactionStatus:
    if response is not None and response.message.start.status >= 400:
        return "exception"
    if request is not None and response is not None:
        return "ok"
    return "unanswered" if request is not None else "unknown"


def build(
    client: Endpoint,
    server: Endpoint,
    request: Numbered | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Numbered | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a request and/or its response."""
    req = request.message if request is not None else None
    resp = response.message if response is not None else None
    details: dict[str, object] = {}
    method = ""
    if req is not None:
        method = req.start.method
        h = req.headers
        details.update(method=method, uri=req.start.uri, version=req.start.version)
        _put(details, "host", h.host)
        _put(details, "user_agent", h.user_agent)
        _put(details, "request_content_type", h.content_type)
        if req.body_length or req.framing != "none":
            details["request_body_length"] = req.body_length
        _put(details, "authorization_scheme", h.authorization_scheme)
        _put(details, "upgrade", h.upgrade)
    status_code = -1
    if resp is not None:
        h = resp.headers
        status_code = resp.start.status
        details.update(status=status_code, phrase=resp.start.phrase)
        _put(details, "server", h.server)
        _put(details, "content_type", h.content_type)
        details["response_body_length"] = resp.body_length
        if resp.body_skipped:
            details["response_body_skipped"] = True
        if h.set_cookies:
            details["set_cookie"] = True
        _put(details, "location", h.location)
    function, operation = METHODS.get(method, (0, OperationClass.OTHER))
    return Transaction(
        protocol="http",
        client=client,
        server=server,
        function=function,
        function_name=method or "unknown",
        operation=operation,
        status=_status(request, response),
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        exception_code=status_code if status_code >= 400 else None,
        details=details,
        anomalies=merge_anomalies(req, resp),
    )


def _put(details: dict[str, object], key: str, value: str) -> None:
    if value:
        details[key] = value

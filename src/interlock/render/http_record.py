"""HTTP/1.x messages as Wireshark 4.0 shows them (packet-http.c), for `interlock dissect`.

One record per request or response, on the frame that completes it (body included, as
Wireshark desegments bodies by default). Wireshark's ways reproduced here only: every occurrence of a
header is shown, verbatim but for leading white space; http.content_length is the Content-Length
header's value; http.request.full_uri is built from Host and the target; a response
carries http.request_in and http.response_for.uri of the request it answers.

Never shown, unlike Wireshark: Authorization and Proxy-Authorization values (only their
scheme, as http.authorization_scheme, a field of Interlock's own), cookies and bodies.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.http.message import HttpMessage
from interlock.protocols.http.session import Observation

_SHOWN = {
    "host": "http.host",
    "user-agent": "http.user_agent",
    "server": "http.server",
    "content-type": "http.content_type",
    "transfer-encoding": "http.transfer_encoding",
    "connection": "http.connection",
    "upgrade": "http.upgrade",
    "location": "http.location",
}


def full_uri(message: HttpMessage) -> str:
    """The request's target as an absolute URI (Wireshark's http.request.full_uri)."""
    uri = message.start.uri
    if not uri.startswith("/") or not message.headers.host:
        return uri  # already absolute (a proxy request), or an authority (CONNECT), or "*"
    return f"http://{message.headers.host}{uri}"


def http_record(
    message: HttpMessage, role: int, observed: Observation | None
) -> tuple[None, dict[str, Any], tuple[str, ...]]:
    """Fields and anomalies of one HTTP message."""
    f: dict[str, Any] = {}
    start = message.start
    if message.anomalies[:1] == ("http.bad_start_line",):
        return None, f, message.anomalies
    h = message.headers
    if start.is_request:
        f["http.request"] = 1
        f["http.request.method"] = start.method
        f["http.request.uri"] = start.uri
        f["http.request.version"] = start.version
    else:
        f["http.response"] = 1
        f["http.response.version"] = start.version
        if start.status >= 0:
            f["http.response.code"] = start.status
        f["http.response.phrase"] = start.phrase
    for key, value in (
        ("http.host", h.host),
        ("http.user_agent", h.user_agent),
        ("http.server", h.server),
        ("http.content_type", h.content_type),
        ("http.transfer_encoding", h.transfer_encoding),
        ("http.connection", h.connection),
        ("http.upgrade", h.upgrade),
        ("http.location", h.location),
        ("http.authorization_scheme", h.authorization_scheme),
    ):
        if value:
            f[key] = value
    for name, value in h.repeated:  # Wireshark shows every occurrence of a header
        shown = _SHOWN.get(name)
        if shown is not None and shown in f:
            f[shown] = [*f[shown], value] if isinstance(f[shown], list) else [f[shown], value]
    if h.content_length >= 0:
        f["http.content_length"] = h.content_length
    if start.is_request and h.host:
        f["http.request.full_uri"] = full_uri(message)
    request = observed.request if observed is not None else None
    if not start.is_request and request is not None:
        f["http.request_in"] = request.frame
        f["http.response_for.uri"] = full_uri(request.adu.message)
    return None, f, message.anomalies

"""The HTTP renderer on hand-written messages."""

from __future__ import annotations

from interlock.protocols.http.message import parse_message
from interlock.protocols.http.session import HttpSession
from interlock.render.http_record import http_record
from protocols.http.test_message import GET, NOT_FOUND


def test_request_and_paired_response() -> None:
    session = HttpSession()
    get = parse_message(GET, 0, len(GET))
    _, fields, _ = http_record(get, 1, session.observe(get, True, 4, 0.0))
    assert fields["http.request.method"] == "GET" and fields["http.host"] == "plc"
    assert fields["http.request.full_uri"] == "http://plc/index.html"
    reply = parse_message(NOT_FOUND, 0, len(NOT_FOUND))
    _, fields, _ = http_record(reply, 0, session.observe(reply, False, 6, 0.1))
    assert fields["http.response.code"] == 404 and fields["http.request_in"] == 4
    assert fields["http.content_type"] == "text/plain" and fields["http.content_length"] == 3


def test_repeated_headers_are_lists() -> None:
    raw = b"GET / HTTP/1.0\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n"
    _, fields, _ = http_record(parse_message(raw, 0, len(raw)), 1, None)
    assert fields["http.connection"] == ["close", "keep-alive"]

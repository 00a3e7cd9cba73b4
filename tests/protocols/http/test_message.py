"""HTTP/1.x parsing on hand-written bytes: start lines, headers, body framing (length,
chunked, until close, skipped), anomalies, the probe, pairing and transactions."""

from __future__ import annotations

from interlock.model import Endpoint, OperationClass
from interlock.protocols.http.framing import MAX_BODY, starts_unit, unit_length
from interlock.protocols.http.message import parse_message
from interlock.protocols.http.session import HttpSession, Observation
from interlock.protocols.http.startline import is_strict_start
from interlock.protocols.http.transactions import build, view
from interlock.render.http_record import http_record

GET = b"GET /index.html HTTP/1.1\r\nHost: plc\r\nUser-Agent: probe/1\r\n\r\n"
POST = (
    b"POST /api HTTP/1.1\r\nHost: plc\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
)
CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer: x\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: 1\r\n\r\n"
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nnope"[
    :-1
]


def test_request_fields() -> None:
    m = parse_message(GET, 0, len(GET))
    assert (m.start.method, m.start.uri, m.start.version) == ("GET", "/index.html", "HTTP/1.1")
    assert (m.headers.host, m.headers.user_agent, m.framing, m.anomalies) == (
        "plc",
        "probe/1",
        "none",
        (),
    )


def test_content_length_body_is_one_unit() -> None:
    assert unit_length(POST, 0) == len(POST)
    assert unit_length(POST[:-2], 0) == len(POST)  # the engine waits for the rest
    m = parse_message(POST, 0, len(POST))
    assert (m.framing, m.body_length, m.body_skipped) == ("length", 5, False)


def test_chunked_body() -> None:
    assert unit_length(CHUNKED, 0) == len(CHUNKED)
    assert unit_length(CHUNKED[:-4], 0) == 0
    m = parse_message(CHUNKED, 0, len(CHUNKED))
    assert (m.start.status, m.framing, m.body_length, m.headers.server) == (200, "chunked", 8, "x")


def test_pipelined_messages_frame_one_by_one() -> None:
    both = GET + POST
    assert unit_length(both, 0) == len(GET)
    assert unit_length(both, len(GET)) == len(POST)


def test_large_body_is_skipped_not_buffered() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY + 1)
    assert unit_length(head + b"xx", 0) == len(head)
    m = parse_message(head, 0, len(head))
    assert m.body_skipped and m.framing == "length"
    assert unit_length(head + b"xx", len(head)) == -1  # body bytes start no message


def test_response_until_close_is_reported_with_its_header() -> None:
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n"
    assert unit_length(head + b"<html>", 0) == len(head)
    assert parse_message(head, 0, len(head)).framing == "close"


def test_head_response_followed_by_next_response() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 75\r\n\r\n"
    assert unit_length(head + NOT_FOUND, 0) == len(head)


def test_leading_blank_lines_and_partial_start() -> None:
    assert unit_length(b"\r\n" + GET, 0) == len(GET) + 2
    assert starts_unit(b"GE", 0, 2) and unit_length(b"GE", 0) == 0
    assert not starts_unit(b"\x16\x03\x01\x02\x00", 0, 5)
    assert unit_length(b"binary body", 0) == -1


def test_anomalies() -> None:
    def anomalies(raw: bytes) -> tuple[str, ...]:
        return parse_message(raw, 0, len(raw)).anomalies

    assert "http.bad_start_line" in anomalies(b"GET /\r\n\r\n")
    assert "http.bad_status_code" in anomalies(b"HTTP/1.1 2x0 OK\r\n\r\n")
    assert "http.truncated" in anomalies(b"GET / HTTP/1.1\r\nHost: a\r\n")
    assert "http.bad_header_line" in anomalies(b"GET / HTTP/1.1\r\nnocolon\r\n\r\n")
    assert "http.bad_content_length" in anomalies(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n")
    assert "http.conflicting_content_length" in anomalies(
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"
    )
    assert "http.te_and_length" in anomalies(
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    )
    assert "http.bad_chunk" in anomalies(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
    )
    many = b"GET / HTTP/1.1\r\n" + b"X-A: 1\r\n" * 300 + b"\r\n"
    assert "http.too_many_headers" in anomalies(many)
    huge = b"GET / HTTP/1.1\r\nX: " + b"a" * (70 * 1024)
    assert "http.header_too_long" in anomalies(huge)


def test_basic_credentials_are_flagged_never_kept() -> None:
    raw = b"GET /admin HTTP/1.1\r\nAuthorization: Basic YWRtaW46cGFzc3dvcmQ=\r\n\r\n"
    m = parse_message(raw, 0, len(raw))
    assert m.anomalies == ("http.cleartext_credentials",)
    assert m.headers.authorization_scheme == "Basic"
    _, fields, _ = http_record(m, 1, None)
    assert "YWRtaW46cGFzc3dvcmQ=" not in repr((m, fields))


def test_probe_is_strict() -> None:
    assert is_strict_start(GET, 0, len(GET)) and is_strict_start(NOT_FOUND, 0, len(NOT_FOUND))
    for other in (
        b"GET /\r\n",
        b"HELLO world HTTP/1.1\r\n",
        bytes.fromhex("160301020001000200030000"),
        bytes.fromhex("000100000006010300000001"),
        b"\x00\x1d\xa6\x41\x00\x00\x00\x01\x00\x00\x00\x00",
        bytes(range(64)),
    ):
        assert not is_strict_start(other, 0, len(other))


def test_session_pairs_in_order_and_transactions() -> None:
    session = HttpSession()
    get, post = parse_message(GET, 0, len(GET)), parse_message(POST, 0, len(POST))
    ok = parse_message(CHUNKED, 0, len(CHUNKED))
    missing = parse_message(NOT_FOUND, 0, len(NOT_FOUND))
    cont = parse_message(b"HTTP/1.1 100 Continue\r\n\r\n", 0, 25)
    session.observe(get, True, 1, 0.0)
    session.observe(post, True, 1, 0.0)
    first = session.observe(ok, False, 2, 0.1)
    assert session.observe(cont, False, 3, 0.2).exchange == 1  # interim: still exchange 1
    second = session.observe(missing, False, 3, 0.2)
    assert (first.exchange, second.exchange) == (0, 1)
    assert second.request is not None and second.request.adu.message == post
    assert view(cont, Observation(1, None)) is None
    client, server = Endpoint("10.0.0.1", 50000), Endpoint("10.0.0.80", 80)
    viewed = view(missing, second)
    assert viewed is not None and viewed[1] is not None
    t = build(client, server, viewed[1].adu, 1, 0.0, viewed[0], 3, 0.2)
    assert (t.operation, t.status, t.exception_code, t.function_name) == (
        OperationClass.WRITE,
        "exception",
        404,
        "POST",
    )
    assert t.details["host"] == "plc" and t.details["status"] == 404

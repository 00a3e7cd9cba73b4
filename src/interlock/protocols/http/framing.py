"""Where HTTP/1.x messages begin and end in a TCP stream, for the engine's reassembly.

A message is reported on the frame that completes it, body included, as Wireshark does
by default, while its body is at most MAX_BODY bytes. The engine's framing is stateless
(unit_length sees the bytes, not the flow), so the bounds work like this:
- a Content-Length body larger than MAX_BODY is not buffered: the unit is the header
  section alone (reported on its frame, the message flagged body_skipped) and the body's
  segments are then skipped because they do not start a message;
- a chunked body is buffered while incomplete up to MAX_BODY bytes, then handled the
  same way; a response delimited by the connection's close (no length, not chunked) is
  reported with its header section alone (the engine has no end-of-stream hook);
- a response to HEAD announces a length but has no body; the request is not visible
  here, so a response whose expected body starts with another status line is taken for
  one without a body (reported when the next response arrives).
"""

from __future__ import annotations

from typing import Final

from interlock.protocols.http import chunked
from interlock.protocols.http.headers import (
    CHUNKED,
    LENGTH,
    MAX_HEADER,
    body_framing,
    header_end,
    read_headers,
)
from interlock.protocols.http.startline import is_strict_start, may_start, parse_start_line

MAX_BODY: Final = 1 << 20
"""Largest body reassembled (and so buffered) so that its message is reported whole."""
MAX_UNIT: Final = MAX_HEADER + MAX_BODY + 128 * 1024
"""The engine's per-flow buffer cap: a header, a body and a (large) segment beyond it."""
_STATUS_LINE: Final = b"HTTP/1."


def skip_blank_lines(buf: bytes, pos: int, end: int) -> int:
    """Past any CR and LF bytes before a message (RFC 9112 section 2.2 allows them)."""
    while pos < end and buf[pos] in (0x0D, 0x0A):
        pos += 1
    return pos


def unit_length(buf: bytes, pos: int) -> int:
    """The message at pos: its length with leading blank lines; 0 while incomplete; -1
    when the bytes there cannot start one (the engine then drops them)."""
    available = len(buf)
    p = skip_blank_lines(buf, pos, available)
    if p == available:
        return 0
    if not may_start(buf, p, available):
        return -1
    head_end = header_end(buf, p, min(available, p + MAX_HEADER))
    if head_end < 0:
        # A header section past the cap is one unit, cut (http.header_too_long).
        return available - pos if available - p >= MAX_HEADER else 0
    eol = buf.find(b"\n", p, head_end)
    start = parse_start_line(bytes(buf[p:eol]).rstrip(b"\r"))
    if start is None:
        return head_end - pos  # not a valid start line: the header alone, flagged
    framing, length = body_framing(start, read_headers(bytes(buf[eol + 1 : head_end])))
    if framing == LENGTH:
        if length > MAX_BODY or _looks_bodiless(buf, start.is_request, head_end):
            return head_end - pos
        return head_end + length - pos
    if framing == CHUNKED:
        walked = chunked.walk(buf, head_end, available)
        if walked.end >= 0:
            return walked.end - pos
        waiting = walked.end == chunked.INCOMPLETE and available - head_end <= MAX_BODY
        if waiting and not _looks_bodiless(buf, start.is_request, head_end):
            return 0
    return head_end - pos


def _looks_bodiless(buf: bytes, is_request: bool, body: int) -> bool:
    """A response whose body would begin with a status line: the answer to a HEAD."""
    return not is_request and buf[body : body + len(_STATUS_LINE)] == _STATUS_LINE


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Whether a segment can begin a message (blank lines, then a method or HTTP/1.)."""
    p = skip_blank_lines(buf, pos, end)
    return p < end and may_start(buf, p, end)


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Strict test for HTTP on a port that is not HTTP's: a whole, well-formed first line
    (known method, target, HTTP/1.0 or 1.1; or HTTP/1.x, a status code and a space)."""
    return is_strict_start(buf, pos, end)

"""HTTP/1.x start lines (RFC 9112 section 3 and 4): "METHOD SP target SP HTTP/1.x" and
"HTTP/1.x SP code SP phrase", and the tests that tell whether bytes begin one.

Pure: bytes in, values out; nothing here raises on malformed input.
"""

from __future__ import annotations

from typing import Final, NamedTuple

METHODS: Final = frozenset(
    {
        b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"CONNECT", b"OPTIONS", b"TRACE",
        b"PATCH",
        # WebDAV (RFC 4918, 3253, 5323) and the UPnP/GENA verbs Wireshark also knows
        b"PROPFIND", b"PROPPATCH", b"MKCOL", b"COPY", b"MOVE", b"LOCK", b"UNLOCK",
        b"SEARCH", b"REPORT", b"CHECKOUT", b"CHECKIN", b"MERGE", b"MKACTIVITY",
        b"VERSION-CONTROL", b"BASELINE-CONTROL", b"UNCHECKOUT", b"MKWORKSPACE", b"LABEL",
        b"UPDATE", b"ORDERPATCH", b"ACL", b"BIND", b"UNBIND", b"REBIND", b"M-SEARCH",
        b"NOTIFY", b"SUBSCRIBE", b"UNSUBSCRIBE", b"POLL", b"BMOVE", b"BCOPY", b"BDELETE",
        b"BPROPFIND", b"BPROPPATCH",
    }
)  # fmt: skip
LONGEST_METHOD: Final = max(len(m) for m in METHODS)
_PREFIXES: Final = frozenset(m[:n] for m in (*METHODS, b"HTTP/1.") for n in range(1, len(m) + 1))
MAX_LINE: Final = 8192
"""Longest start line the probe looks at (URIs can be long; Wireshark has no limit)."""


class StartLine(NamedTuple):
    is_request: bool
    method: str
    uri: str
    version: str
    """"HTTP/1.1" as written (the request's last token, the response's first)."""
    status: int
    """The response's status code; -1 for a request (or an unreadable code)."""
    phrase: str


def text(raw: bytes) -> str:
    """Header text as Wireshark shows it: ASCII, other bytes replaced."""
    return raw.decode("ascii", "replace")


def may_start(buf: bytes, pos: int, end: int) -> bool:
    """Whether buf[pos:end] begins a request or status line, or could once more bytes
    arrive (a method token with its space, or "HTTP/1.")."""
    head = bytes(buf[pos : min(end, pos + LONGEST_METHOD + 1)])
    space = head.find(b" ")
    if space > 0:
        return head[:space] in METHODS or head.startswith(b"HTTP/1.")
    if head.startswith(b"HTTP/1."):
        return True
    return head in _PREFIXES


def parse_start_line(line: bytes) -> StartLine | None:
    """The start line (without its line ending), or None when it is neither form."""
    first, sep, rest = line.partition(b" ")
    if not sep:
        return None
    if first.startswith(b"HTTP/1.") and len(first) == 8:
        code_raw, _, phrase = rest.partition(b" ")
        status = int(code_raw) if len(code_raw) == 3 and code_raw.isdigit() else -1
        return StartLine(False, "", "", text(first), status, text(phrase))
    if first not in METHODS:
        return None
    uri, sep, version = rest.rpartition(b" ")
    if not sep or not version.startswith(b"HTTP/"):
        return None
    return StartLine(True, text(first), text(uri), text(version), -1, "")


def is_strict_start(buf: bytes, pos: int, end: int) -> bool:
    """The probe's test: a whole first line, either a known method, one space, a
    target without spaces, one space and HTTP/1.0 or 1.1, or HTTP/1.x, a 3-digit code and
    a space."""
    window = bytes(buf[pos : min(end, pos + MAX_LINE)])
    eol = window.find(b"\r\n")
    if eol < 0:
        return False
    line = window[:eol]
    if line.startswith(b"HTTP/1."):
        return (
            len(line) >= 13
            and line[7:8] in (b"0", b"1")
            and line[8:9] == b" "
            and line[9:12].isdigit()
            and line[9:10] in b"12345"
            and line[12:13] == b" "
        )
    parts = line.split(b" ")
    return (
        len(parts) == 3
        and parts[0] in METHODS
        and len(parts[1]) > 0
        and all(0x21 <= c < 0x7F for c in parts[1])
        and parts[2] in (b"HTTP/1.0", b"HTTP/1.1")
    )

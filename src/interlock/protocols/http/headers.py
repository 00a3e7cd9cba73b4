"""The header section of an HTTP/1.x message (RFC 9112 section 5): name/value lines up to
an empty line, and what the body's length follows from (section 6.3).

Pure. Only the headers Interlock uses are kept; credentials never are (an Authorization
header yields its scheme only).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.http.startline import StartLine, text

MAX_HEADER: Final = 64 * 1024
"""Largest header section reassembled; a longer one is reported cut (http.header_too_long)."""
MAX_HEADERS: Final = 256
"""Header lines read per message; more are counted, not read (http.too_many_headers)."""

_SECRET: Final = frozenset({b"authorization", b"proxy-authorization", b"cookie", b"set-cookie"})
NONE: Final = "none"
LENGTH: Final = "length"
CHUNKED: Final = "chunked"
UNTIL_CLOSE: Final = "close"


def header_end(buf: bytes, pos: int, limit: int) -> int:
    """Where the header section starting at pos ends (after its empty line), or -1 when
    no empty line comes before limit. Bare LF line endings are accepted, as Wireshark
    and most servers do."""
    crlf = buf.find(b"\n\r\n", pos, limit)
    lf = buf.find(b"\n\n", pos, limit if crlf < 0 else crlf + 2)
    if lf >= 0 and (crlf < 0 or lf < crlf):
        return lf + 2
    return crlf + 3 if crlf >= 0 else -1


class HeaderFields(NamedTuple):
    """The headers Interlock reads, as text ("" when absent)."""

    host: str
    user_agent: str
    content_type: str
    content_length: int
    """-1 when absent or unreadable."""
    transfer_encoding: str
    authorization_scheme: str
    server: str
    set_cookies: int
    upgrade: str
    connection: str
    location: str
    repeated: tuple[tuple[str, str], ...]
    """Later occurrences of a header already seen: (lower-case name, value), in order."""
    lines: int
    """Header lines (folded continuations not counted)."""
    anomalies: tuple[str, ...]


def read_headers(block: bytes) -> HeaderFields:
    """The header lines of block (the bytes after the start line, up to the empty line)."""
    found: dict[bytes, bytes] = {}
    anomalies: list[str] = []
    lengths: set[bytes] = set()
    set_cookies = count = 0
    repeated: list[tuple[str, str]] = []
    name = b""
    for raw in block.split(b"\n"):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and name:  # obsolete line folding: continues the last
            found[name] = found.get(name, b"") + b" " + line.lstrip(b" \t")
            continue
        count += 1
        if count > MAX_HEADERS:
            if "http.too_many_headers" not in anomalies:
                anomalies.append("http.too_many_headers")
            continue
        key, sep, value = line.partition(b":")
        if not sep or not key or key != key.strip():
            if "http.bad_header_line" not in anomalies:
                anomalies.append("http.bad_header_line")
            name = b""
            continue
        name = key.lower()
        value = value.lstrip(b" \t")  # trailing white space is kept, as Wireshark shows it
        if name == b"set-cookie":
            set_cookies += 1
        elif name == b"content-length":
            lengths.add(value.rstrip(b" \t"))
        if name not in found:  # the first occurrence is the one used
            found[name] = value
        elif len(repeated) < MAX_HEADERS and name not in _SECRET:
            repeated.append((text(name), text(value)))
    content_length = _content_length(lengths, anomalies)
    scheme = found.get(b"authorization", b"").split(b" ", 1)[0]
    proxy_scheme = found.get(b"proxy-authorization", b"").split(b" ", 1)[0]
    if b"basic" in (scheme.lower(), proxy_scheme.lower()):
        anomalies.append("http.cleartext_credentials")
    return HeaderFields(
        text(found.get(b"host", b"")),
        text(found.get(b"user-agent", b"")),
        text(found.get(b"content-type", b"")),
        content_length,
        text(found.get(b"transfer-encoding", b"")),
        text(scheme),
        text(found.get(b"server", b"")),
        set_cookies,
        text(found.get(b"upgrade", b"")),
        text(found.get(b"connection", b"")),
        text(found.get(b"location", b"")),
        tuple(repeated),
        count,
        tuple(anomalies),
    )


def _content_length(values: set[bytes], anomalies: list[str]) -> int:
    if not values:
        return -1
    if len(values) > 1:
        anomalies.append("http.conflicting_content_length")
        return -1
    value = next(iter(values))
    if not value.isdigit() or len(value) > 18:
        anomalies.append("http.bad_content_length")
        return -1
    return int(value)


def body_framing(start: StartLine, headers: HeaderFields) -> tuple[str, int]:
    """How the body is delimited (RFC 9112 section 6.3) and its length when known.

    A response to HEAD also has no body, but the request is not known here: see
    framing.py for how that case is told apart."""
    if not start.is_request and (100 <= start.status < 200 or start.status in (204, 304)):
        return NONE, 0
    if headers.transfer_encoding:
        last = headers.transfer_encoding.rsplit(",", 1)[-1].strip().lower()
        if last == "chunked":
            return CHUNKED, -1
        return (NONE, 0) if start.is_request else (UNTIL_CLOSE, -1)
    if headers.content_length >= 0:
        return (LENGTH, headers.content_length) if headers.content_length else (NONE, 0)
    if start.is_request or start.status < 0:
        return NONE, 0
    return UNTIL_CLOSE, -1

"""An HTTP/1.x request or response as the engine reports it: start line, the headers
Interlock uses, and the body's framing and size. Bodies are never kept.

Pure: parse never raises; malformed input becomes anomaly codes (package docstring).
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.http import chunked
from interlock.protocols.http.framing import skip_blank_lines
from interlock.protocols.http.headers import (
    CHUNKED,
    LENGTH,
    MAX_HEADER,
    NONE,
    HeaderFields,
    body_framing,
    header_end,
    read_headers,
)
from interlock.protocols.http.startline import StartLine, parse_start_line

_EMPTY_HEADERS = HeaderFields("", "", "", -1, "", "", "", 0, "", "", "", (), 0, ())


class HttpMessage(NamedTuple):
    start: StartLine
    headers: HeaderFields
    header_length: int
    """Bytes of the start line and header section, blank line included."""
    framing: str
    """How the body is delimited: none, length, chunked or close."""
    body_length: int
    """Body bytes in this unit (for a chunked body: the chunk data, decoded)."""
    body_skipped: bool
    """The body was not reassembled (too large, or delimited by the close): its bytes
    were skipped, not read."""
    anomalies: tuple[str, ...]

    @property
    def is_request(self) -> bool:
        return self.start.is_request

    @property
    def is_interim(self) -> bool:
        """A 1xx response other than 101: the final response is still to come."""
        status = self.start.status
        return not self.start.is_request and 100 <= status < 200 and status != 101


def parse_message(buf: bytes, start: int, end: int) -> HttpMessage:
    """Decode the message framed as buf[start:end] (leading blank lines allowed)."""
    p = skip_blank_lines(buf, start, end)
    anomalies: list[str] = []
    head_end = header_end(buf, p, min(end, p + MAX_HEADER))
    if head_end < 0:
        anomalies.append("http.header_too_long" if end - p >= MAX_HEADER else "http.truncated")
        head_end = end
    eol = buf.find(b"\n", p, head_end)
    line_end = eol if eol >= 0 else head_end
    line = parse_start_line(bytes(buf[p:line_end]).rstrip(b"\r"))
    if line is None:
        line = StartLine(True, "", "", "", -1, "")
        anomalies.append("http.bad_start_line")
        return HttpMessage(line, _EMPTY_HEADERS, head_end - p, NONE, 0, False, tuple(anomalies))
    if not line.is_request and line.status < 0:
        anomalies.append("http.bad_status_code")
    headers = read_headers(bytes(buf[line_end + 1 : head_end])) if eol >= 0 else _EMPTY_HEADERS
    anomalies.extend(headers.anomalies)
    if headers.transfer_encoding and headers.content_length >= 0:
        anomalies.append("http.te_and_length")
    framing, length = body_framing(line, headers)
    body = end - head_end
    skipped = False
    if framing == LENGTH:
        skipped = body < length
    elif framing == CHUNKED:
        walked = chunked.walk(buf, head_end, end)
        if walked.end == chunked.MALFORMED:
            anomalies.append("http.bad_chunk")
        skipped = walked.end < 0
        body = walked.data_size
    elif framing != NONE:  # until the close: never reassembled (see framing.py)
        skipped = True
    return HttpMessage(
        line, headers, head_end - p, framing, body, skipped, tuple(dict.fromkeys(anomalies))
    )


def parse_exact(buf: bytes, start: int, end: int) -> HttpMessage | None:
    """The engine's fast path is not used for HTTP: framing needs the header parsed."""
    return None

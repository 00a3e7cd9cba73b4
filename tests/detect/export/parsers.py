"""Independent readers for what the exporters write: RFC 5424 messages and CEF lines.

Written from the RFCs and the CEF guide, not from the exporter's code; the RFC 5424 reader is
also checked against util-linux ``logger`` (test_syslog.py), an implementation we did not write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADER = re.compile(
    rb"^<(?P<pri>\d{1,3})>(?P<version>[1-9]\d{0,2}) (?P<timestamp>\S+) (?P<hostname>\S+) "
    rb"(?P<app>\S+) (?P<procid>\S+) (?P<msgid>\S+) "
)
BOM = b"\xef\xbb\xbf"


@dataclass
class SyslogMessage:
    facility: int
    severity: int
    version: int
    timestamp: str
    hostname: str
    app: str
    procid: str
    msgid: str
    sd: dict[str, dict[str, str]] = field(default_factory=dict)
    msg: str = ""
    bom: bool = False


def parse_rfc5424(raw: bytes) -> SyslogMessage:
    match = HEADER.match(raw)
    assert match, f"not an RFC 5424 header: {raw[:80]!r}"
    pri = int(match["pri"])
    assert 0 <= pri <= 191, pri
    rest = raw[match.end() :]
    sd, rest = _structured_data(rest)
    if rest.startswith(b" "):
        rest = rest[1:]
    else:
        assert rest == b"", f"junk after structured data: {rest[:40]!r}"
    bom = rest.startswith(BOM)
    text = rest[len(BOM) :] if bom else rest
    return SyslogMessage(
        facility=pri // 8,
        severity=pri % 8,
        version=int(match["version"]),
        timestamp=match["timestamp"].decode(),
        hostname=match["hostname"].decode(),
        app=match["app"].decode(),
        procid=match["procid"].decode(),
        msgid=match["msgid"].decode(),
        sd=sd,
        msg=text.decode("utf-8"),
        bom=bom,
    )


def _structured_data(data: bytes) -> tuple[dict[str, dict[str, str]], bytes]:
    if data.startswith(b"-"):
        return {}, data[1:]
    elements: dict[str, dict[str, str]] = {}
    text = data.decode("utf-8", errors="surrogateescape")
    pos = 0
    while pos < len(text) and text[pos] == "[":
        end_id = min(i for i in (text.find(" ", pos), text.find("]", pos)) if i >= 0)
        sd_id = text[pos + 1 : end_id]
        params: dict[str, str] = {}
        pos = end_id
        while text[pos] == " ":
            eq = text.index("=", pos)
            name = text[pos + 1 : eq]
            assert text[eq + 1] == '"', text[pos:]
            value, pos = _quoted(text, eq + 2)
            params[name] = value
        assert text[pos] == "]", text[pos:]
        pos += 1
        elements[sd_id] = params
    assert elements, f"no structured data: {data[:40]!r}"
    return elements, text[pos:].encode("utf-8", errors="surrogateescape")


def _quoted(text: str, pos: int) -> tuple[str, int]:
    out = []
    while text[pos] != '"':
        if text[pos] == "\\" and text[pos + 1] in '"\\]':
            out.append(text[pos + 1])
            pos += 2
        else:
            assert text[pos] not in '"]', f"unescaped {text[pos]!r} in a parameter value"
            out.append(text[pos])
            pos += 1
    return "".join(out), pos + 1


def octet_frames(stream: bytes) -> tuple[list[bytes], bytes]:
    """RFC 6587 octet-counted frames from a TCP byte stream; returns (frames, leftover)."""
    frames = []
    while True:
        space = stream.find(b" ")
        if space < 0:
            return frames, stream
        length = stream[:space]
        assert length.isdigit() and not length.startswith(b"0"), f"bad MSG-LEN {length[:20]!r}"
        end = space + 1 + int(length)
        if len(stream) < end:
            return frames, stream
        frames.append(stream[space + 1 : end])
        stream = stream[end:]


@dataclass
class CefEvent:
    version: str
    vendor: str
    product: str
    device_version: str
    signature: str
    name: str
    severity: str
    extension: dict[str, str]


_KEY = re.compile(r"(?:^| )([A-Za-z0-9_]+)=")
_UNESCAPE = {"\\": "\\", "=": "=", "n": "\n", "r": "\r", "|": "|"}


def parse_cef(line: str) -> CefEvent:
    assert line.startswith("CEF:"), line[:20]
    fields: list[str] = []
    current: list[str] = []
    pos = 0
    while len(fields) < 7:
        char = line[pos]
        if char == "\\":
            nxt = line[pos + 1]
            assert nxt in "\\|", f"bad header escape \\{nxt}"
            current.append(nxt)
            pos += 2
            continue
        if char == "|":
            fields.append("".join(current))
            current = []
        else:
            assert char not in "\r\n", "newline in a CEF header"
            current.append(char)
        pos += 1
    extension = _extension(line[pos:])
    version, vendor, product, device_version, signature, name, severity = fields
    return CefEvent(
        version.removeprefix("CEF:"), vendor, product, device_version, signature, name,
        severity, extension,
    )  # fmt: skip


def _extension(text: str) -> dict[str, str]:
    assert "\n" not in text and "\r" not in text, "raw newline in a CEF extension"
    keys = list(_KEY.finditer(text))
    out: dict[str, str] = {}
    for i, match in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(text)
        raw = text[match.end() : end]
        assert re.search(r"(?<!\\)(?:\\\\)*=", raw) is None, f"unescaped '=' in {raw!r}"
        key = match.group(1)
        assert key not in out, f"key {key} twice"
        out[key] = re.sub(r"\\(.)", lambda m: _UNESCAPE[m.group(1)], raw)
    return out

"""FTP control lines: framing and parsing (RFC 959 sections 4.1 and 4.2).

A line is a command when it starts with a command word, a reply when it starts with a
three-digit code followed by a space or, opening a multi-line reply, a hyphen; the
direction decides which reading applies (see ``session``). Pure: no I/O, no buffering.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.remote_access.common import printable

MAX_LINE: Final = 2048
SECRET_COMMANDS: Final = frozenset({"PASS", "ACCT"})
"""Commands whose argument is a credential: only its presence is kept."""


class Endpoint(NamedTuple):
    ip: str | None
    port: int


class FtpLine(NamedTuple):
    command: str | None
    """Upper-cased command word, if the line reads as a command."""
    arg: str | None
    """The command's argument; None for PASS and ACCT (see ``arg_present``)."""
    arg_present: bool
    code: int | None
    """The reply code, if the line reads as a reply."""
    reply_text: str | None
    continued: bool
    """A reply line ``ddd-...`` that opens a multi-line reply."""
    text: str
    """The whole line for display (PASS/ACCT arguments masked)."""
    endpoint: Endpoint | None
    anomalies: tuple[str, ...]


def _is_text(byte: int) -> bool:
    return 0x20 <= byte < 0x7F or byte in (0x09, 0x0D, 0x0A) or byte >= 0xA0


def unit_length(buf: bytes, pos: int) -> int:
    newline = buf.find(b"\n", pos, pos + MAX_LINE)
    if newline >= 0:
        return newline + 1 - pos
    return 0 if len(buf) - pos < MAX_LINE else MAX_LINE


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    head = buf[pos : min(end, pos + 8)]
    return bool(head) and all(_is_text(b) for b in head)


def probe(buf: bytes, pos: int, end: int) -> bool:
    """A server's 220 greeting, a whole CRLF-terminated text line. SMTP also greets with
    220: a greeting that names SMTP or mail is not FTP's. (Many FTP servers' greetings do
    not say FTP, so the word is not required.)"""
    line = buf[pos : min(end, pos + MAX_LINE)].split(b"\n", 1)[0]
    if not (line[:4] in (b"220 ", b"220-") and line.endswith(b"\r")):
        return False
    upper = line.upper()
    if b"SMTP" in upper or b"MAIL" in upper or b"POSTFIX" in upper or b"EXIM" in upper:
        return False
    return all(_is_text(b) for b in line)


def _host_port(numbers: list[str]) -> Endpoint | None:
    """h1,h2,h3,h4,p1,p2 (PORT and the 227 reply)."""
    if len(numbers) != 6 or not all(n.isdigit() and int(n) < 256 for n in numbers):
        return None
    ip = ".".join(numbers[:4])
    return Endpoint(ip, int(numbers[4]) * 256 + int(numbers[5]))


def _extended(arg: str) -> Endpoint | None:
    """|af|address|port| (EPRT) or |||port| (229), RFC 2428; any delimiter."""
    if len(arg) < 5:
        return None
    parts = arg.split(arg[0])
    if len(parts) != 5 or not parts[3].isdigit() or int(parts[3]) > 0xFFFF:
        return None
    return Endpoint(parts[2] or None, int(parts[3]))


def _endpoint(command: str | None, arg: str | None, code: int | None, text: str) -> Endpoint | None:
    if command == "PORT" and arg:
        return _host_port(arg.split(","))
    if command == "EPRT" and arg:
        return _extended(arg)
    if code == 227:
        start, end = text.find("("), text.find(")")
        inner = text[start + 1 : end] if 0 <= start < end else text.rsplit(" ", 1)[-1]
        return _host_port(inner.strip().split(","))
    if code == 229:
        start, end = text.find("("), text.rfind(")")
        return _extended(text[start + 1 : end]) if 0 <= start < end else None
    return None


def parse(buf: bytes, start: int, end: int) -> FtpLine:
    raw = buf[start:end]
    anomalies: list[str] = []
    if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
        anomalies.append("ftp.line_too_long")
    elif raw.endswith(b"\n") and not raw.endswith(b"\r\n"):
        anomalies.append("ftp.no_crlf")
    body = raw.rstrip(b"\r\n")
    if not all(_is_text(b) for b in body):
        anomalies.append("ftp.not_text")
    text = printable(body, MAX_LINE)
    code: int | None = None
    reply_text: str | None = None
    continued = False
    if len(body) >= 3 and body[:3].isdigit() and (len(body) == 3 or body[3] in b" -"):
        code = int(body[:3])
        continued = body[3:4] == b"-"
        reply_text = text[4:]
    word, _, rest = text.partition(" ")
    command = word.upper() if word.isalpha() and 3 <= len(word) <= 4 else None
    arg: str | None = rest if command is not None and rest else None
    arg_present = arg is not None
    if command in SECRET_COMMANDS:
        arg = None
        text = word + (" ****" if arg_present else "")
    endpoint = _endpoint(command, arg, code, reply_text or "")
    if endpoint is None and (command in ("PORT", "EPRT") or code in (227, 229)):
        anomalies.append("ftp.bad_endpoint")
    return FtpLine(
        command, arg, arg_present, code, reply_text, continued, text, endpoint, tuple(anomalies)
    )


def parse_exact(buf: bytes, start: int, end: int) -> FtpLine | None:
    if not starts_unit(buf, start, end) or unit_length(buf, start) != end - start:
        return None
    return parse(buf, start, end)

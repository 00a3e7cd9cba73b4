"""Telnet segments: IAC commands and the text between them. Pure: no I/O, no buffering."""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from interlock.protocols.remote_access.common import chunk_length

IAC, SB, SE = 255, 250, 240
WILL, WONT, DO, DONT = 251, 252, 253, 254
COMMANDS: Final = frozenset(range(240, 256))
OPTIONS: Final = {
    0: "binary", 1: "echo", 3: "suppress-go-ahead", 5: "status", 6: "timing-mark",
    24: "terminal-type", 31: "window-size", 32: "terminal-speed", 33: "remote-flow-control",
    34: "linemode", 35: "x-display-location", 36: "environment", 37: "authentication",
    38: "encryption", 39: "new-environment", 46: "start-tls",
}  # fmt: skip
MAX_TEXT: Final = 512
MAX_COMMANDS: Final = 64
LOGIN_PROMPT: Final = re.compile(rb"(login|username|user name)\s*:\s*$", re.IGNORECASE)
PASSWORD_PROMPT: Final = re.compile(rb"(password|passcode)\s*:\s*$", re.IGNORECASE)


class TelnetCommand(NamedTuple):
    command: int
    option: int | None


class TelnetUnit(NamedTuple):
    commands: tuple[TelnetCommand, ...]
    text: bytes
    """The segment's data bytes without commands, at most MAX_TEXT (see the package docstring)."""
    length: int
    anomalies: tuple[str, ...]


unit_length = chunk_length


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    return end > pos


def probe(buf: bytes, pos: int, end: int) -> bool:
    """A segment of option negotiation only: IAC WILL/WONT/DO/DONT opt or IAC SB ... IAC SE."""
    if end - pos < 3 or buf[pos] != IAC:
        return False
    unit = parse(buf, pos, end)
    return (
        not unit.anomalies
        and not unit.text
        and all(c.command in (WILL, WONT, DO, DONT, SB) for c in unit.commands)
    )


def parse(buf: bytes, start: int, end: int) -> TelnetUnit:
    data = buf[start:end]
    commands: list[TelnetCommand] = []
    text = bytearray()
    anomalies: list[str] = []
    pos = 0
    while pos < len(data):
        byte = data[pos]
        if byte != IAC:
            stop = data.find(b"\xff", pos)
            stop = len(data) if stop < 0 else stop
            text += data[pos : min(stop, pos + MAX_TEXT - len(text))]
            pos = stop
            continue
        if pos + 1 >= len(data):
            anomalies.append("telnet.truncated_command")
            break
        command = data[pos + 1]
        if command == IAC:  # an escaped 0xFF data byte
            text += b"\xff"
            pos += 2
        elif command in (WILL, WONT, DO, DONT, SB):
            if pos + 2 >= len(data):
                anomalies.append("telnet.truncated_command")
                break
            if len(commands) < MAX_COMMANDS:
                commands.append(TelnetCommand(command, data[pos + 2]))
            if command == SB:
                close = data.find(b"\xff\xf0", pos + 3)
                if close < 0:
                    anomalies.append("telnet.truncated_command")
                    break
                pos = close + 2
            else:
                pos += 3
        else:
            if command not in COMMANDS:
                anomalies.append("telnet.unknown_command")
            elif len(commands) < MAX_COMMANDS:
                commands.append(TelnetCommand(command, None))
            pos += 2
    return TelnetUnit(
        tuple(commands), bytes(text[:MAX_TEXT]), len(data), tuple(dict.fromkeys(anomalies))
    )


def parse_exact(buf: bytes, start: int, end: int) -> TelnetUnit | None:
    return parse(buf, start, end) if end > start else None

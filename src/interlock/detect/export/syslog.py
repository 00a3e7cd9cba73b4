"""RFC 5424 syslog messages and their transport framing (RFC 6587 TCP, RFC 5426 UDP).

``<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG``: PRI = facility * 8 +
severity; TIMESTAMP is the alert's capture time (RFC 3339, UTC, six fractional digits), never
the wall clock; header fields are cut to the RFC's lengths and to printable US-ASCII; SD values
escape ``"``, ``\\`` and ``]``; MSG starts with the UTF-8 BOM only when it is not plain ASCII
(RFC 5424 6.4: MSG-UTF8 must carry it, ASCII is also valid MSG-ANY and most CEF consumers
choke on a BOM). Pure: no sockets, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from interlock.detect.alert import Severity
from interlock.detect.export.fields import rfc3339
from interlock.errors import UsageError

NIL: Final = "-"
BOM: Final = b"\xef\xbb\xbf"
APP_NAME: Final = "interlock"

FACILITIES: Final[dict[str, int]] = {
    "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
    "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "audit": 13, "alert": 14,
    "clock": 15, "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20,
    "local5": 21, "local6": 22, "local7": 23,
}  # fmt: skip
DEFAULT_FACILITY: Final = FACILITIES["local0"]

SYSLOG_SEVERITY: Final[dict[Severity, int]] = {
    "critical": 2,  # Critical
    "high": 3,  # Error
    "medium": 4,  # Warning
    "low": 5,  # Notice
}

_MAX = {"hostname": 255, "app_name": 48, "procid": 128, "msgid": 32, "sd_name": 32}


@dataclass(frozen=True, slots=True)
class SdElement:
    """``[id name="value" ...]``; ids without ``@`` must be IANA-registered (origin, meta, ...)."""

    id: str
    params: tuple[tuple[str, str], ...]


def facility_number(value: str | int) -> int:
    if isinstance(value, int) or value.isdigit():
        number = int(value)
        if 0 <= number <= 23:
            return number
    elif value.lower() in FACILITIES:
        return FACILITIES[value.lower()]
    raise UsageError(f"syslog facility {value!r} is not 0-23 or one of {', '.join(FACILITIES)}")


_NOT_PRINTABLE = re.compile(r"[^\x21-\x7e]")
_NOT_SD_NAME = re.compile(r'[^\x21-\x7e]|[= \]"]')
_SD_SPECIAL = re.compile(r'([\\"\]])')


def header_field(value: str | None, limit: int) -> str:
    """RFC 5424 PRINTUSASCII (33-126), at most ``limit`` characters, ``-`` when empty."""
    return _NOT_PRINTABLE.sub("_", value or "")[:limit] or NIL


def _sd_name(value: str) -> str:
    return _NOT_SD_NAME.sub("", value)[: _MAX["sd_name"]] or "x"


def _sd_value(value: str) -> str:
    return _SD_SPECIAL.sub(r"\\\1", value)


def structured_data(elements: Sequence[SdElement]) -> str:
    if not elements:
        return NIL
    return "".join(
        "["
        + _sd_name(element.id)
        + "".join(f' {_sd_name(name)}="{_sd_value(value)}"' for name, value in element.params)
        + "]"
        for element in elements
    )


def format_message(
    msg: str,
    *,
    severity: int,
    facility: int = DEFAULT_FACILITY,
    timestamp: float | None,
    hostname: str | None,
    app_name: str = APP_NAME,
    procid: str | None = None,
    msgid: str | None = None,
    sd: Sequence[SdElement] = (),
) -> bytes:
    """One RFC 5424 message, unframed."""
    if not (0 <= facility <= 23 and 0 <= severity <= 7):
        raise UsageError(f"syslog facility {facility} / severity {severity} out of range")
    header = " ".join(
        (
            f"<{facility * 8 + severity}>1",
            NIL if timestamp is None else rfc3339(timestamp),
            header_field(hostname, _MAX["hostname"]),
            header_field(app_name, _MAX["app_name"]),
            header_field(procid, _MAX["procid"]),
            header_field(msgid, _MAX["msgid"]),
            structured_data(sd),
        )
    )
    body = msg.encode()
    if not msg.isascii():
        body = BOM + body
    return header.encode() + (b" " + body if msg else b"")


def octet_counted(message: bytes) -> bytes:
    """RFC 6587 3.4.1 octet-counting: ``MSG-LEN SP SYSLOG-MSG``."""
    return str(len(message)).encode() + b" " + message


def fit_datagram(message: bytes, limit: int) -> tuple[bytes, bool]:
    """Cut a message to ``limit`` octets for one UDP datagram (RFC 5426 3.1: one message per
    datagram, receivers may truncate); never inside a UTF-8 sequence. Returns (bytes, cut?)."""
    if len(message) <= limit:
        return message, False
    cut = message[:limit]
    start = len(cut) - 1
    while start > 0 and (cut[start] & 0xC0) == 0x80:  # back to the last character's lead byte
        start -= 1
    lead = cut[start] if cut else 0
    needed = 4 if lead >= 0xF0 else 3 if lead >= 0xE0 else 2 if lead >= 0xC0 else 1
    if len(cut) - start < needed:
        cut = cut[:start]
    return cut, True

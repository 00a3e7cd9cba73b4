"""Where alerts go: ``udp://``, ``tcp://`` or ``tcp+tls://`` syslog collector URLs.

    udp://HOST[:PORT][?facility=F&buffer=N&max=OCTETS]     RFC 5426, default port 514
    tcp://HOST[:PORT][?facility=F&buffer=N]                RFC 6587 octet counting, default 514
    tcp+tls://HOST[:PORT][?facility=F&buffer=N&ca=FILE]    RFC 5425, default port 6514

IPv6 hosts go in brackets (``udp://[2001:db8::5]:514``). Anything else is a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Literal
from urllib.parse import parse_qsl, urlsplit

from interlock.detect.export.syslog import DEFAULT_FACILITY, facility_number
from interlock.errors import UsageError

Transport = Literal["udp", "tcp", "tls"]

SCHEMES: Final[dict[str, tuple[Transport, int]]] = {
    "udp": ("udp", 514),
    "tcp": ("tcp", 514),
    "tcp+tls": ("tls", 6514),
}
DEFAULT_BUFFER: Final = 10_000
MAX_BUFFER: Final = 1_000_000
DEFAULT_DATAGRAM: Final = 8192
"""rsyslog's default maximum message size; ``?max=2048`` for strict RFC 5426 receivers."""
MIN_DATAGRAM: Final = 480  # RFC 5426 3.2: every IPv4 receiver takes 480 octets
MAX_DATAGRAM: Final = 65_507  # IPv4 UDP payload limit


class SyslogUrlError(UsageError):
    code = "usage.syslog_url"


@dataclass(frozen=True, slots=True)
class SyslogTarget:
    transport: Transport
    host: str
    port: int
    facility: int = DEFAULT_FACILITY
    buffer: int = DEFAULT_BUFFER
    max_datagram: int = DEFAULT_DATAGRAM
    ca_file: str | None = None

    @property
    def url(self) -> str:
        scheme = {"udp": "udp", "tcp": "tcp", "tls": "tcp+tls"}[self.transport]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"


def _error(url: str, reason: str) -> SyslogUrlError:
    return SyslogUrlError(
        f"syslog URL {url!r}: {reason} "
        "(use udp://HOST:PORT, tcp://HOST:PORT or tcp+tls://HOST:PORT)"
    )


def parse_syslog_url(url: str) -> SyslogTarget:
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES:
        reason = (
            f"scheme {parts.scheme!r} is not udp, tcp or tcp+tls" if parts.scheme else "no scheme"
        )
        raise _error(url, reason)
    transport, default_port = SCHEMES[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        raise _error(url, "the port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise _error(url, "no host")
    if port == 0:
        raise _error(url, "port 0")
    if parts.username or parts.password or parts.path not in ("", "/") or parts.fragment:
        raise _error(url, "only a host, a port and ?options belong in it")
    target = SyslogTarget(transport, parts.hostname, port or default_port)
    return _with_options(target, parts.query, url)


def _with_options(target: SyslogTarget, query: str, url: str) -> SyslogTarget:
    allowed = {"facility", "buffer"} | {"udp": {"max"}, "tcp": set(), "tls": {"ca"}}[
        target.transport
    ]
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _error(url, f"cannot read the options {query!r}") from None
    for key, value in pairs:
        if key not in allowed:
            raise _error(url, f"option {key!r} is not one of {', '.join(sorted(allowed))}")
        if key == "facility":
            try:
                target = replace(target, facility=facility_number(value))
            except UsageError as exc:
                raise _error(url, str(exc)) from None
        elif key == "buffer":
            target = replace(target, buffer=_bounded(value, 1, MAX_BUFFER, key, url))
        elif key == "max":
            size = _bounded(value, MIN_DATAGRAM, MAX_DATAGRAM, key, url)
            target = replace(target, max_datagram=size)
        elif key == "ca":
            if not Path(value).is_file():
                raise _error(url, f"CA file {value!r} does not exist")
            target = replace(target, ca_file=value)
    return target


def _bounded(value: str, low: int, high: int, name: str, url: str) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise _error(url, f"{name}={value!r} is not a whole number from {low} to {high}")
    return int(value)

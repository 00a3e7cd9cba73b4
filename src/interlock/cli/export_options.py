"""What ``interlock alerts`` and ``interlock analyze`` share for exports: ``--format``,
``--syslog`` and the one call that streams alerts to a collector (docs/detect-exports.md)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

if TYPE_CHECKING:
    from interlock.detect.alert import Alert
    from interlock.detect.export.forward import ForwardStats

FLUSH_SECONDS = 10.0
"""How long the command keeps retrying an unreachable collector before it gives up."""

AlertFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        help="json (the contract document), ocsf (OCSF 1.8 Detection Finding), cef or ecs: "
        "one line per alert except json.",
    ),
]
SyslogOption = Annotated[
    str | None,
    typer.Option(
        "--syslog",
        metavar="URL",
        help="Also stream alerts to a syslog collector: udp://HOST:PORT, tcp://HOST:PORT or "
        "tcp+tls://HOST:PORT (RFC 5424; CEF unless --format says otherwise).",
    ),
]


def forward_alerts(
    alerts: Iterable[Alert],
    url: str,
    fmt: str = "cef",
    *,
    timeout: float = FLUSH_SECONDS,
    stderr: TextIO | None = None,
) -> ForwardStats:
    """Send every alert to ``url`` as RFC 5424 syslog, retrying an unreachable collector for
    up to ``timeout`` seconds at the end. A bad URL or format raises ``UsageError`` before
    anything is sent; undelivered, dropped or cut messages are reported in one line on
    stderr and in the returned stats (the command decides the exit status)."""
    from interlock.detect.export.forward import SyslogForwarder
    from interlock.detect.export.render import check_format

    checked = check_format(fmt)
    forwarder = SyslogForwarder(url)
    try:
        for alert in alerts:
            forwarder.send_alert(alert, checked)
    finally:
        stats = forwarder.close(timeout)
    problem = stats.problem()
    if problem:
        print(f"interlock: {problem}", file=stderr or sys.stderr)
    return stats

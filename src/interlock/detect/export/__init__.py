"""Alert exports for IT tools: the contract JSON, OCSF 1.8 Detection Finding (class 2004),
ArcSight CEF and Elastic ECS, and streaming them to a syslog collector (docs/detect-exports.md)."""

from __future__ import annotations

from interlock.detect.export.forward import ForwardStats, SyslogForwarder
from interlock.detect.export.render import FORMATS, Format, render_alert, render_alerts
from interlock.detect.export.target import SyslogTarget, SyslogUrlError, parse_syslog_url

__all__ = [
    "FORMATS",
    "Format",
    "ForwardStats",
    "SyslogForwarder",
    "SyslogTarget",
    "SyslogUrlError",
    "parse_syslog_url",
    "render_alert",
    "render_alerts",
]

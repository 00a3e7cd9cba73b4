"""Alert -> ArcSight CEF:0 line.

``CEF:0|Interlock|Interlock|<version>|<rule id>|<title>|<0-10>|<extension>``, escaped as the CEF
guide ("Implementing ArcSight Common Event Format", rev. 23+) says: in the header ``\\`` and
``|`` are escaped and newlines cannot appear; in the extension ``\\`` and ``=`` are escaped and
newlines become ``\\n`` / ``\\r``. Keys are the dictionary's (``rt``, ``src``, ``dpt``, ``cnt``,
...); what CEF has no key for goes to labelled custom strings/numbers (``cs1``/``cs1Label``).
Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from typing import Final

from interlock import __version__
from interlock.detect.alert import Alert, AlertEndpoint, Outcome, Severity
from interlock.detect.export.fields import address_kind, epoch_ms, mac_colons, port_of
from interlock.detect.export.techniques import describe

CEF_SEVERITY: Final[dict[Severity, int]] = {"low": 3, "medium": 5, "high": 8, "critical": 10}
"""CEF bands: 0-3 Low, 4-6 Medium, 7-8 High, 9-10 Very-High."""

CEF_OUTCOME: Final[dict[Outcome, str]] = {
    "succeeded": "success",
    "refused": "failure",
    "attempted": "attempt",
    "unknown": "unknown",
}

LABELS: Final[dict[str, str]] = {
    "cs1": "ATT&CK for ICS techniques",
    "cs2": "ATT&CK for ICS tactics",
    "cs3": "Interlock rule",
    "cs4": "Evidence frames",
    "cs5": "Interlock site",
    "cs6": "Device outcome",
    "cn1": "Source asset id",
    "cn2": "Destination asset id",
    "c6a2": "Source IPv6 Address",
    "c6a3": "Destination IPv6 Address",
}


_HEADER_SPECIAL = re.compile(r"[\\|\r\n]")
_EXTENSION_SPECIAL = re.compile(r"[\\=\r\n]")


def escape_header(value: str) -> str:
    if not _HEADER_SPECIAL.search(value):
        return value
    flat = value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return flat.replace("\\", "\\\\").replace("|", "\\|")


def escape_extension(value: str) -> str:
    if not _EXTENSION_SPECIAL.search(value):
        return value
    escaped = value.replace("\\", "\\\\").replace("=", "\\=")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")


def to_cef(alert: Alert) -> str:
    header = "|".join(
        escape_header(part)
        for part in (
            "CEF:0",
            "Interlock",
            "Interlock",
            __version__,
            alert.rule,
            alert.title,
            str(CEF_SEVERITY[alert.severity]),
        )
    )
    extension = " ".join(f"{key}={escape_extension(value)}" for key, value in _extension(alert))
    return f"{header}|{extension}"


def _extension(alert: Alert) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = [
        ("rt", str(epoch_ms(alert.first_seen))),
        ("start", str(epoch_ms(alert.first_seen))),
        ("end", str(epoch_ms(alert.last_seen))),
        ("externalId", alert.id),
        ("deviceExternalId", alert.site),
        ("cnt", str(alert.count)),
        ("app", alert.protocol),
        ("act", "alert"),
        ("outcome", CEF_OUTCOME[alert.outcome]),
    ]
    pairs += _address("src", "spt", "smac", "c6a2", alert.src)
    pairs += _address("dst", "dpt", "dmac", "c6a3", alert.dst)
    if alert.message:
        pairs.append(("msg", alert.message))
    techniques = [describe(t) for t in alert.techniques]
    if techniques:
        pairs.append(("cs1", ",".join(t.id for t in techniques)))
        tactics = dict.fromkeys(tactic.name for t in techniques for tactic in t.tactics)
        if tactics:
            pairs.append(("cs2", ",".join(tactics)))
    pairs.append(("cs3", alert.rule))
    if alert.evidence:
        frames = ",".join(f"{e.capture}:{e.frame}" for e in alert.evidence)
        pairs.append(("cs4", frames))
    pairs.append(("cs5", alert.site))
    pairs.append(("cs6", alert.outcome))
    for key, endpoint in (("cn1", alert.src), ("cn2", alert.dst)):
        if endpoint.asset is not None:
            pairs.append((key, str(endpoint.asset)))
    used = {key for key, _ in pairs}
    pairs += [(f"{key}Label", label) for key, label in LABELS.items() if key in used]
    return pairs


def _address(
    ip_key: str, port_key: str, mac_key: str, v6_key: str, endpoint: AlertEndpoint
) -> list[tuple[str, str]]:
    kind = address_kind(endpoint.ip)
    pairs: list[tuple[str, str]] = []
    if kind == "ipv4":
        pairs.append((ip_key, endpoint.ip))
    elif kind == "ipv6":
        pairs.append((v6_key, endpoint.ip))  # CEF src/dst are IPv4 fields
    elif kind == "mac":
        pairs.append((mac_key, mac_colons(endpoint.ip)))
    port = port_of(endpoint)
    if port is not None:
        pairs.append((port_key, str(port)))
    return pairs

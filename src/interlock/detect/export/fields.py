"""Small conversions every export shares: times, addresses, severities, outcomes.

Pure: no clock, no I/O. Every time comes from the alert (capture time, seconds since the epoch).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime
from typing import Final, Literal

from interlock.detect.alert import AlertEndpoint, Outcome, Severity

AddressKind = Literal["ipv4", "ipv6", "mac", "other"]

_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$")

SEVERITY_RANK: Final[dict[Severity, int]] = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def epoch_ms(ts: float) -> int:
    """OCSF ``timestamp_t`` and CEF ``rt``: milliseconds since the epoch."""
    return round(ts * 1000)


def rfc3339(ts: float) -> str:
    """UTC with microseconds (RFC 5424 allows at most six fractional digits)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def address_kind(value: str) -> AddressKind:
    """What an alert endpoint's address is: link-layer protocols give MAC addresses."""
    if _MAC.match(value):
        return "mac"
    try:
        return "ipv4" if ipaddress.ip_address(value).version == 4 else "ipv6"
    except ValueError:
        return "other"


def mac_colons(value: str) -> str:
    return value.replace("-", ":").lower()


def port_of(endpoint: AlertEndpoint) -> int | None:
    """The port, when the endpoint has one (0 and None mean 'no port': link layer, ICMP)."""
    return endpoint.port if endpoint.port else None


OUTCOME_TEXT: Final[dict[Outcome, str]] = {
    "attempted": "attempted: the request was seen, no answer was",
    "succeeded": "succeeded: the device's answer accepted the request",
    "refused": "refused: the device's answer rejected the request",
    "unknown": "unknown: no request/answer pairing applies",
}

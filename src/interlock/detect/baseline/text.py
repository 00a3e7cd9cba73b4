"""How the baseline writes times and ranges for people: ISO 8601 UTC with milliseconds
(``2026-01-01T00:00:00.012Z``) and ``0-9, 20-21``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

UTC = dt.UTC


def iso(ts: float) -> str:
    """Capture time as text, to the millisecond (what the file keeps)."""
    millis = round(ts * 1000)
    seconds, ms = divmod(millis, 1000)
    moment = dt.datetime.fromtimestamp(seconds, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms:03d}Z"


def parse_iso(value: str | dt.datetime) -> float:
    """ISO 8601 text (or what YAML made of it) as a POSIX time; naive means UTC.

    Raises ValueError on anything else.
    """
    moment = value if isinstance(value, dt.datetime) else _parse(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000) / 1000


def _parse(text: str) -> dt.datetime:
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return dt.datetime.fromisoformat(text)


def ranges_text(ranges: Sequence[Sequence[int]]) -> str:
    return ", ".join(f"{low}" if low == high else f"{low}-{high}" for low, high in ranges)

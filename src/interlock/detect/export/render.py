"""One alert, or a batch, in any export format: the one place the CLI and the forwarder call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal

import orjson

from interlock.detect.alert import Alert
from interlock.detect.export import cef, ecs, ocsf
from interlock.errors import UsageError

Format = Literal["json", "ocsf", "cef", "ecs"]
FORMATS: Final[tuple[Format, ...]] = ("json", "ocsf", "cef", "ecs")


def check_format(fmt: str) -> Format:
    for known in FORMATS:
        if fmt == known:
            return known
    raise UsageError(f"unknown alert format {fmt!r}: use one of {', '.join(FORMATS)}")


def _default(value: Any) -> Any:
    """Rule details are free-form: bytes become hex, anything else its text."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def dumps(doc: Any, *, indent: bool = False) -> str:
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(doc, default=_default, option=option).decode()


def render_alert(alert: Alert, fmt: str) -> str:
    """One alert as one line (no newline): the contract object for ``json``."""
    match check_format(fmt):
        case "json":
            return dumps(alert.as_contract())
        case "ocsf":
            return dumps(ocsf.to_ocsf(alert))
        case "cef":
            return cef.to_cef(alert)
        case "ecs":
            return dumps(ecs.to_ecs(alert))


def render_alerts(alerts: Iterable[Alert], fmt: str) -> Iterator[str]:
    """``json``: the contract document ``{"alerts": [...]}`` as one (indented) string;
    the other formats: one line per alert. Strings carry no trailing newline."""
    checked = check_format(fmt)
    if checked == "json":
        yield dumps({"alerts": [alert.as_contract() for alert in alerts]}, indent=True)
        return
    for alert in alerts:
        yield render_alert(alert, checked)

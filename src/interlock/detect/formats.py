"""How `interlock alerts --format NAME` writes alerts: one function per format name.

``json`` is the contract document (``{"alerts": [...]}``, ../shared/spec/detect.md). SIEM
exports (OCSF, CEF, ECS...) register here, one line each in ``ALERT_FORMATS``: a function
from the alerts (each with ``as_contract()``) to the bytes to print. The CLI calls
``render_alerts`` for every format but its own `table`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import orjson

from interlock.detect.alert import Alert
from interlock.errors import UsageError

AlertFormat = Callable[[list[Alert]], bytes]


def contract_json(alerts: list[Alert]) -> bytes:
    document = {"alerts": [alert.as_contract() for alert in alerts]}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


ALERT_FORMATS: Final[dict[str, AlertFormat]] = {
    "json": contract_json,
}


def render_alerts(name: str, alerts: list[Alert]) -> bytes:
    writer = ALERT_FORMATS.get(name)
    if writer is None:
        known = ", ".join(["table", *sorted(ALERT_FORMATS)])
        raise UsageError(f"--format {name!r}: unknown format (known: {known})")
    return writer(alerts)

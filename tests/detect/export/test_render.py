"""The one entry point the alerts command uses: render_alerts(alerts, fmt)."""

from __future__ import annotations

import orjson
import pytest

from interlock.detect.export import FORMATS, render_alert, render_alerts
from interlock.errors import UsageError

from .conftest import alert_variants

CONTRACT_KEYS = {
    "id", "rule", "severity", "techniques", "outcome", "src", "dst", "first_seen", "last_seen",
    "count", "evidence",
}  # fmt: skip


def test_json_is_the_contract_document() -> None:
    alerts = alert_variants()
    (text,) = render_alerts(alerts, "json")
    doc = orjson.loads(text)
    assert list(doc) == ["alerts"]
    assert [a["id"] for a in doc["alerts"]] == [a.id for a in alerts]
    for item in doc["alerts"]:
        assert item.keys() >= CONTRACT_KEYS
        assert item["severity"] in ("low", "medium", "high", "critical")
        assert item["outcome"] in ("attempted", "succeeded", "refused", "unknown")
        assert all(set(e) == {"capture", "frame"} for e in item["evidence"])
    assert doc["alerts"][-1]["details"]["bytes"] == "00ff"  # bytes in details become hex


def test_empty_json_document() -> None:
    assert orjson.loads(next(render_alerts([], "json"))) == {"alerts": []}


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_line_formats_give_one_line_per_alert(fmt: str) -> None:
    alerts = alert_variants()
    lines = list(render_alerts(alerts, fmt))
    assert len(lines) == len(alerts)
    assert all("\n" not in line for line in lines)
    assert lines == [render_alert(a, fmt) for a in alerts]


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"unknown alert format 'xml'.*json, ocsf, cef, ecs"):
        list(render_alerts(alert_variants(), "xml"))

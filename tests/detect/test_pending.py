"""Alerts held compact during a run give the same alert, and the same stored row text, as
the full value built the long way."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from interlock.detect.aggregate import Aggregator
from interlock.detect.attack import attack_details
from interlock.detect.hits import Hit, RuleInfo
from interlock.model import Endpoint

RULE = RuleInfo("ics.s7.plc_stop", "S7 PLC STOP", "critical", ("T0858",), "Stops the PLC.")
HMI, PLC = Endpoint("10.0.0.1", 50000), Endpoint("10.0.0.5", 102)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def one_alert(details: dict[str, Any], outcomes: list[str]) -> Aggregator:
    aggregator = Aggregator("c" * 64, "plant", {}, 3600.0)
    for n, outcome in enumerate(outcomes):
        hit = Hit(RULE, "s7comm", HMI, PLC, 1000.0 + n, 10 + n, outcome, "stop", details)  # type: ignore[arg-type]
        aggregator.add(hit)
    return aggregator


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_stored_details_are_the_first_hits_then_what_the_alert_adds(
    details: dict[str, Any],
) -> None:
    pending = one_alert(details, ["refused", "succeeded", "refused"]).pending()[0]
    expected = {
        k: v for k, v in details.items() if k not in ("outcomes", "attack", "rule_description")
    }
    expected["outcomes"] = {"succeeded": 1, "refused": 2}
    expected["attack"] = attack_details(RULE.techniques)
    expected["rule_description"] = RULE.description
    stored = orjson.loads(pending.details_json())
    assert stored == expected
    assert list(stored)[-3:] == ["outcomes", "attack", "rule_description"]


def test_a_pending_alert_becomes_the_full_alert_with_the_same_id() -> None:
    pending = one_alert({"block": "OB1"}, ["attempted", "succeeded"]).pending()[0]
    alert = pending.alert()
    assert alert.id == pending.id
    assert (alert.count, alert.outcome, alert.first_seen, alert.last_seen) == (
        2, "succeeded", 1000.0, 1001.0,
    )  # fmt: skip
    assert [e.frame for e in alert.evidence] == [10, 11]
    assert orjson.loads(pending.evidence_json()) == [e.as_dict() for e in alert.evidence]
    assert alert.details["block"] == "OB1"

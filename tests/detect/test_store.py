"""Alerts and suppressions in the store: an older store gains the tables when opened,
alerts of consecutive captures merge, suppressions keep what they swallowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert, inspect, select

from interlock.detect.aggregate import Aggregator
from interlock.detect.hits import Hit, RuleInfo
from interlock.detect.suppress import Swallowed
from interlock.errors import UsageError
from interlock.model import Endpoint
from interlock.store import tables as t
from interlock.store.alerts import (
    add_suppression,
    load_alerts,
    record_swallowed,
    remove_suppression,
    save_alerts,
    suppressions,
)
from interlock.store.schema import MIGRATIONS, SCHEMA_REVISIONS, open_store

STOP = RuleInfo("ics.s7.plc_stop", "S7 PLC STOP", "critical", ("T0858",))
SZL = RuleInfo("ics.s7.szl_read", "SZL read", "low", ("T0888",))
HMI, PLC = Endpoint("10.0.0.1", 50000), Endpoint("10.0.0.5", 102)


def run_alerts(capture: str, hits: list[tuple[RuleInfo, float, str]]) -> Aggregator:
    aggregator = Aggregator(capture, "plant", {}, 3600.0)
    for n, (rule, ts, outcome) in enumerate(hits):
        aggregator.add(Hit(rule, "s7comm", HMI, PLC, ts, n + 1, outcome, f"{rule.title}"))  # type: ignore[arg-type]
    return aggregator


def test_a_store_of_the_first_schema_gains_the_alert_tables_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            insert(t.captures).values(sha256="a" * 64, site="s", name="x.pcap", frames=3)
        )
    assert "alerts" not in inspect(engine).get_table_names()
    upgraded = open_store(path)
    assert {"alerts", "suppressions"} <= set(inspect(upgraded).get_table_names())
    with upgraded.connect() as c:
        assert c.execute(select(t.captures.c.name)).scalar() == "x.pcap"
    assert SCHEMA_REVISIONS[-1] == "0002"


def test_alerts_of_a_continuing_capture_merge_into_the_stored_ones(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "inventory.db")
    windows = {"ics.s7.plc_stop": 3600.0, "ics.s7.szl_read": 3600.0}
    first = run_alerts("a" * 64, [(STOP, 1000.0, "refused"), (SZL, 1000.0, "succeeded")])
    with engine.begin() as c:
        save_alerts(c, first.pending(), windows)
    stored_id = load_alerts(engine, rule="ics.s7.plc_stop")[0].id
    later = run_alerts("b" * 64, [(STOP, 2000.0, "succeeded"), (STOP, 9000.0, "succeeded")])
    with engine.begin() as c:
        merged = save_alerts(c, later.pending(), windows)
    assert list(merged) == [0]  # the first of the later alerts joined the stored one
    stops = load_alerts(engine, rule="ics.s7.plc_stop")
    assert [(a.count, a.outcome, a.first_seen, a.last_seen) for a in stops] == [
        (2, "succeeded", 1000.0, 2000.0),
        (1, "succeeded", 9000.0, 9000.0),
    ]
    assert stops[0].id == stored_id
    assert [e.capture[0] for e in stops[0].evidence] == ["a", "b"]
    assert stops[0].details["outcomes"] == {"refused": 1, "succeeded": 1}
    assert [a.rule for a in load_alerts(engine, severity="high")] == ["ics.s7.plc_stop"] * 2
    assert len(load_alerts(engine, since=1500.0, until=8000.0)) == 1


def test_suppressions_are_listed_with_what_they_swallowed_and_soft_removed(
    tmp_path: Path,
) -> None:
    engine = open_store(tmp_path / "inventory.db")
    made = add_suppression(engine, "ics.s7.szl_read", None, "10.0.0.1", 5000.0, "HMI polls", 1.0)
    other = add_suppression(engine, "ics.*", 3, None, 6000.0, "lab", 2.0)
    assert (made.id, other.id) == (1, 2)
    with engine.begin() as c:
        record_swallowed(c, {1: Swallowed(4, 100.0, 200.0)})
        record_swallowed(c, {1: Swallowed(1, 50.0, 60.0)})
    found = suppressions(engine)
    assert [(s.hits, s.first_hit, s.last_hit) for s in found] == [(5, 50.0, 200.0), (0, None, None)]
    assert found[0].state(4999.0) == "active" and found[0].state(5000.0) == "expired"
    removed = remove_suppression(engine, 1, 300.0)
    assert removed.state(0.0) == "removed" and removed.hits == 5
    assert suppressions(engine)[0].removed == 300.0
    with pytest.raises(UsageError, match="already removed"):
        remove_suppression(engine, 1, 301.0)
    with pytest.raises(UsageError, match="no suppression 9"):
        remove_suppression(engine, 9, 301.0)


@pytest.mark.parametrize("paramstyle", ["qmark", "named"])
def test_alerts_read_back_the_same_whatever_the_drivers_parameter_style(
    tmp_path: Path, paramstyle: str
) -> None:
    """Rows go to the driver as tuples in its parameter order, or by name where it binds by
    name: either way each value lands in its own column."""
    open_store(tmp_path / "inventory.db").dispose()
    engine = create_engine(f"sqlite:///{tmp_path / 'inventory.db'}", paramstyle=paramstyle)
    aggregator = run_alerts(
        "c" * 64, [(STOP, 1000.0, "refused"), (STOP, 1010.0, "refused"), (SZL, 1500.0, "succeeded")]
    )
    with engine.begin() as c:
        save_alerts(c, aggregator.pending(), {"ics.s7.plc_stop": 60.0, "ics.s7.szl_read": 30.0})
    got = {a.rule: a for a in load_alerts(engine)}
    assert got["ics.s7.plc_stop"].count == 2
    expected = {p.rule.id: p.alert() for p in aggregator.pending()}
    assert set(got) == set(expected)
    for rule, alert in expected.items():
        stored = got[rule]
        assert stored.id == alert.id
        assert (stored.title, stored.severity, stored.techniques) == (
            alert.title, alert.severity, alert.techniques,
        )  # fmt: skip
        assert (stored.src, stored.dst, stored.protocol) == (alert.src, alert.dst, alert.protocol)
        assert (stored.first_seen, stored.last_seen, stored.count) == (
            alert.first_seen, alert.last_seen, alert.count,
        )  # fmt: skip
        assert stored.evidence == alert.evidence and stored.details == alert.details
        assert stored.message == alert.message and stored.outcome == alert.outcome
    with engine.connect() as c:
        windows = dict(c.execute(select(t.alerts.c.rule, t.alerts.c.window)).all())
    assert windows == {"ics.s7.plc_stop": 60.0, "ics.s7.szl_read": 30.0}

"""The detection run: dispatch by (protocol, function), aggregation into alerts, outcomes,
suppressions, the DNP3 link tap, and determinism."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import orjson
import pytest

from interlock.capture.linktypes import ETHERNET
from interlock.detect.aggregate import Aggregator
from interlock.detect.alert import EVIDENCE_KEPT
from interlock.detect.context import InventoryContext
from interlock.detect.engine import DetectionRun
from interlock.detect.hits import Hit, RuleInfo, Screen
from interlock.detect.index import DispatchIndex
from interlock.detect.job import detect_frames
from interlock.detect.loader import load_rules
from interlock.detect.match import MatchRule, MatchSpec, compile_rule
from interlock.detect.ruleset import RuleSet
from interlock.detect.suppress import Suppression
from interlock.inventory.model import Asset, Inventory, Span
from interlock.model import Endpoint, OperationClass, Transaction
from interlock.protocols.dnp3.link import encode_frame
from interlock.sim.tcp_frames import TcpConversation

RULES = load_rules()
CLIENT, PLC = Endpoint("10.0.0.1", 50000), Endpoint("10.0.0.5", 502)


def tx(function: int, n: int = 0, **fields: Any) -> Transaction:
    values: dict[str, Any] = {
        "protocol": "modbus", "client": CLIENT, "server": PLC, "function": function,
        "function_name": "", "operation": OperationClass.OTHER, "status": "ok",
        "request_frame": 2 * n + 1, "response_frame": 2 * n + 2,
        "request_ts": 1000.0 + n, "response_ts": 1000.0 + n + 0.01,
    }  # fmt: skip
    values.update(fields)
    return Transaction(**values)


def alerts_of(transactions: list[Transaction], **run: Any) -> list[dict[str, Any]]:
    detection = DetectionRun(RULES, run.pop("context", InventoryContext()), "c" * 64, **run)
    for t in transactions:
        detection.transaction(t)
    return [a.as_contract() for a in detection.finish().alerts]


class Counting:
    """A predicate that counts how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, tx: Transaction) -> bool:
        self.calls += 1
        return True


def test_rules_filed_under_other_functions_are_never_evaluated() -> None:
    info = RuleInfo("t.rule", "t", "low", ("T0888",))
    counters = [Counting() for _ in range(500)]
    rules = [MatchRule(info, MatchSpec(("modbus",), (6,)), "m", (counter,)) for counter in counters]
    wanted = Counting()
    rules.append(MatchRule(info, MatchSpec(("modbus",), (3,)), "m", (wanted,)))
    index = DispatchIndex(rules)
    for n in range(100):
        assert len(index.matches(tx(3, n))) == 1
        assert index.matches(tx(4, n)) == []
        assert index.matches(dataclasses.replace(tx(6, n), protocol="dnp3")) == []
    assert wanted.calls == 100
    assert sum(c.calls for c in counters) == 0


def test_anomaly_rules_are_asked_only_about_transactions_with_anomalies() -> None:
    info = RuleInfo("t.bad", "t", "low", ("T0814",))
    counter = Counting()
    spec = MatchSpec(("modbus",), anomalies=("modbus.*",))
    rule = compile_rule(info, spec, "m")
    index = DispatchIndex([MatchRule(info, spec, "m", (counter, *rule.predicates))])
    assert index.matches(tx(3)) == []
    assert counter.calls == 0
    assert len(index.matches(tx(3, anomalies=("modbus.length_mismatch",)))) == 1
    assert index.matches(tx(3, anomalies=("iec104.sequence_gap",))) == []
    assert counter.calls == 2


def test_repeats_become_one_alert_with_a_count_and_first_last_seen() -> None:
    restarts = [tx(8, n, sub_function=1, request_ts=1000.0 + 60 * n) for n in range(5)]
    [alert] = alerts_of(restarts)
    assert alert["rule"] == "ics.modbus.restart_communications"
    assert alert["count"] == 5 and alert["techniques"] == ["T0816"]
    assert (alert["first_seen"], alert["last_seen"]) == (1000.0, 1240.0)
    assert [e["frame"] for e in alert["evidence"]] == [1, 3, 5, 7, 9]
    assert alert["src"] == {"ip": "10.0.0.1", "port": 50000}
    assert alert["dst"] == {"ip": "10.0.0.5", "port": 502}


def test_outside_the_window_a_new_alert_starts() -> None:
    hour = 3600.0
    restarts = [tx(8, n, sub_function=1, request_ts=1000.0 + n * 0.75 * hour) for n in range(3)]
    found = alerts_of(restarts)
    assert [a["count"] for a in found] == [2, 1]
    assert found[1]["first_seen"] == 1000.0 + 1.5 * hour


def test_other_endpoints_make_other_alerts_but_a_new_client_port_does_not() -> None:
    same_host = [tx(8, n, sub_function=1, client=Endpoint("10.0.0.1", 50000 + n)) for n in range(3)]
    other_host = tx(8, 9, sub_function=1, client=Endpoint("10.0.0.2", 50000))
    found = alerts_of([*same_host, other_host])
    assert [(a["src"]["ip"], a["count"]) for a in found] == [("10.0.0.1", 3), ("10.0.0.2", 1)]


@pytest.mark.parametrize(
    ("statuses", "outcome"),
    [
        (["ok"], "succeeded"),
        (["exception"], "refused"),
        (["unanswered"], "attempted"),
        (["unknown"], "unknown"),
        (["unanswered", "exception"], "refused"),
        (["exception", "ok", "unanswered"], "succeeded"),
    ],
)
def test_outcome_comes_from_the_response_and_the_strongest_wins(
    statuses: list[str], outcome: str
) -> None:
    found = alerts_of([tx(8, n, sub_function=1, status=s) for n, s in enumerate(statuses)])
    assert [a["outcome"] for a in found] == [outcome]
    assert sum(found[0]["details"]["outcomes"].values()) == len(statuses)


def test_evidence_is_bounded_and_the_alert_count_is_not() -> None:
    found = alerts_of([tx(8, n, sub_function=1) for n in range(EVIDENCE_KEPT + 30)])
    assert found[0]["count"] == EVIDENCE_KEPT + 30
    assert len(found[0]["evidence"]) == EVIDENCE_KEPT


def test_hits_beyond_the_alert_limit_are_counted_not_silently_dropped() -> None:
    info = RuleInfo("t.rule", "t", "low", ("T0888",))
    aggregator = Aggregator("c" * 64, "default", {}, 3600.0, max_alerts=3)
    for n in range(10):
        client = Endpoint(f"10.0.1.{n}", 1000)
        aggregator.add(Hit(info, "modbus", client, PLC, 1000.0, n, "succeeded", "m"))
    assert len(aggregator.alerts()) == 3
    assert aggregator.over_limit == {"t.rule": 7}


def test_an_alert_keeps_bounded_details_and_names_what_it_left_out() -> None:
    objects = [f"analog-input:{n}" for n in range(20_000)]
    [alert] = alerts_of([tx(8, sub_function=1, details={"object_list": objects, "unit_id": 1})])
    kept = alert["details"]["transaction"]
    assert kept == {"unit_id": 1, "truncated": ["object_list"]}
    assert len(orjson.dumps(alert["details"])) < 3 * 4096


def test_alerts_carry_attack_details_and_the_v19_crosswalk() -> None:
    [alert] = alerts_of([tx(125)])
    attack = alert["details"]["attack"]
    assert alert["techniques"] == ["T0857", "T0800"]
    assert attack["version"] == "ics-attack-18.1"
    assert attack["v19"] == ["T1693.001", "T0800"]
    assert attack["techniques"][0]["name"] == "System Firmware"


def test_a_suppression_marks_alerts_and_counts_what_it_swallowed() -> None:
    until = 1002.5
    suppression = Suppression(7, "ics.modbus.*", None, "10.0.0.0/24", until, "lab PLC", 0.0)
    restarts = [tx(8, n, sub_function=1) for n in range(5)]
    detection = DetectionRun(RULES, InventoryContext(), "c" * 64, suppressions=[suppression])
    for t in restarts:
        detection.transaction(t)
    result = detection.finish()
    assert [(a.suppressed_by, a.count) for a in result.alerts] == [(7, 3), (None, 2)]
    assert result.swallowed[7].hits == 3 and result.swallowed[7].last == 1002.0
    assert result.suppressed == 3


def test_a_suppression_by_asset_uses_the_inventory_and_skips_other_rules() -> None:
    inventory = Inventory()
    plc = Asset(4, Span(0, 0), addresses={"10.0.0.5": Span(0, 0)})
    inventory.assets[4] = plc
    context = InventoryContext(inventory)
    asset = Suppression(1, "ics.modbus.restart_communications", 4, None, 10**10, "x", 0.0)
    removed = Suppression(2, "ics.modbus.report_server_id", 4, None, 10**10, "x", 0.0, 5.0)
    found = alerts_of(
        [tx(8, sub_function=1), tx(17, 1), tx(43, 2, operation=OperationClass.IDENTITY)],
        context=context,
        suppressions=[asset, removed],
    )
    assert {a["rule"]: a["suppressed_by"] for a in found} == {
        "ics.modbus.restart_communications": 1,
        "ics.modbus.report_server_id": None,
        "ics.modbus.read_device_identification": None,
    }


def test_services_in_a_multiple_service_packet_meet_their_own_rules() -> None:
    services = [
        {"service": 14, "name": "get_attribute_single", "class": 1, "instance": 1},
        {"service": 7, "name": "stop", "class": 0x8E, "instance": 1},
    ]
    packet = tx(
        10, protocol="enip", function_name="multiple_service_packet",
        server=Endpoint("10.0.0.5", 44818), details={"services": services},
    )  # fmt: skip
    found = alerts_of([packet])
    assert sorted(a["rule"] for a in found) == ["ics.cip.identity_read", "ics.cip.stop"]
    stop = next(a for a in found if a["rule"] == "ics.cip.stop")
    assert stop["details"]["transaction"]["carried_in"] == "multiple_service_packet"


def dnp3_link_capture(acked: bool) -> list[tuple[float, int, bytes, int]]:
    """A master resetting an outstation's link, answered with an ACK (or not at all)."""
    conversation = TcpConversation("10.0.0.1", 40000, "10.0.0.20", 20000)
    reset = encode_frame(0xC0, 10, 1)  # DIR, PRM, RESET_LINK_STATES; to 10 from 1
    ack = encode_frame(0x00, 1, 10)  # secondary ACK, to 1 from 10
    packets = [*conversation.handshake(), conversation.data(0, reset)]
    if acked:
        packets.append(conversation.data(1, ack))
    packets += conversation.close()
    return [(2000.0 + n * 0.01, ETHERNET, p, len(p)) for n, p in enumerate(packets)]


@pytest.mark.parametrize(("acked", "outcome"), [(True, "succeeded"), (False, "attempted")])
def test_dnp3_link_resets_are_seen_below_the_application_layer(acked: bool, outcome: str) -> None:
    found, run = detect_frames(dnp3_link_capture(acked), RULES, "d" * 64)
    assert run.error is None
    assert [(a.rule, a.outcome) for a in found.alerts] == [("ics.dnp3.link_reset", outcome)]
    alert = found.alerts[0]
    assert alert.evidence[0].frame == 4
    assert (alert.src.ip, alert.dst.ip, alert.dst.port) == ("10.0.0.1", "10.0.0.20", 20000)
    assert alert.details["transaction"] == {"layer": "link", "master": 1, "outstation": 10}


def test_the_same_input_gives_byte_identical_alerts() -> None:
    mixed = [tx(8, n, sub_function=n % 5) for n in range(50)]
    mixed += [tx(3, n, anomalies=("modbus.quantity_out_of_range",)) for n in range(50, 60)]
    first = orjson.dumps(alerts_of(mixed))
    assert first == orjson.dumps(alerts_of(mixed))
    assert {a["rule"] for a in orjson.loads(first)} == {
        "ics.modbus.restart_communications",
        "ics.modbus.force_listen_only",
        "ics.modbus.protocol_violation",
    }


def test_an_empty_rule_set_raises_nothing() -> None:
    empty = RuleSet.of([])
    detection = DetectionRun(empty, InventoryContext(), "c" * 64)
    detection.transaction(tx(8, sub_function=1))
    assert detection.finish().alerts == []


def test_shipped_rules_have_unique_ids_and_known_sources() -> None:
    ids = [r.info.id for r in RULES.rules]
    assert len(ids) == len(set(ids))
    assert all(Path(r.source).name.endswith(".yaml") for r in RULES.rules)


class Watching:
    """A detector that counts the transactions it is shown."""

    def __init__(self, watches: frozenset[str] | None) -> None:
        self.watches = watches
        self.seen: list[str] = []

    def transaction(self, t: Transaction) -> list[Hit]:
        self.seen.append(t.protocol)
        return []

    def flow(self, flow: Any) -> list[Hit]:
        return []

    def finish(self) -> list[Hit]:
        return []


def test_detectors_see_only_the_protocols_they_watch() -> None:
    enip, everything = Watching(frozenset({"enip"})), Watching(None)
    run = DetectionRun(
        RuleSet.of([]), InventoryContext(None, None), "c" * 64, extra=[enip, everything]
    )
    for n in range(3):
        run.transaction(tx(3, n))  # Modbus reads
    run.transaction(dataclasses.replace(tx(3, 9), protocol="enip"))
    assert enip.seen == ["enip"]
    assert everything.seen == ["modbus"] * 3 + ["enip"]


def test_a_screened_detector_sees_only_the_transactions_its_screen_admits() -> None:
    writes = Watching(None)
    writes.screen = Screen(operations=frozenset({"write"}), statuses=frozenset({"ok"}))  # type: ignore[attr-defined]
    run = DetectionRun(RuleSet.of([]), InventoryContext(None, None), "c" * 64, extra=[writes])
    run.transaction(tx(3, 0, operation=OperationClass.READ))
    run.transaction(tx(6, 1, operation=OperationClass.WRITE))
    run.transaction(tx(6, 2, operation=OperationClass.WRITE, status="exception"))
    run.transaction(tx(6, 3, operation=OperationClass.WRITE))
    run.transaction(tx(3, 4, operation=OperationClass.READ))
    assert writes.seen == ["modbus", "modbus"]


def test_a_finished_run_lets_go_of_its_detectors_state() -> None:
    run = DetectionRun(RULES, InventoryContext(), "c" * 64)
    for n in range(40):
        run.transaction(tx(6, n, operation=OperationClass.WRITE, targets=()))
    assert run.detectors
    run.finish()
    assert run.detectors == [] and run.aggregator.open == {}

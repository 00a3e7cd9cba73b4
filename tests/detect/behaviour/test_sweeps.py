"""discovery_sweep: distinct targets per client within a window, broadcasts, escalation."""

from __future__ import annotations

import dataclasses

from detect.behaviour.builders import detector, tx
from detect.behaviour.replay import feed
from interlock.detect.hits import Hit
from interlock.model import OperationClass, Target

LIST_IDENTITY = {"protocol": "enip", "functions": ["list_identity"], "min_targets": 5, "window": 60}


def _list_identity(client: str, host: str, ts: float, status: str = "ok", frame: int = 1):  # type: ignore[no-untyped-def]
    return tx("enip", "list_identity", f"{client}:50000", f"{host}:44818", ts,
              operation="discovery", status=status, frame=frame)  # fmt: skip


def test_a_unicast_walk_over_five_hosts_fires_once_at_the_fifth() -> None:
    sweep = detector("discovery_sweep", {**LIST_IDENTITY, "destinations": "unicast"})
    items = [_list_identity("10.0.0.9", f"10.0.1.{i}", 100.0 + i, frame=i) for i in range(1, 6)]
    hits = feed(sweep, items)
    assert len(hits) == 1
    [hit] = hits
    assert hit.frame == 5 and hit.ts == 105.0
    assert hit.src.ip == "10.0.0.9" and hit.dst.ip == "10.0.1.5"
    assert hit.outcome == "succeeded"  # the targets answered: they were found
    assert hit.details["targets"] == 5 and hit.details["threshold"] == 5
    assert hit.details["sample"] == [f"10.0.1.{i}" for i in range(1, 6)]
    assert "5 distinct targets" in hit.message and "within 60 s" in hit.message


def test_four_hosts_or_one_host_asked_many_times_do_not_fire() -> None:
    sweep = detector("discovery_sweep", LIST_IDENTITY)
    items = [_list_identity("10.0.0.9", f"10.0.1.{i % 4}", 100.0 + i) for i in range(40)]
    assert feed(sweep, items) == []


def test_targets_spread_beyond_the_window_do_not_add_up() -> None:
    sweep = detector("discovery_sweep", LIST_IDENTITY)
    items = [_list_identity("10.0.0.9", f"10.0.1.{i}", 100.0 + i * 30) for i in range(10)]
    assert feed(sweep, items) == []


def test_each_client_is_counted_on_its_own() -> None:
    sweep = detector("discovery_sweep", LIST_IDENTITY)
    items = [_list_identity(f"10.0.0.{i % 2}", f"10.0.1.{i}", 100.0 + i) for i in range(8)]
    assert feed(sweep, items) == []


def test_the_sweep_reports_again_as_it_doubles_and_unanswered_is_attempted() -> None:
    sweep = detector("discovery_sweep", LIST_IDENTITY)
    items = [
        _list_identity("10.0.0.9", f"10.0.{i // 200}.{i % 200}", 100.0 + i * 0.01, "unanswered")
        for i in range(50)
    ]
    hits = feed(sweep, items)
    assert [h.details["targets"] for h in hits] == [5, 10, 20, 40]
    assert [h.details["report"] for h in hits] == [1, 2, 3, 4]
    assert {h.dst for h in hits} == {hits[0].dst}  # one anchor: the hits make one alert
    assert {h.outcome for h in hits} == {"attempted"}


def test_a_new_episode_starts_after_a_quiet_window() -> None:
    sweep = detector("discovery_sweep", LIST_IDENTITY)
    first = [_list_identity("10.0.0.9", f"10.0.1.{i}", 100.0 + i) for i in range(5)]
    later = [_list_identity("10.0.0.9", f"10.0.2.{i}", 1000.0 + i) for i in range(5)]
    hits = feed(sweep, first + later)
    assert [h.ts for h in hits] == [104.0, 1004.0]
    assert [h.details["report"] for h in hits] == [1, 1]


def test_broadcast_rule_fires_on_one_broadcast_and_unicast_rule_ignores_it() -> None:
    broadcast = detector(
        "discovery_sweep", {**LIST_IDENTITY, "destinations": "broadcast", "min_targets": 1}
    )
    unicast = detector(
        "discovery_sweep", {**LIST_IDENTITY, "destinations": "unicast", "min_targets": 1}
    )
    asks = [
        _list_identity("192.168.10.105", "255.255.255.255", 100.0 + i, "unanswered")
        for i in range(30)
    ]
    hits = feed(broadcast, asks)
    assert len(hits) == 1
    assert hits[0].details["destination"] == "broadcast"
    assert hits[0].details["v19_subtechnique"] == "T0846.002"
    assert "broadcast address 255.255.255.255" in hits[0].message
    assert feed(unicast, asks) == []


def test_modbus_unit_id_scan_counts_host_and_unit_pairs() -> None:
    scan = detector(
        "discovery_sweep",
        {
            "protocol": "modbus",
            "functions": ["encapsulated_interface_transport"],
            "operations": ["identity"],
            "distinct_by": ["host", "unit"],
            "min_targets": 5,
        },
    )
    items = [
        tx("modbus", "encapsulated_interface_transport", "10.0.0.9:40000", "10.0.1.5:502",
           100.0 + unit, operation="identity", status="exception", details={"unit_id": unit})
        for unit in range(1, 6)
    ]  # fmt: skip
    # Other uses of FC 43 (MEI 13, CANopen) are not identity reads.
    other = [dataclasses.replace(item, operation=OperationClass.OTHER) for item in items]
    assert feed(scan, other) == []
    [hit] = feed(scan, items)
    assert hit.details["sample"] == [f"10.0.1.5/{u}" for u in range(1, 6)]
    assert hit.outcome == "attempted"


def test_match_details_and_multicast_for_profinet_identify_all() -> None:
    dcp = detector(
        "discovery_sweep",
        {
            "protocol": "pn_dcp",
            "functions": ["identify"],
            "match": {"identify_all": True},
            "destinations": "broadcast",
            "min_targets": 1,
        },
    )
    one_name = tx("pn_dcp", "identify", "08:00:06:01:02:03:0", "01:0e:cf:00:00:00:0", 1.0,
                  operation="discovery", status="unknown", details={"identify_all": False})  # fmt: skip
    everyone = tx("pn_dcp", "identify", "08:00:06:01:02:03:0", "01:0e:cf:00:00:00:0", 2.0,
                  operation="discovery", status="unknown", details={"identify_all": True})  # fmt: skip
    hits = feed(dcp, [one_name, everyone])
    assert [h.ts for h in hits] == [2.0]
    assert hits[0].details["v19_subtechnique"] == "T0846.003"
    assert hits[0].outcome == "attempted"


def test_lone_responses_do_not_count_as_requests() -> None:
    sweep = detector("discovery_sweep", {**LIST_IDENTITY, "min_targets": 1})
    answer = tx("enip", "list_identity", "10.0.0.9:50000", "10.0.1.5:44818", 1.0,
                operation="discovery", status="unknown", request=False)  # fmt: skip
    assert feed(sweep, [answer]) == []


def test_sources_are_bounded_and_the_run_is_deterministic() -> None:
    def run() -> list[Hit]:
        sweep = detector("discovery_sweep", {**LIST_IDENTITY, "max_sources": 16})
        items = [
            _list_identity(f"10.{i % 200}.{i // 200}.1", f"10.0.1.{i % 7}", i * 0.001)
            for i in range(5000)
        ]
        items += [_list_identity("10.9.9.9", f"10.0.1.{i}", 10.0 + i) for i in range(5)]
        hits = feed(sweep, items)
        assert len(sweep.sources) == 16  # type: ignore[attr-defined]
        return hits

    first = run()
    assert len(first) == 1 and first[0].src.ip == "10.9.9.9"
    assert run() == first


def test_targets_of_modbus_without_unit_id_fall_back_to_the_first_target() -> None:
    scan = detector("discovery_sweep", {"protocol": "modbus", "functions": ["read_coils"],
                                        "distinct_by": ["unit"], "min_targets": 2})  # fmt: skip
    items = [
        tx("modbus", "read_coils", "10.0.0.9:1", "10.0.1.5:502", 1.0 + u,
           targets=(Target(u, "coils", 0, 1),))
        for u in (1, 2)
    ]  # fmt: skip
    [hit] = feed(scan, items)
    assert hit.details["sample"] == ["1", "2"]

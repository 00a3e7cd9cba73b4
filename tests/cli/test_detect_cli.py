"""`interlock analyze` with detection, `alerts`, `detect`, `suppress` and `rules`: the JSON
shapes of docs/detect.md and ../shared/spec/detect.md, and clear refusals."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from interlock.detect.attack import TECHNIQUES
from tests_support import DATA, interlock_command

SNAP7 = DATA / "s7comm-snap7.pcap"
ENIP = DATA / "enip-session.pcap"
DNP3 = DATA / "dnp3-demo.pcap"
CONTRACT = {"id", "rule", "severity", "techniques", "outcome", "src", "dst", "first_seen",
            "last_seen", "count", "evidence"}  # fmt: skip
ALERT_KEYS = CONTRACT | {"title", "protocol", "site", "message", "details", "suppressed_by"}


def interlock(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, check=check, timeout=300
    )


def json_of(*args: str) -> Any:
    return json.loads(interlock(*args).stdout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_alert(alert: dict[str, Any], captures: set[str]) -> None:
    assert set(alert) == ALERT_KEYS
    assert re.fullmatch(r"[0-9a-f]{32}", alert["id"])
    assert alert["severity"] in ("low", "medium", "high", "critical")
    assert alert["outcome"] in ("attempted", "succeeded", "refused", "unknown")
    assert alert["techniques"] and all(t in TECHNIQUES for t in alert["techniques"])
    for side in ("src", "dst"):
        assert set(alert[side]) <= {"ip", "port", "id"} and {"ip", "port"} <= set(alert[side])
    assert alert["first_seen"] <= alert["last_seen"] and alert["count"] >= 1
    assert alert["evidence"] and all(
        set(e) == {"capture", "frame"} and e["capture"] in captures and e["frame"] >= 1
        for e in alert["evidence"]
    )
    assert alert["details"]["attack"]["version"] == "ics-attack-18.1"


def test_analyze_stores_alerts_in_the_contract_shape(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    report = json_of("analyze", str(SNAP7), str(ENIP), "--db", str(db), "--json")
    for capture in report["captures"]:
        detection = capture["detection"]
        assert capture["alerts"] == detection["alerts"] > 0
        assert set(detection) == {
            "hits", "alerts", "by_severity", "suppressed_hits", "suppressions", "over_limit",
        }  # fmt: skip
    doc = json_of("alerts", "--db", str(db), "--format", "json")
    assert set(doc) == {"alerts"}
    for alert in doc["alerts"]:
        check_alert(alert, {sha256(SNAP7), sha256(ENIP)})
        for side in (alert["src"], alert["dst"]):  # the inventory knows every host
            assert ("id" in side) == (side["ip"] != "255.255.255.255")
    raised = {(a["rule"], a["outcome"]) for a in doc["alerts"]}
    assert {("ics.s7.plc_stop", "succeeded"), ("ics.cip.identity_reset", "succeeded")} <= raised
    assets = {a["id"]: a for a in json_of("assets", "--db", str(db), "--json")["assets"]}
    stop = next(a for a in doc["alerts"] if a["rule"] == "ics.s7.plc_stop")
    assert stop["dst"]["ip"] in assets[stop["dst"]["id"]]["addresses"]
    first_seen = [a["first_seen"] for a in doc["alerts"]]
    assert first_seen == sorted(first_seen)

    again = json_of("analyze", str(SNAP7), "--db", str(db), "--json")
    assert again["captures"][0]["skipped"] and again["captures"][0]["alerts"] is None
    assert json_of("alerts", "--db", str(db), "--format", "json") == doc


def test_alerts_filters(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    interlock("analyze", str(SNAP7), str(DNP3), "--db", str(db))
    everything = json_of("alerts", "--db", str(db), "--format", "json")["alerts"]
    critical = json_of("alerts", "--db", str(db), "--format", "json", "--severity", "critical")
    assert {a["rule"] for a in critical["alerts"]} == {"ics.s7.plc_stop"}
    high = json_of("alerts", "--db", str(db), "--format", "json", "--severity", "HIGH")["alerts"]
    assert {a["severity"] for a in high} == {"high", "critical"}
    assert len(high) < len(everything)
    one = json_of("alerts", "--db", str(db), "--format", "json", "--rule", "ics.dnp3.cold_restart")
    assert [a["outcome"] for a in one["alerts"]] == ["succeeded"]
    middle = sorted(a["last_seen"] for a in everything)[len(everything) // 2]
    since = json_of("alerts", "--db", str(db), "--format", "json", "--since", str(middle))
    assert since["alerts"] == [a for a in everything if a["last_seen"] >= middle]
    assert 0 < len(since["alerts"]) < len(everything)
    iso = json_of("alerts", "--db", str(db), "--format", "json", "--until", "1970-01-02T00:00:00Z")
    assert iso == {"alerts": []}
    table = interlock("alerts", "--db", str(db)).stdout
    assert table.startswith(f"{len(everything)} alerts")


def test_no_detect_builds_the_inventory_only(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    report = json_of("analyze", str(SNAP7), "--db", str(db), "--no-detect", "--json")
    assert report["captures"][0]["alerts"] is None and report["captures"][0]["detection"] is None
    assert report["assets"] > 0
    assert json_of("alerts", "--db", str(db), "--format", "json") == {"alerts": []}


def test_detect_prints_alerts_without_a_store_and_replays_identically(tmp_path: Path) -> None:
    first = interlock("detect", str(SNAP7), str(DNP3), "--json").stdout
    second = interlock("detect", str(SNAP7), str(DNP3), "--json").stdout
    assert first == second
    doc = json.loads(first)
    assert set(doc) == {"alerts", "captures", "rules"}
    for alert in doc["alerts"]:
        check_alert(alert, {sha256(SNAP7), sha256(DNP3)})
        assert "id" not in alert["src"]  # no inventory: no asset ids
    assert [set(c) for c in doc["captures"]] == [
        {"name", "sha256", "frames", "hits", "alerts", "over_limit", "error"}
    ] * 2
    assert sum(c["alerts"] for c in doc["captures"]) == len(doc["alerts"])
    assert not (Path.home() / ".local/share/interlock/never-created.db").exists()


def test_suppressions_swallow_hits_visibly(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    added = json_of(
        "suppress", "add", "--rule", "ics.s7.szl_read", "--address", "10.10.0.0/16",
        "--until", "2999-01-01T00:00:00Z", "--reason", "the HMI polls the SZL", "--db", str(db),
        "--json",
    )["suppression"]  # fmt: skip
    assert set(added) == {
        "id", "rule", "asset_id", "address", "until", "reason", "created", "removed", "state",
        "hits", "first_hit", "last_hit",
    }  # fmt: skip
    assert (added["state"], added["address"], added["hits"]) == ("active", "10.10.0.0/16", 0)
    report = json_of("analyze", str(SNAP7), "--db", str(db), "--json")
    detection = report["captures"][0]["detection"]
    assert detection["suppressions"] == {str(added["id"]): detection["suppressed_hits"]}
    assert detection["suppressed_hits"] >= 2
    shown = json_of("alerts", "--db", str(db), "--format", "json")["alerts"]
    assert "ics.s7.szl_read" not in {a["rule"] for a in shown}
    hidden = json_of("alerts", "--db", str(db), "--format", "json", "--suppressed")["alerts"]
    szl = [a for a in hidden if a["rule"] == "ics.s7.szl_read"]
    assert szl and all(a["suppressed_by"] == added["id"] for a in szl)
    [listed] = json_of("suppress", "list", "--db", str(db), "--json")["suppressions"]
    assert listed["hits"] == sum(a["count"] for a in szl) == detection["suppressed_hits"]
    removed = json_of("suppress", "remove", str(added["id"]), "--db", str(db), "--json")
    assert removed["suppression"]["state"] == "removed"
    assert removed["suppression"]["hits"] == listed["hits"]


def test_suppress_refuses_unclear_requests(tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    base = ["suppress", "add", "--until", "2999-01-01", "--reason", "r", "--db", db]
    cases = [
        (["--rule", "ics.s7.plc_stop"], "give exactly one of --asset ID or --address IP"),
        (["--rule", "ics.s7.plc_stop", "--asset", "1", "--address", "10.0.0.1"], "exactly one"),
        (["--rule", "ics.s7.plc_stpo", "--asset", "1"], "no such rule (did you mean"),
        (["--rule", "ics.s7.plc_stop", "--address", "10.0.0.300"], "not an IP address or CIDR"),
    ]
    for extra, message in cases:
        done = interlock(*base, *extra, check=False)
        assert done.returncode == 2 and message in done.stderr, done.stderr
    past = interlock(
        "suppress", "add", "--rule", "ics.s7.plc_stop", "--asset", "1", "--until",
        "2001-01-01T00:00:00", "--reason", "r", "--db", db, check=False,
    )  # fmt: skip
    assert past.returncode == 2 and "already past" in past.stderr


def test_rules_list_check_and_test_shapes(tmp_path: Path) -> None:
    listed = json_of("rules", "list", "--json")["rules"]
    assert len(listed) >= 50
    assert set(listed[0]) == {
        "id", "title", "severity", "techniques", "techniques_v19", "kind", "enabled", "window",
        "description", "source", "line",
    }  # fmt: skip
    firmware = next(r for r in listed if r["id"] == "ics.cip.firmware_update")
    assert firmware["techniques_v19"] == ["T1693.001", "T0800"]
    assert json_of("rules", "check", "--json") == {
        "valid": True, "rules": len(listed), "errors": [], "more_errors": 0,
    }  # fmt: skip
    tested = json_of("rules", "test", "--json")
    assert tested["failed"] == 0 and tested["errors"] == [] and tested["passed"] >= 2 * len(listed)
    assert set(tested["cases"][0]) == {"rule", "name", "where", "passed", "problem"}

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "rules:\n  - id: site.x\n    title: x\n    severity: urgent\n    techniques: [T9999]\n"
        "    match: {protocol: modbus}\n"
    )
    first = interlock("rules", "check", str(bad), check=False)
    assert first.returncode == 2
    assert first.stderr.splitlines() == [
        f"{bad}:4: unknown severity `urgent` (expected one of: low, medium, high, critical)",
        "(1 more: --collect shows them)",
    ]
    every = json.loads(
        interlock("rules", "check", str(bad), "--collect", "--json", check=False).stdout
    )
    assert every["valid"] is False
    assert [(e["line"], e["file"]) for e in every["errors"]] == [(4, str(bad)), (5, str(bad))]


def test_bad_rules_or_zones_stop_analyze_before_the_store_is_touched(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: site.x\n")
    done = interlock("analyze", str(SNAP7), "--db", str(db), "--rules", str(bad), check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"interlock: {bad}:2: a rule ")
    assert done.stderr.endswith("(1 more: interlock rules check --collect)\n")
    assert not db.exists()
    zones = tmp_path / "zones.yaml"
    zones.write_text("zones: 3\n")
    done = interlock("analyze", str(SNAP7), "--db", str(db), "--zones", str(zones), check=False)
    assert done.returncode == 2 and f"{zones}:1:" in done.stderr and not db.exists()
    odd = interlock("alerts", "--db", str(db), "--format", "yaml", check=False)
    assert odd.returncode == 2 and "no inventory store" in odd.stderr
    interlock("analyze", str(SNAP7), "--db", str(db), "--no-detect")
    odd = interlock("alerts", "--db", str(db), "--format", "yaml", check=False)
    assert (
        odd.returncode == 2 and "unknown format (known: table, cef, ecs, json, ocsf)" in odd.stderr
    )


def test_alerts_and_analyze_stream_to_a_syslog_collector(tmp_path: Path) -> None:
    from detect.export.receivers import UdpCollector, tcp_collector

    db = tmp_path / "inventory.db"
    udp = UdpCollector()
    try:
        report = json_of("analyze", str(SNAP7), "--db", str(db), "--json", "--syslog", udp.url)
        raised = report["captures"][0]["alerts"]
        messages = udp.wait_for(raised)
        assert len(messages) == raised and all("CEF:0|Interlock|" in m.msg for m in messages)
    finally:
        udp.close()
    stored = json_of("alerts", "--db", str(db), "--format", "json")["alerts"]
    with tcp_collector() as tcp:
        ecs = interlock("alerts", "--db", str(db), "--format", "ecs", "--syslog", tcp.url)
        lines = ecs.stdout.splitlines()
        assert len(lines) == len(stored) and {json.loads(x)["rule"]["id"] for x in lines} == {
            a["rule"] for a in stored
        }
        received = tcp.wait_for(len(stored))
        assert sorted(json.loads(m.msg)["rule"]["id"] for m in received) == sorted(
            a["rule"] for a in stored
        )
    refused = interlock("alerts", "--db", str(db), "--syslog", "smtp://x", check=False)
    assert refused.returncode == 2 and refused.stderr.startswith("interlock: ")
    assert "Traceback" not in refused.stderr


def test_detect_and_analyze_report_deviations_from_a_learned_baseline(tmp_path: Path) -> None:
    normal, attack = DATA / "policy-normal.pcap", DATA / "policy-attack.pcap"
    learned = tmp_path / "plant.yaml"
    interlock("baseline", "learn", str(normal), "-o", str(learned))
    quiet = json_of("detect", str(normal), "--baseline", str(learned), "--json")["alerts"]
    assert not [a for a in quiet if a["rule"].startswith("baseline.")]
    found = json_of("detect", str(attack), "--baseline", str(learned), "--json")["alerts"]
    deviations = {a["rule"] for a in found if a["rule"].startswith("baseline.")}
    assert {"baseline.new_talker", "baseline.unknown_client_command",
            "baseline.value_out_of_range"} <= deviations  # fmt: skip
    for alert in found:
        if alert["rule"].startswith("baseline."):  # each names the entry it deviates from
            assert alert["details"]["baseline_entry"]
    db = tmp_path / "inventory.db"
    interlock("analyze", str(attack), "--db", str(db), "--baseline", str(learned))
    stored = json_of("alerts", "--db", str(db), "--format", "json")["alerts"]
    assert deviations <= {a["rule"] for a in stored}
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\ntalkers: 7\n")
    refused = interlock("detect", str(attack), "--baseline", str(broken), check=False)
    assert refused.returncode == 2 and f"{broken}:" in refused.stderr
    assert "Traceback" not in refused.stderr

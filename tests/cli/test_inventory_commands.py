"""`interlock analyze` and the inventory views on real captures: identities as Wireshark
shows them in the corpus, merging of captures, the JSON contract of
../shared/spec/inventory.md, and clear refusals."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests_support import DATA, corpus_dir, interlock_command


def interlock(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, check=check, timeout=300
    )


def assets(db: Path) -> list[dict[str, Any]]:
    doc = json.loads(interlock("assets", "--db", str(db), "--json").stdout)
    assert set(doc) == {"assets"}
    return list(doc["assets"])


def walk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in items:
        out.append(a)
        out += walk(a["children"])
    return out


def values(items: list[dict[str, Any]], attribute: str) -> dict[str, set[str]]:
    """value -> sources, over every asset and child."""
    found: dict[str, set[str]] = {}
    for a in walk(items):
        for v in a["identity"].get(attribute, []):
            found.setdefault(v["value"], set()).add(v["source"])
    return found


def test_identities_from_enip_s7_and_modbus_captures(tmp_path: Path) -> None:
    pcaps = corpus_dir() / "pcaps"
    db = tmp_path / "inventory.db"
    captures = [
        pcaps / "enip_cip" / "iti_enip_test.pcap",
        pcaps / "s7comm" / "iti_s7comm_reading_plc_status.pcap",
        pcaps / "s7comm" / "icsnpp_s7ident.pcap",
        pcaps / "modbus" / "icsnpp_modbus_example.pcap",
    ]
    interlock("analyze", *map(str, captures), "--db", str(db), "--site", "lab")
    found = assets(db)
    products = values(found, "product")
    assert "enip.list_identity" in products["1756-ENBT/A"]
    names = values(found, "name")
    assert "IM151-8-CPU" in names and "SNAP7-SERVER" in names
    # Every string the Modbus device reported about itself (FC 43/14) appears verbatim.
    reported = [v for a in walk(found) for vs in a["identity"].values() for v in vs
                if v["source"] == "modbus.fc43"]  # fmt: skip
    assert {v["value"] for v in reported} == {
        "Zeek Modbus Test",
        "Protocol Parsing is fun!",
        "1.2.3.6",
    }
    for v in reported:
        assert set(v["evidence"]) >= {"capture", "frame", "ts"} and 0 < v["confidence"] <= 1
    plc = next(a for a in found if "IM151-8-CPU" in str(a["identity"]))
    assert [r["role"] for r in plc["roles"]] == ["plc"]
    assert {"proto": "s7comm", "side": "server", "port": 102}.items() <= plc["protocols"][0].items()


def test_every_asset_has_the_contract_keys(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    interlock("analyze", str(DATA / "demo-modbus.pcap"), "--db", str(db))
    found = assets(db)
    assert found
    for a in walk(found):
        assert {"id", "addresses", "identity", "roles", "protocols", "children"} <= set(a)
        for role in a["roles"]:
            assert set(role) >= {"role", "reason"} and role["reason"]
        for p in a["protocols"]:
            assert p["side"] in ("server", "client") and isinstance(p["port"], int)


def test_two_captures_merge_and_a_repeated_capture_is_not_counted_twice(tmp_path: Path) -> None:
    pcaps = corpus_dir() / "pcaps" / "s7comm"
    db = tmp_path / "inventory.db"
    one, two = (
        pcaps / "iti_s7comm_reading_plc_status.pcap",
        pcaps / "iti_s7comm_reading_setting_plc_time.pcap",
    )
    interlock("analyze", str(one), "--db", str(db))
    first = assets(db)
    flows_before = json.loads(interlock("flows", "--db", str(db), "--json").stdout)["flows"]
    interlock("analyze", str(one), "--db", str(db))
    assert json.loads(interlock("flows", "--db", str(db), "--json").stdout)["flows"] == flows_before
    interlock("analyze", str(two), "--db", str(db))
    merged = assets(db)
    # The same PLC (same MAC and address) in both captures stays one asset.
    plcs = [a for a in merged if "IM151-8 PN/DP CPU" in str(a["identity"])]
    assert len(plcs) == 1 and len(merged) == len(first)
    seen = [v["count"] for v in plcs[0]["identity"]["product"] if v["value"] == "IM151-8 PN/DP CPU"]
    assert min(seen) >= 2  # seen in both captures, aggregated: no row per sighting
    kinds = [
        c["kind"]
        for c in json.loads(interlock("changes", "--db", str(db), "--json").stdout)["changes"]
    ]
    assert kinds.count("new_asset") == len(first)


def test_analyze_json_reports_health_and_changes(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    out = interlock("analyze", str(DATA / "demo-modbus.pcap"), "--db", str(db), "--json")
    doc = json.loads(out.stdout)
    [capture] = doc["captures"]
    assert capture["skipped"] is False and capture["health"]["frames"] > 0
    assert {c["kind"] for c in capture["changes"]} >= {"new_asset", "new_pair"}
    assert out.stderr == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"garbage" * 50, "not a readable inventory store")],
)
def test_a_damaged_store_gets_one_clear_line(tmp_path: Path, content: bytes, message: str) -> None:
    db = tmp_path / "inventory.db"
    db.write_bytes(content)
    proc = interlock("analyze", str(DATA / "demo-modbus.pcap"), "--db", str(db), check=False)
    assert proc.returncode == 2 and message in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == content


def test_asset_views_refuse_a_missing_store_and_asset(tmp_path: Path) -> None:
    proc = interlock("assets", "--db", str(tmp_path / "none.db"), check=False)
    assert proc.returncode == 2 and "interlock analyze" in proc.stderr
    db = tmp_path / "inventory.db"
    interlock("analyze", str(DATA / "demo-modbus.pcap"), "--db", str(db))
    proc = interlock("asset", "999", "--db", str(db), check=False)
    assert proc.returncode == 2 and "no asset 999" in proc.stderr
    one = json.loads(interlock("asset", "1", "--db", str(db), "--json").stdout)
    assert one["id"] == 1

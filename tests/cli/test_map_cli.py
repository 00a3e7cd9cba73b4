"""`interlock map` on real captures analyzed into a temporary store: the JSON names the
devices and the operations really seen, DOT passes Graphviz, SVG is drawn, refusals are
clear."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from map.plant import dot_program, run_dot
from tests_support import DATA, corpus_dir, interlock_command


def interlock(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("map") / "inventory.db"
    s7 = corpus_dir() / "pcaps" / "s7comm" / "iti_s7comm_reading_plc_status.pcap"
    done = interlock("analyze", str(DATA / "demo-modbus.pcap"), str(s7), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


def map_json(db: Path, *extra: str) -> dict[str, Any]:
    done = interlock("map", "--db", str(db), *extra)
    assert done.returncode == 0, done.stderr
    doc: dict[str, Any] = json.loads(done.stdout)
    return doc


def by_address(doc: dict[str, Any], address: str) -> dict[str, Any]:
    return next(n for n in doc["nodes"] if address in n["addresses"])


def test_json_map_has_the_devices_and_the_operations_seen(store: Path) -> None:
    doc = map_json(store)
    assert set(doc) == {"nodes", "edges", "groups"}
    hmi, gateway = by_address(doc, "10.20.0.1"), by_address(doc, "10.10.0.5")
    assert "hmi" in hmi["roles"] and "plc" in gateway["roles"]
    assert [c["kind"] for c in gateway["children"]] == ["modbus_unit", "modbus_unit"]
    modbus = next(e for e in doc["edges"] if e["protocol"] == "modbus")
    assert (modbus["client"], modbus["server"]) == (hmi["id"], gateway["id"])
    assert {"read", "write"} <= set(modbus["operations"])
    assert modbus["worst_operation"] == "write" and modbus["packets"] > 0
    s7_client, plc = by_address(doc, "192.168.1.10"), by_address(doc, "192.168.1.40")
    assert plc["name"] == "IM151-8-CPU"
    s7 = next(e for e in doc["edges"] if e["protocol"] == "s7comm")
    assert (s7["client"], s7["server"]) == (s7_client["id"], plc["id"])
    assert s7["kind"] == "operations" and "diagnostic" in s7["operations"]
    groups = {g["id"]: g["nodes"] for g in doc["groups"]}
    assert plc["id"] in groups["level-1"] and hmi["id"] in groups["level-2"]


def test_ics_only_drops_plain_flows(store: Path) -> None:
    full, ics = map_json(store), map_json(store, "--ics-only")
    assert any(e["kind"] == "flow" for e in full["edges"])
    assert {e["kind"] for e in ics["edges"]} == {"operations"}
    assert {e["protocol"] for e in ics["edges"]} == {"modbus", "s7comm"}


def test_dot_is_valid_graphviz_and_svg_is_drawn(store: Path, tmp_path: Path) -> None:
    done = interlock("map", "--db", str(store), "--format", "dot")
    assert done.returncode == 0 and done.stdout.startswith("digraph interlock_map {")
    assert b"IM151&#45;8&#45;CPU" in run_dot(done.stdout)
    out = tmp_path / "map.svg"
    done = interlock("map", "--db", str(store), "--format", "svg", "--out", str(out))
    assert done.returncode == 0 and done.stdout == "", done.stderr
    svg = out.read_text()
    assert svg.lstrip().startswith("<?xml") and "IM151&#45;8&#45;CPU" in svg and "</svg>" in svg
    stdout = interlock("map", "--db", str(store), "--format", "svg")
    assert stdout.returncode == 0 and stdout.stdout == svg


def test_svg_without_graphviz_says_what_to_install(store: Path, tmp_path: Path) -> None:
    dot_program()
    bindir = Path(interlock_command()[0]).parent
    env = {**os.environ, "PATH": str(bindir)}
    done = interlock("map", "--db", str(store), "--format", "svg", "--out", str(tmp_path / "x"),
                     env=env)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "interlock: interlock map --format svg needs Graphviz's dot (apt-get install graphviz)"
    )
    assert not (tmp_path / "x").exists()


def test_refusals_are_one_line(tmp_path: Path, store: Path) -> None:
    missing = interlock("map", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no inventory store" in missing.stderr
    assert "Traceback" not in missing.stderr
    zones = interlock("map", "--db", str(store), "--zones", str(tmp_path / "zones.yaml"))
    assert zones.returncode == 2 and "no such file" in zones.stderr
    bad = interlock("map", "--db", str(store), "--format", "png")
    assert bad.returncode == 2


def test_a_zones_file_groups_the_map_by_zone(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    subprocess.run(
        [*interlock_command(), "analyze", str(DATA / "demo-modbus.pcap"), "--db", str(db)],
        check=True, capture_output=True,
    )  # fmt: skip
    zones = Path(__file__).resolve().parents[2] / "docs" / "examples" / "zones.yaml"
    done = interlock("map", "--db", str(db), "--zones", str(zones))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert {g["label"]: g["nodes"] for g in doc["groups"]} == {
        "cell-1": ["asset:2"],
        "supervisory": ["asset:1"],
    }

"""`interlock zones validate` and `interlock zones check` as a user runs them: errors as
FILE:LINE lines (exit 2, nothing written), findings on real captures with their evidence,
the `--json` contract (docs/inventory-zones.md), and `--record`."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests_support import DATA, corpus_dir, interlock_command

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "zones.yaml"

# The snap7 session: a client at 10.20.0.7/.8 (HMI and engineering workstation) and the PLC
# at 10.10.0.20/.21. The conduit allows s7comm reads only.
READ_ONLY = """\
zones:
  - name: cell-1
    description: the PLC
    security_level: 3
    members: {cidrs: [10.10.0.0/24]}
  - name: supervisory
    security_level: 2
    members: {cidrs: [10.20.0.0/24]}
conduits:
  - name: hmi-reads
    zones: [supervisory, cell-1]
    initiator: supervisory
    protocols:
      s7comm: [read]
"""

FIVE_ERRORS = """\
zones:
  - name: cell-1
    security_level: 7
  - name: dmz
    security_level: 2
    members: {cidrs: [10.0.0.1/8]}
conduits:
  - name: c
    zones: [cell-1, nowhere]
    protocols: {modbus: [read, wrte]}
    direction: up
"""


def interlock(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, check=check, timeout=300
    )


@pytest.fixture(scope="module")
def snap7_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("zones") / "inventory.db"
    interlock("analyze", str(DATA / "s7comm-snap7.pcap"), "--db", str(db))
    return db


def write(tmp_path: Path, text: str, name: str = "zones.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def check_json(zones: Path, db: Path, *extra: str) -> dict[str, Any]:
    done = interlock("zones", "check", str(zones), "--db", str(db), "--json", *extra)
    return dict(json.loads(done.stdout))


def test_the_example_validates() -> None:
    done = interlock("zones", "validate", str(EXAMPLE))
    assert done.stdout == f"{EXAMPLE}: valid: 4 zones, 4 conduits\n"


def test_five_errors_give_five_lines_and_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, FIVE_ERRORS)
    done = interlock("zones", "validate", str(path), check=False)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:3", f"{path}:6", f"{path}:9", f"{path}:10", f"{path}:11",
    ]  # fmt: skip
    assert "out of range (0..4)" in lines[0] and "host bits" in lines[1]
    assert "`nowhere`" in lines[2] and "`wrte`" in lines[3] and "`direction`" in lines[4]
    assert "Traceback" not in done.stderr


def test_a_bad_file_writes_nothing(tmp_path: Path, snap7_store: Path) -> None:
    before = hashlib.sha256(snap7_store.read_bytes()).hexdigest()
    path = write(tmp_path, FIVE_ERRORS)
    done = interlock(
        "zones", "check", str(path), "--db", str(snap7_store), "--record", "--json", check=False
    )
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 5
    doc = json.loads(done.stdout)
    assert doc["valid"] is False and len(doc["errors"]) == 5
    assert set(doc["errors"][0]) == {"file", "line", "message"}
    assert hashlib.sha256(snap7_store.read_bytes()).hexdigest() == before


def test_write_and_program_outside_a_read_only_conduit(tmp_path: Path, snap7_store: Path) -> None:
    doc = check_json(write(tmp_path, READ_ONLY), snap7_store)
    zones = {z["name"]: z for z in doc["zones"]}
    assert len(zones["cell-1"]["assets"]) == 1 and len(zones["supervisory"]["assets"]) == 1
    assert doc["unassigned"] == [] and doc["conflicts"] == []
    ops = {(f["proto"], f["operation"]): f for f in doc["findings"] if f["kind"] == "operation"}
    # What the committed transactions of this capture show the client doing to the PLC.
    expected = _operations_in(DATA / "s7comm-snap7.transactions.jsonl")
    for operation in ("write", "program", "mode_change", "restart"):
        found = ops[("s7comm", operation)]
        count, first, last = expected[("s7comm", operation)]
        assert (found["count"], found["first_seen"], found["last_seen"]) == (count, first, last)
        assert found["client"]["zone"] == "supervisory" and found["server"]["zone"] == "cell-1"
        assert found["client"]["address"] == "10.20.0.7"
        assert found["server"]["address"] == "10.10.0.20"
        assert found["reason"] == (
            f"conduit hmi-reads (supervisory->cell-1) allows s7comm read only, saw {operation}"
        )
        assert found["conduits"] == ["hmi-reads"]
    assert ("s7comm", "read") not in ops
    plus = ops[("s7comm-plus", "write")]
    assert plus["reason"] == (
        "conduit hmi-reads (supervisory->cell-1) does not allow s7comm-plus (allows s7comm)"
    )
    # The flows themselves are s7comm, which the conduit allows.
    assert [f for f in doc["findings"] if f["kind"] == "flow"] == []


def _operations_in(transactions: Path) -> dict[tuple[str, str], tuple[int, float, float]]:
    found: dict[tuple[str, str], tuple[int, float, float]] = {}
    for line in transactions.read_text().splitlines():
        tx = json.loads(line)
        if tx["request_frame"] is None or tx["status"] == "unsolicited":
            continue
        ts = tx["response_ts"] if tx["response_ts"] is not None else tx["request_ts"]
        key = (tx["protocol"], tx["operation"])
        count, first, last = found.get(key, (0, ts, ts))
        found[key] = (count + 1, min(first, ts), max(last, ts))
    return found


def test_no_conduit_on_the_corpus_s7_capture(tmp_path: Path) -> None:
    capture = corpus_dir() / "pcaps" / "s7comm" / "iti_s7comm_reading_plc_status.pcap"
    db = tmp_path / "inventory.db"
    interlock("analyze", str(capture), "--db", str(db))
    zones = write(
        tmp_path,
        "zones:\n"
        "  - {name: cell-1, security_level: 3, members: {macs: ['00:1b:1b:23:eb:3b']}}\n"
        "  - {name: enterprise, security_level: 1, members: {cidrs: [0.0.0.0/0]}}\n",
    )
    doc = check_json(zones, db)
    reasons = {(f["kind"], f["proto"], f["operation"]): f["reason"] for f in doc["findings"]}
    assert reasons[("flow", "s7comm", None)] == "no conduit between enterprise and cell-1"
    assert reasons[("operation", "s7comm", "diagnostic")] == (
        "no conduit between enterprise and cell-1"
    )
    flow = next(f for f in doc["findings"] if f["kind"] == "flow" and f["proto"] == "s7comm")
    assert (flow["client"]["address"], flow["server"]["address"], flow["server_port"]) == (
        "192.168.1.10", "192.168.1.40", 102,
    )  # fmt: skip
    assert flow["packets"] == 234 and flow["transport"] == "tcp"
    placed = {a["asset_id"]: (a["zone"], a["by"]) for a in doc["assignments"]}
    assert sorted(placed.values()) == [("cell-1", "mac"), ("enterprise", "cidr")]


FINDING_KEYS = {
    "kind", "reason", "client", "server", "proto", "operation", "transport", "server_port",
    "first_seen", "last_seen", "count", "packets", "bytes", "conduits",
}  # fmt: skip


def test_json_contract(tmp_path: Path, snap7_store: Path) -> None:
    doc = check_json(write(tmp_path, READ_ONLY), snap7_store)
    assert set(doc) == {
        "file", "store", "zones", "conduits", "assignments", "unassigned", "conflicts",
        "findings", "summary",
    }  # fmt: skip
    assert set(doc["zones"][0]) == {
        "name", "description", "security_level", "members", "line", "assets",
    }  # fmt: skip
    assert set(doc["zones"][0]["members"]) == {"cidrs", "assets", "macs", "hostnames"}
    assert doc["conduits"] == [
        {"name": "hmi-reads", "description": "", "zones": ["supervisory", "cell-1"],
         "initiator": "supervisory", "security_level": None, "protocols": {"s7comm": ["read"]},
         "line": 10},
    ]  # fmt: skip
    assert set(doc["assignments"][0]) == {"asset_id", "addresses", "zone", "by", "match"}
    assert doc["findings"] and all(set(f) == FINDING_KEYS for f in doc["findings"])
    assert set(doc["findings"][0]["client"]) == {"address", "asset_id", "zone"}
    assert set(doc["summary"]) == {"assets", "assigned", "unassigned", "conflicts", "findings"}
    assert doc["summary"]["findings"] == len(doc["findings"])
    valid = json.loads(interlock("zones", "validate", str(EXAMPLE), "--json").stdout)
    assert set(valid) == {"file", "valid", "errors", "zones", "conduits"} and valid["valid"]


def test_record_stores_new_findings_once(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    interlock("analyze", str(DATA / "demo-modbus.pcap"), "--db", str(db))
    zones = write(
        tmp_path,
        "zones:\n"
        "  - {name: cell, security_level: 3, members: {cidrs: [10.10.0.0/24]}}\n"
        "  - {name: hmi, security_level: 2, members: {cidrs: [10.20.0.0/24]}}\n"
        "conduits:\n"
        "  - {name: polling, zones: [hmi, cell], protocols: {modbus: [read, identity]}}\n",
    )
    first = check_json(zones, db, "--record")
    assert sorted(f["operation"] for f in first["findings"]) == ["diagnostic", "write"]
    assert first["recorded"] == 2
    assert check_json(zones, db, "--record")["recorded"] == 0
    changes = json.loads(
        interlock("changes", "--db", str(db), "--kind", "conduit_violation", "--json").stdout
    )["changes"]
    assert len(changes) == 2
    write_change = next(c for c in changes if c["detail"]["operation"] == "write")
    assert write_change["summary"] == (
        "10.20.0.1 -> 10.10.0.5 modbus write: conduit polling (hmi<->cell) allows modbus "
        "identity, read only, saw write"
    )
    assert write_change["detail"]["count"] == 6
    # The inventory itself is untouched by recording.
    assert len(json.loads(interlock("assets", "--db", str(db), "--json").stdout)["assets"]) == 2


def test_tables_fail_on_findings_and_clear_refusals(tmp_path: Path, snap7_store: Path) -> None:
    zones = write(tmp_path, READ_ONLY)
    done = interlock("zones", "check", str(zones), "--db", str(snap7_store), check=False)
    assert done.returncode == 0
    assert "allows s7comm read only, saw program" in " ".join(done.stdout.split())
    failing = interlock(
        "zones", "check", str(zones), "--db", str(snap7_store), "--fail-on-findings", check=False
    )
    assert failing.returncode == 1
    missing = interlock("zones", "validate", str(tmp_path / "nope.yaml"), check=False)
    assert missing.returncode == 2 and missing.stderr.strip().endswith("nope.yaml: no such file")
    no_store = interlock("zones", "check", str(zones), "--db", str(tmp_path / "x.db"), check=False)
    assert no_store.returncode == 2 and "no inventory store" in no_store.stderr
    assert not (tmp_path / "x.db").exists()

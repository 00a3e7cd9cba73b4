"""`interlock baseline` as a user runs it: learn, update, show, check and compare, the
`--json` contract (docs/detect-baseline.md), and one clear message for each mistake."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests_support import DATA, interlock_command

DEMO = DATA / "demo-modbus.pcap"
DNP3 = DATA / "dnp3-demo.pcap"
COUNTS = {"captures", "talkers", "points", "values", "rates", "exclusions"}


def run(*args: str | Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*interlock_command(), "baseline", *map(str, args)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


def as_json(*args: str | Path, code: int = 0) -> Any:
    return json.loads(run(*args, "--json", code=code).stdout)


def test_learn_then_update_skips_what_it_has(tmp_path: Path) -> None:
    out = tmp_path / "plant.yaml"
    doc = as_json("learn", DEMO, "-o", out, "--margin", "10")
    assert set(doc) == {"file", "captures", "counts", "dropped"}
    [capture] = doc["captures"]
    assert set(capture) == {"name", "sha256", "skipped", "transactions", "learned",
                            "first_seen", "last_seen", "error"}  # fmt: skip
    assert capture["learned"] == capture["transactions"] == 16 and not capture["skipped"]
    assert set(doc["counts"]) == COUNTS and doc["counts"]["talkers"] == 1
    first = out.read_text()
    assert "margin_pct: 10" in first

    refused = run("learn", DEMO, "-o", out, code=2)
    assert "--update" in refused.stderr and out.read_text() == first

    doc = as_json("learn", DEMO, DNP3, "-o", out, "--update")
    assert [c["skipped"] for c in doc["captures"]] == [True, False]
    assert doc["counts"]["talkers"] == 3 and doc["counts"]["captures"] == 2
    assert "margin_pct: 10" in out.read_text()


def test_show_prints_the_file_as_json(tmp_path: Path) -> None:
    out = tmp_path / "b.yaml"
    run("learn", DEMO, "-o", out)
    doc = as_json("show", out)
    assert set(doc) == {"file", "version", "kind", "settings", "periods", "captures", "dropped",
                        "talkers", "points", "values", "rates", "exclusions", "counts"}  # fmt: skip
    [talker] = doc["talkers"]
    assert talker["id"] == "talker:10.20.0.1->10.10.0.5:modbus"
    assert talker["functions"]["write_single_register[6]:write"] == 1
    setpoints = next(v for v in doc["values"]
                     if v["id"] == "values:10.10.0.5:modbus/1/holding_registers:write")  # fmt: skip
    assert setpoints["points"]["1"] == {"min": 500, "max": 500, "count": 1}
    text = run("show", out).stdout
    assert "learning periods: 2026-01-01T00:00:00.012Z to" in text


def test_check_reports_every_error_as_file_line(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    run("learn", DEMO, "-o", good)
    assert "valid" in run("check", good).stdout
    assert as_json("check", good)["valid"] is True
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("access: read", "access: reed", 1)
                   .replace("  count: 16\n", "  count: many\n", 1))  # fmt: skip
    done = run("check", bad, code=2)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{bad}:") for line in lines)
    doc = as_json("check", bad, code=2)
    assert doc["valid"] is False and [set(e) for e in doc["errors"]] == [
        {"file", "line", "message"}] * 2  # fmt: skip
    shown = run("show", bad, code=2)
    assert shown.stderr.startswith(f"interlock: {bad}: not a usable baseline (2 errors)")


def test_compare_lists_deviations(tmp_path: Path) -> None:
    out = tmp_path / "b.yaml"
    run("learn", DEMO, "-o", out)
    assert as_json("compare", out, DEMO)["total"] == 0
    doc = as_json("compare", out, DNP3)
    assert set(doc) == {"baseline", "captures", "deviations", "total", "not_listed"}
    assert doc["total"] == sum(d["count"] for d in doc["deviations"]) > 0
    first = doc["deviations"][0]
    assert set(first) == {"rule", "title", "severity", "techniques", "outcome", "protocol", "src",
                          "dst", "first_seen", "last_seen", "count", "first", "evidence",
                          "message", "details"}  # fmt: skip
    assert first["rule"].startswith("baseline.")
    assert {"baseline", "baseline_entry", "entry_learned", "learned", "observed"} <= set(
        first["details"]
    )
    run("compare", out, DNP3, "--fail-on-deviations", code=1)


def test_mistakes_get_one_message(tmp_path: Path) -> None:
    out = tmp_path / "b.yaml"
    notes = tmp_path / "notes.txt"
    notes.write_text("not a capture")
    cases = [
        (["learn", tmp_path / "missing.pcap", "-o", out], "no such capture file"),
        (["learn", DEMO, "-o", out, "--period-start", "yesterday"], "--period-start"),
        (
            [
                "learn",
                DEMO,
                "-o",
                out,
                "--period-start",
                "2026-01-02T00:00:00Z",
                "--period-end",
                "2026-01-01T00:00:00Z",
            ],
            "after --period-end",
        ),
        (["show", tmp_path / "nothing.yaml"], "no such baseline file"),
    ]
    for args, message in cases:
        done = run(*args, code=2)
        assert done.stderr.startswith("interlock: ") and message in done.stderr, done.stderr
    assert not out.exists()
    done = run("learn", notes, "-o", out, code=2)
    assert done.stderr.count("interlock: ") == 1 and not out.exists()

"""`interlock dissect` as a user runs it: output shapes, usage errors, pipes."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
from pathlib import Path

import pytest

from interlock.sim.modbus_session import record_session, write_capture
from tests_support import DATA, interlock_command

CAPTURE = str(DATA / "demo-modbus.pcap")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, timeout=120
    )


def test_json_summary_shape() -> None:
    proc = run("dissect", CAPTURE, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert set(doc) == {"summary", "health"}
    assert doc["summary"]["transactions"] == 16
    ops = {(o["function"], o["status"]): o["count"] for o in doc["summary"]["operations"]}
    assert ops[("read_holding_registers", "exception")] == 1
    assert doc["summary"]["conversations"] == [
        {"protocol": "modbus", "client": "10.20.0.1", "server": "10.10.0.5:502", "transactions": 16}
    ]
    health = doc["health"]
    assert health["frames"] == 38 and health["units"] == {"modbus": 32}
    assert health["tcp_holes"] == 0 and health["capture_error"] is None


def test_human_summary_and_capture_health() -> None:
    proc = run("dissect", CAPTURE)
    assert proc.returncode == 0
    assert "16 transactions" in proc.stdout
    assert "capture health: 38 frames" in proc.stdout


def test_jsonl_records_follow_the_contract() -> None:
    proc = run("dissect", CAPTURE, "--jsonl", "--proto", "modbus")
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 32
    for record in records:
        assert list(record) == [
            "frame",
            "ts",
            "proto",
            "transport",
            "src",
            "sport",
            "dst",
            "dport",
            "fields",
            "anomalies",
        ]
        assert all(isinstance(v, (int, list)) for v in record["fields"].values())
    assert proc.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dissect", CAPTURE, "--decode-as", "502"], "expected PORT=NAME"),
        (["dissect", CAPTURE, "--decode-as", "5020=nosuch"], "unknown protocol"),
        (["dissect", CAPTURE, "--proto", "nosuch"], "unknown protocol"),
        (["dissect", CAPTURE, "--jsonl", "--json"], "choose one"),
        (["dissect"], "give a capture file or --iface"),
        (["dissect", "/nonexistent/file.pcap"], "cannot open"),
    ],
)
def test_usage_errors_are_one_clear_line(args: list[str], message: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.pcap"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        chunks = record_session()
    write_capture(big, chunks, sessions=400)  # about 2.5 MB of output: more than one buffer
    proc = subprocess.run(
        f"{interlock_command()[0]} dissect {big} --jsonl | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "Exception" not in proc.stderr


def test_decode_as_accepts_wireshark_syntax() -> None:
    proc = run("dissect", CAPTURE, "--jsonl", "--decode-as", "tcp.port==5020,mbtcp")
    assert proc.returncode == 0 and proc.stdout.count("\n") == 32

"""Golden outputs on the project's own capture (a real pymodbus session on loopback).

Regenerate with `.venv/bin/python scripts/regen_golden.py` and review the diff.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

from interlock.sim.modbus_session import record_session, write_capture
from tests_support import DATA, interlock_command


def dissect(capture: Path, flag: str) -> bytes:
    proc = subprocess.run(
        [*interlock_command(), "dissect", str(capture), flag], capture_output=True, check=True
    )
    return proc.stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    expected = (DATA / "demo-modbus.dissect.jsonl").read_bytes()
    assert dissect(DATA / "demo-modbus.pcap", "--jsonl") == expected


def test_transactions_match_the_golden_file() -> None:
    expected = (DATA / "demo-modbus.transactions.jsonl").read_bytes()
    assert dissect(DATA / "demo-modbus.pcap", "--transactions") == expected


def test_the_recorded_pymodbus_session_reproduces_the_committed_capture(tmp_path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        chunks = record_session()
    fresh = tmp_path / "fresh.pcap"
    write_capture(fresh, chunks)
    assert fresh.read_bytes() == (DATA / "demo-modbus.pcap").read_bytes()


def test_output_is_deterministic() -> None:
    capture = DATA / "demo-modbus.pcap"
    assert dissect(capture, "--jsonl") == dissect(capture, "--jsonl")

"""Golden outputs on the identity protocols' crafted captures, and their agreement with
Wireshark 4.0 (the committed identity-<proto>.wireshark.tsv is tshark 4.0.17's own
dissection of each capture). Regenerate with captures.py (see its docstring)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from protocols.identity.agreement import disagreements, dissect
from protocols.identity.captures import CAPTURES, capture_path, write_capture
from tests_support import DATA, interlock_command

PROTOS = sorted(CAPTURES)


def _run(capture: Path, flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(capture), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


@pytest.mark.parametrize("proto", PROTOS)
def test_the_builder_reproduces_the_committed_capture(proto: str, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pcap"
    write_capture(proto, fresh)
    assert fresh.read_bytes() == capture_path(proto).read_bytes()


@pytest.mark.parametrize("proto", PROTOS)
def test_dissect_and_transactions_match_the_golden_files(proto: str) -> None:
    capture = capture_path(proto)
    for flag, name in (("--jsonl", "dissect"), ("--transactions", "transactions")):
        golden = DATA / f"identity-{proto}.{name}.jsonl"
        assert _run(capture, flag) == golden.read_bytes(), golden.name


@pytest.mark.parametrize("proto", PROTOS)
def test_every_compared_field_agrees_with_wireshark(proto: str) -> None:
    records = dissect(capture_path(proto))
    truth = DATA / f"identity-{proto}.wireshark.tsv"
    assert disagreements(records, proto, truth) == []


@pytest.mark.parametrize("proto", PROTOS)
def test_output_is_deterministic(proto: str) -> None:
    capture = capture_path(proto)
    assert _run(capture, "--jsonl") == _run(capture, "--jsonl")

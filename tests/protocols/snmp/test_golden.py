"""Golden outputs on the SNMP and NBNS crafted captures, their agreement with Wireshark
4.0 (the committed identity-<proto>.wireshark.tsv), the NBNS frames of the corpus, and
the promise that an SNMP community never reaches Interlock's output. Regenerate with
captures.py (see its docstring)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from protocols.identity.agreement import disagreements, dissect
from protocols.snmp.captures import (
    CAPTURES,
    CORPUS_FRAMES,
    capture_path,
    corpus_truth_path,
    truth_path,
    write_capture,
)
from protocols.snmp.frames import COMMUNITY
from tests_support import DATA, corpus_dir, interlock_command

PROTOS = sorted(CAPTURES)
EXTRA_FRAMES = {"snmp": {19}, "nbns": set()}
"""Frames Interlock reports that Wireshark does not call SNMP: a datagram whose outer
SEQUENCE is cut short (Wireshark hands it to "data"; Interlock reports snmp.truncated)."""


def _run(capture: Path, flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(capture), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


def _without_missing(truth: Path, out: Path) -> Path:
    """tshark writes "<MISSING>" for an empty byte string, which Interlock leaves out."""
    rows = [
        "\t".join("" if cell == "<MISSING>" else cell for cell in row.split("\t"))
        for row in truth.read_text().splitlines()
    ]
    out.write_text("\n".join(rows) + "\n")
    return out


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
def test_every_compared_field_agrees_with_wireshark(proto: str, tmp_path: Path) -> None:
    records = dissect(capture_path(proto))
    truth = _without_missing(truth_path(proto), tmp_path / "truth.tsv")
    found = disagreements(records, proto, truth)
    extra = [(f, "<frame>", "absent", "present") for f in sorted(EXTRA_FRAMES[proto])]
    assert found == extra


@pytest.mark.parametrize("proto", PROTOS)
def test_output_is_deterministic(proto: str) -> None:
    capture = capture_path(proto)
    assert _run(capture, "--jsonl") == _run(capture, "--jsonl")


@pytest.mark.parametrize(("capture", "proto"), CORPUS_FRAMES)
def test_corpus_frames_agree_with_wireshark(capture: str, proto: str) -> None:
    path = corpus_dir() / "pcaps" / capture
    records = dissect(path, "--proto", proto)
    truth = corpus_truth_path(capture, proto)
    assert truth.read_text().count("\n") > 1, "no frame of this protocol in the truth"
    assert disagreements(records, proto, truth) == []


def test_the_community_never_reaches_the_output() -> None:
    capture = capture_path("snmp")
    assert COMMUNITY in capture.read_bytes()  # it is on the wire...
    secret = COMMUNITY.decode()
    for flag in ("--jsonl", "--transactions"):
        out = _run(capture, flag)
        assert COMMUNITY not in out, flag  # ...and nowhere in what Interlock says
        assert secret.lower() not in out.decode().lower()
        assert COMMUNITY.hex() not in out.decode()
    for name in ("dissect", "transactions", "wireshark"):
        suffix = "tsv" if name == "wireshark" else "jsonl"
        assert secret not in (DATA / f"identity-snmp.{name}.{suffix}").read_text()


def test_v1_and_v2c_transactions_flag_the_cleartext_community() -> None:
    lines = _run(capture_path("snmp"), "--transactions").splitlines()
    transactions = [json.loads(line) for line in lines]
    clear = [t for t in transactions if t["details"].get("version") in ("v1", "v2c")]
    assert clear
    for t in clear:
        assert t["details"]["cleartext_community"] is True
        assert "snmp.cleartext_community" in t["anomalies"]
    assert all("cleartext_community" not in t["details"] for t in transactions if t not in clear)

"""Golden outputs on the project's own HTTP capture (Python's http.client and http.server
on loopback, tests/protocols/http/httpserver_capture.py), and agreement with Wireshark
4.0's own dissection (tests/data/http-stdlib.wireshark.tsv, from make_truth.sh http).

Regenerate with `.venv/bin/python tests/protocols/http/httpserver_capture.py`; review the diff.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from protocols.dns import test_golden as dns_golden
from protocols.http.httpserver_capture import CAPTURE, record, write_capture
from tests_support import DATA, interlock_command

STEM = "http-stdlib"
HEAD_RESPONSE = 16
NEXT_RESPONSE = 18
"""The response to HEAD (frame 16) announces a length but has no body. The framing cannot
see the request's method, so it takes the response as complete only when the next
status line arrives (frame 18): a known difference, see framing.py."""


def dissect(flag: str) -> bytes:
    return subprocess.run(
        [*interlock_command(), "dissect", str(CAPTURE), flag], capture_output=True, check=True
    ).stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect("--jsonl") == (DATA / f"{STEM}.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    assert dissect("--transactions") == (DATA / f"{STEM}.transactions.jsonl").read_bytes()


def test_output_is_deterministic() -> None:
    assert dissect("--jsonl") == dissect("--jsonl")


def test_the_recorded_session_reproduces_the_committed_capture(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pcap"
    write_capture(fresh, record())
    assert fresh.read_bytes() == CAPTURE.read_bytes()


def test_every_field_agrees_with_wireshark_but_the_head_response(
    tmp_path: Path, monkeypatch: object
) -> None:
    rows = (DATA / f"{STEM}.wireshark.tsv").read_text().splitlines()
    kept = [r for r in rows if r.split("\t")[0] not in (str(HEAD_RESPONSE), str(NEXT_RESPONSE))]
    (tmp_path / f"{STEM}.wireshark.tsv").write_text("\n".join(kept) + "\n")
    jsonl = [
        line for line in dissect("--jsonl").splitlines()
        if b'"frame":%d,' % NEXT_RESPONSE not in line
    ]  # fmt: skip
    import pytest

    patch = pytest.MonkeyPatch()
    patch.setattr(dns_golden, "DATA", tmp_path)
    patch.setattr(dns_golden, "dissect", lambda flag: b"\n".join(jsonl))
    try:
        dns_golden.agreement(STEM, "http")
    finally:
        patch.undo()


def test_credentials_never_reach_the_output() -> None:
    for flag in ("--jsonl", "--transactions"):
        out = dissect(flag)
        assert b"YWRtaW46cGFzc3dvcmQ=" not in out and b"s3cr3t" not in out
    assert b"http.cleartext_credentials" in dissect("--jsonl")

"""Golden outputs on the project's own S7 capture: a python-snap7 client and server on
loopback (tests/protocols/s7comm/snap7_capture.py), plus Wireshark 4.0's own answer for it
(tests/data/s7comm-snap7.wireshark.tsv, made with ../shared/tools/make_truth.sh s7comm).

Regenerate with `.venv/bin/python tests/protocols/s7comm/snap7_capture.py` and review the diff.
"""

from __future__ import annotations

import collections
import json
import subprocess
from pathlib import Path

from protocols.s7comm.snap7_capture import CAPTURE, record, write_capture
from tests_support import DATA, interlock_command

TRUTH = DATA / "s7comm-snap7.wireshark.tsv"
COMPARED = (
    "s7comm.header.rosctr",
    "s7comm.header.pduref",
    "s7comm.param.func",
    "s7comm.param.itemcount",
    "s7comm.param.userdata.type",
    "s7comm.param.userdata.funcgroup",
    "s7comm.param.userdata.subfunc",
    "s7comm.data.userdata.szl_id",
    "s7comm.header.errcls",
    "s7comm.header.errcod",
)


def dissect(capture: Path, flag: str) -> bytes:
    proc = subprocess.run(
        [*interlock_command(), "dissect", str(capture), flag], capture_output=True, check=True
    )
    return proc.stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect(CAPTURE, "--jsonl") == (DATA / "s7comm-snap7.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    expected = (DATA / "s7comm-snap7.transactions.jsonl").read_bytes()
    assert dissect(CAPTURE, "--transactions") == expected


def _values(cell: str) -> list[int]:
    return [int(v, 0) for v in cell.split(",") if v]


def test_every_field_agrees_with_wireshark() -> None:
    ours: dict[int, dict[str, list[int]]] = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )
    for line in dissect(CAPTURE, "--jsonl").splitlines():
        record = json.loads(line)
        for key, value in record["fields"].items():
            ours[record["frame"]][key].append(value)
    lines = TRUTH.read_text().splitlines()
    header = lines[0].split("\t")
    compared = 0
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        frame = int(row["frame.number"])
        for column in COMPARED:
            if row.get(column):
                compared += 1
                assert sorted(_values(row[column])) == sorted(ours[frame][column]), (frame, column)
    assert compared > 150


def test_the_recorded_snap7_session_reproduces_the_committed_capture(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pcap"
    write_capture(fresh, record())
    assert fresh.read_bytes() == CAPTURE.read_bytes()

"""Golden outputs on the project's own DNP3 capture (tests/data/dnp3-demo.pcap), and its
agreement with Wireshark 4.0's dissection of it (tests/data/dnp3-demo.wireshark.tsv).

Regenerate with `.venv/bin/python tests/protocols/dnp3/demo_capture.py` and review the diff.
"""

from __future__ import annotations

import collections
import json
import subprocess
from pathlib import Path

from protocols.dnp3.demo_capture import write_capture
from tests_support import DATA, interlock_command

CAPTURE = DATA / "dnp3-demo.pcap"


def dissect(flag: str) -> bytes:
    proc = subprocess.run(
        [*interlock_command(), "dissect", str(CAPTURE), flag], capture_output=True, check=True
    )
    return proc.stdout


def test_the_capture_is_what_the_builder_makes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pcap"
    write_capture(fresh)
    assert fresh.read_bytes() == CAPTURE.read_bytes()


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect("--jsonl") == (DATA / "dnp3-demo.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    assert dissect("--transactions") == (DATA / "dnp3-demo.transactions.jsonl").read_bytes()


def _values(cell: str) -> list[int]:
    return [int(v, 0) for v in cell.split(",") if v]


def test_every_field_agrees_with_wireshark() -> None:
    ours: dict[int, collections.Counter[tuple[str, int]]] = collections.defaultdict(
        collections.Counter
    )
    for line in dissect("--jsonl").splitlines():
        record = json.loads(line)
        for key, value in record["fields"].items():
            ours[record["frame"]].update(
                (key, v) for v in (value if isinstance(value, list) else [value])
            )
    lines = (DATA / "dnp3-demo.wireshark.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    compared = 0
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        frame = int(row["frame.number"])
        want: collections.Counter[tuple[str, int]] = collections.Counter()
        for key, cell in row.items():
            if key.startswith("dnp3."):
                want.update((key, v) for v in _values(cell))
        assert ours[frame] == want, f"frame {frame}"
        compared += 1
    assert compared == 29


def test_anomalies_are_recorded() -> None:
    records = [json.loads(line) for line in dissect("--jsonl").splitlines()]
    anomalies = {r["frame"]: r["anomalies"] for r in records if r["anomalies"]}
    assert anomalies == {31: ["dnp3.data_crc"], 32: ["dnp3.length_invalid"]}

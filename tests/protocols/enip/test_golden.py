"""Golden outputs on the project's own EtherNet/IP capture, and its agreement with
Wireshark 4.0 (the committed enip-session.wireshark.tsv is tshark 4.0.17's dissection of
it, made by ../shared/tools/make_truth.sh).

Regenerate with `.venv/bin/python tests/protocols/enip/session_capture.py` and review the
diff.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
from pathlib import Path

from protocols.enip.session_capture import write_capture
from tests_support import DATA, interlock_command

CAPTURE = DATA / "enip-session.pcap"
COMPARED = (
    "enip.command", "enip.session", "enip.status", "cip.service", "cip.sc", "cip.class",
    "cip.instance", "cip.attribute", "cip.genstat", "cip.symbol",
)  # fmt: skip
_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")


def dissect(flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(CAPTURE), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect("--jsonl") == (DATA / "enip-session.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    assert dissect("--transactions") == (DATA / "enip-session.transactions.jsonl").read_bytes()


def test_the_builder_reproduces_the_committed_capture(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pcap"
    write_capture(fresh)
    assert fresh.read_bytes() == CAPTURE.read_bytes()


def _values(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [int(p, 0) if _INT.match(p) else p for p in str(value).split(",") if p]


def test_every_field_agrees_with_wireshark_both_ways() -> None:
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(dict)
    for line in dissect("--jsonl").splitlines():
        record = json.loads(line)
        for name in COMPARED:
            if name in record["fields"]:
                values = _values(record["fields"][name])
                ours[record["frame"]].setdefault(name, []).extend(values)
    rows = (DATA / "enip-session.wireshark.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    frames = set()
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        frame = int(cells["frame.number"])
        frames.add(frame)
        for name in COMPARED:
            theirs = collections.Counter(_values(cells[name]))
            assert theirs == collections.Counter(ours[frame].get(name, [])), (frame, name)
    assert set(ours) <= frames  # no CIP or ENIP field where Wireshark sees no ENIP


def test_output_is_deterministic() -> None:
    assert dissect("--jsonl") == dissect("--jsonl")
    assert dissect("--transactions") == dissect("--transactions")

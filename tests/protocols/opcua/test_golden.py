"""Golden outputs on the project's own OPC UA capture: an asyncua client and server on
loopback (tests/protocols/opcua/asyncua_capture.py), plus Wireshark 4.0's own answer for
it (tests/data/opcua-asyncua.wireshark.tsv, made with ../shared/tools/make_truth.sh opcua).

Regenerate with `.venv/bin/python tests/protocols/opcua/asyncua_capture.py` and review the diff.
"""

from __future__ import annotations

import collections
import json
import subprocess
from pathlib import Path

from interlock.protocols.opcua.transport import parse_chunk
from protocols.opcua.asyncua_capture import CAPTURE, record
from tests_support import DATA, interlock_command

TRUTH = DATA / "opcua-asyncua.wireshark.tsv"
COMPARED = (
    "opcua.transport.type",
    "opcua.transport.endpoint",
    "opcua.security.spu",
    "opcua.servicenodeid.numeric",
)


def dissect(capture: Path, flag: str) -> bytes:
    proc = subprocess.run(
        [*interlock_command(), "dissect", str(capture), flag], capture_output=True, check=True
    )
    return proc.stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect(CAPTURE, "--jsonl") == (DATA / "opcua-asyncua.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    expected = (DATA / "opcua-asyncua.transactions.jsonl").read_bytes()
    assert dissect(CAPTURE, "--transactions") == expected


def _values(cell: str) -> list[object]:
    return [int(v) if v.isdigit() else v for v in cell.split(",") if v]


def test_every_field_agrees_with_wireshark() -> None:
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )
    for line in dissect(CAPTURE, "--jsonl").splitlines():
        found = json.loads(line)
        for key, value in found["fields"].items():
            ours[found["frame"]][key].append(value)
    lines = TRUTH.read_text().splitlines()
    header = lines[0].split("\t")
    compared = 0
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        frame = int(row["frame.number"])
        for column in COMPARED:
            if row.get(column):
                compared += 1
                assert _values(row[column]) == ours[frame][column], (frame, column)
            else:
                assert column not in ours[frame], (frame, column)
    assert compared > 60


def _services(chunks: list[tuple[int, bytes]]) -> list[tuple[str, int]]:
    """Message types and service TypeIds in order, Publish requests and responses left out
    (how many the client sends depends on timing)."""
    found = []
    for _, data in chunks:
        chunk = parse_chunk(data, 0, len(data))
        type_id = int.from_bytes(chunk.body[2:4], "little") if chunk.is_secure else 0
        if type_id not in (826, 829):
            found.append((chunk.msg_type, type_id))
    return found


def test_a_fresh_recording_exchanges_the_same_messages() -> None:
    committed = []
    data = CAPTURE.read_bytes()
    for line in dissect(CAPTURE, "--jsonl").splitlines():
        found = json.loads(line)
        if found["sport"] == 49152 or found["dport"] == 49152:
            numeric = found["fields"].get("opcua.servicenodeid.numeric", 0)
            if numeric not in (826, 829):
                committed.append((found["fields"]["opcua.transport.type"], numeric))
    assert data and _services(record()) == committed

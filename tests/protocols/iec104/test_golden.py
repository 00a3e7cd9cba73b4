"""Golden outputs on the project's own IEC 104 capture: a c104 client and server (lib60870)
on loopback through a recording relay (tests/protocols/iec104/c104_capture.py), plus
Wireshark 4.0's own answer for it (tests/data/iec104-c104.wireshark.tsv, made with
../shared/tools/make_truth.sh iec104).

Regenerate with `.venv/bin/python tests/protocols/iec104/c104_capture.py` and review the
diff. The recording is not re-run here: the c104 stack's S frames and N(R) values follow
its thread timing, so a fresh recording differs in those bytes from run to run.
"""

from __future__ import annotations

import collections
import json
import subprocess

from protocols.iec104.c104_capture import CAPTURE, FIXED_TIME, normalize_time
from tests_support import DATA, interlock_command

TRUTH = DATA / "iec104-c104.wireshark.tsv"
COMPARED = (
    "iec60870_104.type", "iec60870_104.utype", "iec60870_104.tx", "iec60870_104.rx",
    "iec60870_asdu.typeid", "iec60870_asdu.causetx", "iec60870_asdu.addr", "iec60870_asdu.oa",
    "iec60870_asdu.numix", "iec60870_asdu.ioa",
)  # fmt: skip


def dissect(flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(CAPTURE), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect("--jsonl") == (DATA / "iec104-c104.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    assert dissect("--transactions") == (DATA / "iec104-c104.transactions.jsonl").read_bytes()


def _values(value: object) -> list[int]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [int(p, 0) for p in str(value).split(",") if p]


def test_every_field_agrees_with_wireshark_both_ways() -> None:
    ours: dict[int, dict[str, list[int]]] = collections.defaultdict(dict)
    for line in dissect("--jsonl").splitlines():
        record = json.loads(line)
        assert record["anomalies"] == []
        for name in COMPARED:
            if name in record["fields"]:
                ours[record["frame"]].setdefault(name, []).extend(_values(record["fields"][name]))
    rows = TRUTH.read_text().splitlines()
    header = rows[0].split("\t")
    frames = set()
    compared = 0
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        frame = int(cells["frame.number"])
        frames.add(frame)
        for name in COMPARED:
            theirs = collections.Counter(_values(cells[name]))
            compared += len(theirs)
            assert theirs == collections.Counter(ours[frame].get(name, [])), (frame, name)
    assert set(ours) == frames
    assert compared > 200


def test_the_session_covers_what_the_task_asks_for() -> None:
    kinds = {json.loads(line)["function_name"] for line in dissect("--transactions").splitlines()}
    assert {"C_IC_NA_1", "C_SC_NA_1", "C_SE_NC_1", "C_CS_NA_1", "M_ME_NC_1", "STARTDT"} <= kinds


def test_time_tags_are_recorded_as_the_fixed_time() -> None:
    clock = bytes.fromhex("681400000000670106002f00000000") + bytes(7)
    assert normalize_time(clock)[-7:] == FIXED_TIME
    assert normalize_time(bytes.fromhex("680407000000")) == bytes.fromhex("680407000000")


def test_output_is_deterministic() -> None:
    assert dissect("--jsonl") == dissect("--jsonl")

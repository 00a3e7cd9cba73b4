"""Golden outputs on the project's own BACnet/IP captures, and their agreement with
Wireshark 4.0 (the committed <stem>.wireshark.tsv files are tshark 4.0.17's dissection,
made by ../shared/tools/make_truth.sh).

- bacnet-bacpypes3.pcap: a bacpypes3 client and device (regenerate with
  `.venv/bin/python tests/protocols/bacnet/bacpypes_capture.py`);
- bacnet-services.pcap: hand-encoded datagrams for every BVLC function, routed NPDUs,
  network messages and the services the first one lacks (regenerate with
  `.venv/bin/python tests/protocols/bacnet/services_capture.py`).
Review the diff after regenerating.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
from pathlib import Path

import pytest

from protocols.bacnet.services_capture import write_capture as write_services
from tests_support import DATA, interlock_command

STEMS = ("bacnet-bacpypes3", "bacnet-services")
COMPARED = (
    "bvlc.function", "bacnet.control", "bacapp.type", "bacapp.confirmed_service",
    "bacapp.unconfirmed_service", "bacapp.invoke_id", "bacapp.objectType",
    "bacapp.instance_number", "bacapp.property_identifier",
)  # fmt: skip
_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")


def dissect(stem: str, flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(DATA / f"{stem}.pcap"), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


@pytest.mark.parametrize("stem", STEMS)
def test_dissect_jsonl_matches_the_golden_file(stem: str) -> None:
    assert dissect(stem, "--jsonl") == (DATA / f"{stem}.dissect.jsonl").read_bytes()


@pytest.mark.parametrize("stem", STEMS)
def test_transactions_match_the_golden_file(stem: str) -> None:
    assert dissect(stem, "--transactions") == (DATA / f"{stem}.transactions.jsonl").read_bytes()


def test_the_hand_built_capture_is_reproduced(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pcap"
    write_services(fresh)
    assert fresh.read_bytes() == (DATA / "bacnet-services.pcap").read_bytes()


def _values(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [int(p, 0) if _INT.match(p) else p for p in str(value).split(",") if p]


@pytest.mark.parametrize("stem", STEMS)
def test_every_field_agrees_with_wireshark_both_ways(stem: str) -> None:
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(dict)
    for line in dissect(stem, "--jsonl").splitlines():
        record = json.loads(line)
        for name in COMPARED:
            if name in record["fields"]:
                values = _values(record["fields"][name])
                ours[record["frame"]].setdefault(name, []).extend(values)
    rows = (DATA / f"{stem}.wireshark.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    frames = set()
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        frame = int(cells["frame.number"])
        frames.add(frame)
        for name in COMPARED:
            theirs = collections.Counter(_values(cells[name]))
            assert theirs == collections.Counter(ours[frame].get(name, [])), (frame, name)
    assert set(ours) <= frames  # no BACnet field where Wireshark sees no BACnet


@pytest.mark.parametrize("stem", STEMS)
def test_output_is_deterministic(stem: str) -> None:
    assert dissect(stem, "--jsonl") == dissect(stem, "--jsonl")
    assert dissect(stem, "--transactions") == dissect(stem, "--transactions")

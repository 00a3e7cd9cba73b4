"""Golden outputs on the project's own DNS capture (dnspython client and responder on
loopback, tests/protocols/dns/dnspython_capture.py), and agreement with Wireshark 4.0's
own dissection of it (tests/data/dns-dnspython.wireshark.tsv, from make_truth.sh dns).

Regenerate with `.venv/bin/python tests/protocols/dns/dnspython_capture.py`; review the diff.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
from pathlib import Path

from protocols.dns.dnspython_capture import CAPTURE, record, write_capture
from tests_support import DATA, interlock_command

STEM = "dns-dnspython"
_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")
SKIPPED = {"frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport"}  # fmt: skip


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
    write_capture(fresh, *record())
    assert fresh.read_bytes() == CAPTURE.read_bytes()


def _values(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [int(p, 0) if _INT.match(p) else p for p in str(value).split(",") if p]


def agreement(stem: str, proto: str) -> None:
    """Every truth column agrees on every truth frame, and no record where tshark has none."""
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )
    for line in dissect("--jsonl").splitlines():
        rec = json.loads(line)
        if rec["proto"] == proto:
            for key, value in rec["fields"].items():
                ours[rec["frame"]][key].extend(_values(value))
    rows = (DATA / f"{stem}.wireshark.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    frames = set()
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        frame = int(cells["frame.number"])
        frames.add(frame)
        for name, cell in cells.items():
            if name not in SKIPPED:
                assert collections.Counter(_values(cell)) == collections.Counter(
                    ours[frame].get(name, [])
                ), (frame, name)
    assert set(ours) == frames


def test_every_field_agrees_with_wireshark() -> None:
    agreement(STEM, "dns")


def test_mdns_is_reported_apart() -> None:
    records = [json.loads(line) for line in dissect("--jsonl").splitlines()]
    assert [r["proto"] for r in records if r["dport"] == 5353] == ["mdns"]

"""Golden-file checks shared by the remote-access protocols: the committed dissect and
transaction outputs, and field-by-field agreement with Wireshark 4.0's dissection of the
same capture (``<stem>.wireshark.tsv``, written by ``write_truth`` with tshark, in the
corpus truth format: one row per frame, repeated values joined by commas)."""

from __future__ import annotations

import collections
import json
import re
import subprocess
from pathlib import Path

from tests_support import interlock_command

_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")


def dissect(capture: Path, flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(capture), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


def write_truth(capture: Path, display_filter: str, fields: tuple[str, ...]) -> Path:
    """tshark's values for fields, per frame that display_filter matches."""
    out = capture.with_name(capture.name.removesuffix(".pcap") + ".wireshark.tsv")
    columns = [arg for name in ("frame.number", *fields) for arg in ("-e", name)]
    command = ["tshark", "-n", "-r", str(capture), "-Y", display_filter, "-T", "fields"]
    command += ["-E", "header=y", "-E", "separator=/t", "-E", "occurrence=a"]
    command += ["-E", "aggregator=,", *columns]
    result = subprocess.run(command, capture_output=True, check=True)
    out.write_bytes(result.stdout)
    return out


def _values(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    if isinstance(value, bool):
        return [int(value)]
    return [int(p, 0) if _INT.match(p) else p for p in str(value).split(",") if p]


def disagreements(capture: Path, proto: str, compared: tuple[str, ...]) -> list[str]:
    """Every (frame, field) where our records and Wireshark's truth differ, both ways."""
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(dict)
    for line in dissect(capture, "--jsonl").splitlines():
        record = json.loads(line)
        if record["proto"] != proto:
            continue
        for name in compared:
            if name in record["fields"]:
                ours[record["frame"]].setdefault(name, []).extend(_values(record["fields"][name]))
    truth = capture.with_name(capture.name.removesuffix(".pcap") + ".wireshark.tsv")
    rows = truth.read_text().splitlines()
    header = rows[0].split("\t")
    problems = []
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t"), strict=False))
        frame = int(cells["frame.number"])
        for name in compared:
            theirs = collections.Counter(_values(cells.get(name, "")))
            mine = collections.Counter(ours.get(frame, {}).get(name, []))
            if theirs != mine:
                problems.append(f"frame {frame} {name}: wireshark {theirs} ours {mine}")
    return problems

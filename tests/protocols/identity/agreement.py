"""Agreement of `interlock dissect` with tshark 4.0 on the identity protocols' fields.

Truth files are tshark's `-T fields` output (header row, tab separated, every occurrence
of a field joined with "|"), committed beside the captures: written by `truth()` when a
generator runs, read back by the tests without tshark.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from tests_support import interlock_command

AGGREGATOR = "|"
_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")


def truth(capture: Path, display_filter: str, fields: Sequence[str], out: Path) -> None:
    """Write tshark's dissection of capture (frames matching the filter) for fields."""
    command = ["tshark", "-n", "-r", str(capture), "-Y", display_filter, "-T", "fields"]
    command += ["-E", "header=y", "-E", "occurrence=a", "-E", f"aggregator={AGGREGATOR}"]
    command += [a for name in ("frame.number", *fields) for a in ("-e", name)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    out.write_text(done.stdout)


def dissect(capture: Path, *args: str) -> list[dict[str, object]]:
    command = [*interlock_command(), "dissect", str(capture), "--jsonl", *args]
    out = subprocess.run(command, capture_output=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def _normal(value: str) -> object:
    return int(value, 0) if _INT.match(value) else value


def _ours(value: object) -> list[object]:
    values = value if isinstance(value, list) else [value]
    return [_normal(str(v)) if not isinstance(v, bool) else int(v) for v in values]


def disagreements(
    records: Iterable[dict[str, object]], proto: str, truth_file: Path
) -> list[tuple[int, str, object, object]]:
    """(frame, field, tshark's values, ours) wherever the two differ, both ways."""
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(dict)
    for record in records:
        if record["proto"] != proto:
            continue
        fields = record["fields"]
        assert isinstance(fields, dict)
        frame = record["frame"]
        assert isinstance(frame, int)
        for name, value in fields.items():
            ours[frame].setdefault(name, []).extend(_ours(value))
    rows = truth_file.read_text().splitlines()
    header = rows[0].split("\t")
    frames: set[int] = set()
    found = []
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        frame = int(cells.pop("frame.number"))
        frames.add(frame)
        for name, cell in cells.items():
            theirs = collections.Counter(_normal(v) for v in cell.split(AGGREGATOR) if v)
            mine = collections.Counter(ours[frame].get(name, []))
            if theirs != mine:
                found.append(
                    (
                        frame,
                        name,
                        sorted(theirs.elements(), key=str),
                        sorted(mine.elements(), key=str),
                    )
                )
    found.extend((f, "<frame>", "absent", "present") for f in sorted(set(ours) - frames))
    return found

"""The four programs the dissect benchmark compares, and how to read each one's output.

Each peer is a command line over a capture plus a tally: a function that reads the
command's standard output (in the verification run only; timed runs write to /dev/null)
and counts Modbus units and, per contract field, how many values were given and their sum,
so the peers can be checked against each other cheaply.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

import orjson

BENCH: Final = Path(__file__).resolve().parent

# The Modbus fields of ../shared/spec/dissect.md, in tshark's -e order.
FIELDS: Final = (
    "mbtcp.trans_id",
    "mbtcp.unit_id",
    "modbus.func_code",
    "modbus.reference_num",
    "modbus.word_cnt",
    "modbus.bit_cnt",
    "modbus.exception_code",
    "modbus.request_frame",
)
_CONTEXT: Final = ("frame.number", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport")


@dataclass
class Tally:
    """Units found, and per field the number of values and their sum."""

    units: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    sums: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, values: Iterable[int]) -> None:
        for value in values:
            self.counts[name] += 1
            self.sums[name] += value


@dataclass(frozen=True)
class Peer:
    name: str
    argv: list[str]
    tally: Callable[[IO[bytes]], Tally]


def tally_jsonl(stream: IO[bytes]) -> Tally:
    """Records shaped as `interlock dissect --jsonl` writes them, one per unit."""
    tally = Tally()
    wanted = frozenset(FIELDS)
    for line in stream:
        tally.units += 1
        for name, value in orjson.loads(line)["fields"].items():
            if name in wanted:
                tally.add(name, value if isinstance(value, list) else [value])
    return tally


def tally_tshark(stream: IO[bytes]) -> Tally:
    """tshark -T fields: one line per frame; a field repeated in the frame is comma-joined."""
    tally = Tally()
    first = len(_CONTEXT)
    for line in stream:
        columns = line.rstrip(b"\n").split(b"\t")[first:]
        tally.units += len(columns[0].split(b",")) if columns[0] else 0
        for name, column in zip(FIELDS, columns):
            if column:
                tally.add(name, map(int, column.split(b",")))
    return tally


def tally_bare(stream: IO[bytes]) -> Tally:
    return Tally(units=int(json.loads(stream.read())["modbus_units"]))


def peers(capture: Path, interlock: list[str], tshark: str) -> list[Peer]:
    """The four peers over one capture, in the order the rounds alternate them.

    interlock is the command that runs `interlock` (see snapshot.py).
    """
    python = sys.executable
    fields = [arg for name in (*_CONTEXT, *FIELDS) for arg in ("-e", name)]
    return [
        Peer(
            "interlock",
            [*interlock, "dissect", str(capture), "--jsonl"],
            tally_jsonl,
        ),
        Peer(
            "tshark",
            [tshark, "-n", "-r", str(capture), "-Y", "mbtcp", "-T", "fields", *fields],
            tally_tshark,
        ),
        Peer(
            "dpkt",
            [python, str(BENCH / "dpkt_modbus.py"), str(capture)],
            tally_jsonl,
        ),
        Peer(
            "bare loop",
            [python, str(BENCH / "bare_loop.py"), str(capture)],
            tally_bare,
        ),
    ]


def run_tally(peer: Peer) -> Tally:
    """Run the peer once with its output piped into its tally (the verification run)."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(peer.argv, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        tally = peer.tally(proc.stdout)
        status = proc.wait()
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
    if status != 0:
        raise RuntimeError(f"{peer.name} exited with {status}: {tail}")
    return tally


def ensure_tool(command: str, package: str) -> str:
    """command's path, installing Debian's package first if it is missing: a benchmark
    that silently drops its peer tool compares against nothing."""
    found = shutil.which(command)
    if found:
        return found
    print(f"{command} is missing; installing {package} with apt-get", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env: dict[str, Any] = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", package], check=True, env=env)
    found = shutil.which(command)
    if not found:
        raise SystemExit(f"{command} is still not on PATH after apt-get install {package}")
    return found


def ensure_tshark() -> str:
    """tshark's path, installing Debian's package first if it is missing."""
    return ensure_tool("tshark", "tshark")


def tshark_version(tshark: str) -> str:
    out = subprocess.run([tshark, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0].strip()

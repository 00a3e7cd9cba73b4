"""Run one command and measure it: wall time and the peak resident set size of the process.

Peak RSS comes from GNU time (`/usr/bin/time -v`, "Maximum resident set size") when it is
installed, otherwise from the rusage that os.wait4 returns for that one child. Either way it
is the child's own peak (ru_maxrss, kibibytes on Linux), never the harness's. Standard
output goes to /dev/null; standard error is kept in a temporary file so a failure can be
shown.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Final

GNU_TIME: Final = "/usr/bin/time"
_MAX_RSS = re.compile(rb"Maximum resident set size \(kbytes\): (\d+)")
_EXIT = re.compile(rb"Exit status: (\d+)")


@dataclass(frozen=True)
class Sample:
    """One timed run: seconds of wall time, peak RSS in KiB, exit status, stderr tail."""

    wall: float
    max_rss_kib: int
    status: int
    stderr_tail: str

    @property
    def max_rss_mb(self) -> float:
        return self.max_rss_kib * 1024 / 1e6


def rss_method() -> str:
    """How peak RSS is measured on this machine, for the report."""
    if _has_gnu_time():
        return "GNU time -v (Maximum resident set size)"
    return "os.wait4 rusage (ru_maxrss of the child)"


def run_measured(argv: Sequence[str]) -> Sample:
    """Run argv with stdout to /dev/null; return its wall time and peak RSS."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as report:
        if _has_gnu_time():
            wall, status, rss = _run_gnu_time(argv, err, report.name)
        else:
            wall, status, rss = _run_wait4(argv, err)
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
    return Sample(wall, rss, status, tail)


def _has_gnu_time() -> bool:
    return os.access(GNU_TIME, os.X_OK)


def _run_gnu_time(argv: Sequence[str], err: IO[bytes], report: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    proc = subprocess.run(
        [GNU_TIME, "-v", "-o", report, *argv], stdout=subprocess.DEVNULL, stderr=err, check=False
    )
    wall = time.perf_counter() - start
    with open(report, "rb") as fh:
        text = fh.read()
    rss = _MAX_RSS.search(text)
    status = _EXIT.search(text)
    if rss is None:
        raise RuntimeError(f"GNU time gave no peak RSS for {argv[0]}: {text[-500:]!r}")
    return wall, int(status.group(1)) if status else proc.returncode, int(rss.group(1))


def _run_wait4(argv: Sequence[str], err: IO[bytes]) -> tuple[float, int, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
    _, wait_status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(wait_status)
    return wall, proc.returncode, usage.ru_maxrss

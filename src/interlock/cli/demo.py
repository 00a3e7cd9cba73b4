"""`interlock demo` and `interlock sample`: captures the project makes itself."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import typer

from interlock import dissect as job
from interlock.capture import open_capture
from interlock.cli.output import print_health, print_summary
from interlock.sim.modbus_session import record_session, write_capture
from interlock.summary import Summary
from interlock.transactions import TransactionSink


def _record() -> list[tuple[int, bytes]]:
    # pymodbus announces its own deprecations on stdout; they are not ours to show.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return record_session()


def run_demo(out: Path) -> None:
    """Record a real pymodbus client/server session on loopback, then dissect and summarize it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    chunks = _record()
    frames = write_capture(out, chunks)
    typer.echo(
        f"recorded a pymodbus session on 127.0.0.1: {len(chunks)} messages, {frames} frames -> {out}"
    )
    typer.echo(f"dissecting it (same as: interlock dissect {out})\n")
    summary = Summary()
    sink = TransactionSink(summary.add)
    result = job.run(open_capture(out), sink, {})
    print_summary(summary)
    print_health(result.health, sys.stdout)
    typer.echo(f"\nnext: interlock dissect {out} --jsonl   (Wireshark-shaped records)")
    typer.echo(f"      interlock dissect {out} --transactions   (the engine's transactions)")


def run_sample(out: Path, sessions: int) -> None:
    """Write a capture of a recorded pymodbus session, replicated sessions times."""
    out.parent.mkdir(parents=True, exist_ok=True)
    chunks = _record()

    def progress(frames: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{frames:,} frames")

    frames = write_capture(out, chunks, sessions, progress)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    typer.echo(f"{frames:,} frames, {sessions:,} sessions -> {out}")

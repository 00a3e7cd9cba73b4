"""`interlock dissect`: the packet engine on a capture file or a live interface."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.model import Transaction
    from interlock.render.dissect import Output


def dissect(
    capture: Annotated[
        str | None, typer.Argument(help="pcap or pcapng file (format from its magic number).")
    ] = None,
    iface: Annotated[
        str | None,
        typer.Option("--iface", help="Capture live from this interface instead (passive)."),
    ] = None,
    proto: Annotated[
        list[str] | None, typer.Option("--proto", help="Only this protocol (repeatable).")
    ] = None,
    decode_as: Annotated[
        list[str] | None, typer.Option("--decode-as", help="Force PORT=NAME, like Wireshark's -d.")
    ] = None,
    jsonl: Annotated[
        bool,
        typer.Option("--jsonl", help="One JSON object per unit, per ../shared/spec/dissect.md."),
    ] = False,
    transactions: Annotated[
        bool,
        typer.Option(
            "--transactions", help="One JSON object per transaction (the engine's model)."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The summary and capture health as one JSON document.")
    ] = False,
    count: Annotated[
        int, typer.Option("--count", help="Live: stop after this many frames (0: never).")
    ] = 0,
    duration: Annotated[
        float, typer.Option("--duration", help="Live: stop after this many seconds (0: never).")
    ] = 0.0,
    live_source: Annotated[
        str,
        typer.Option(
            "--live-source",
            help="Live: auto (tcpdump when installed, measured cheaper), tcpdump or socket.",
        ),
    ] = "auto",
) -> None:
    """Dissect industrial protocols in a capture, passively."""
    # Imported here, not at the top: every other command would pay for every protocol.
    from interlock import dissect as job
    from interlock.capture import open_capture
    from interlock.capture.live import LiveCapture, open_live
    from interlock.cli.output import print_health, print_summary
    from interlock.render.dissect import JsonlSink, open_output
    from interlock.summary import Summary
    from interlock.transactions import TransactionSink

    if (capture is None) == (iface is None):
        raise UsageError("give a capture file or --iface, not both and not neither")
    if sum((jsonl, transactions, as_json)) > 1:
        raise UsageError("choose one of --jsonl, --transactions and --json")
    mapping = job.parse_decode_as(decode_as or [])
    wanted = job.check_protocols(proto or [])
    frames = (
        open_live(iface, count, duration, live_source) if iface else open_capture(capture or "")
    )
    sys.stdout.flush()
    out: Output = open_output(sys.stdout.fileno())
    if iface:
        out = _FlushingOutput(out)  # a live reader wants records as they happen
    summary = Summary()
    sink: Any
    if jsonl:
        sink = JsonlSink(out, wanted, job.server_ports(mapping))
    else:
        emit = _transaction_writer(out, wanted) if transactions else summary.add
        sink = TransactionSink(emit)
    progress = (
        _progress() if not (jsonl or transactions or as_json) and sys.stderr.isatty() else None
    )
    result = job.run(frames, sink, mapping, progress)
    if isinstance(frames, LiveCapture):
        frames.close()
        result.health.kernel_drops = frames.dropped
        if frames.dropped:
            print(
                f"interlock: {iface}: the kernel dropped {frames.dropped:,} frames", file=sys.stderr
            )
    if transactions or jsonl:
        if isinstance(sink, JsonlSink):
            sink.flush()
        out.flush()
        # Machine output keeps stderr to errors alone (one line for a damaged file); a
        # person at a terminal still gets the capture-health line.
        if sys.stderr.isatty():
            print_health(result.health, sys.stderr)
    elif as_json:
        doc = {"summary": summary.as_dict(), "health": result.health.as_dict()}
        out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        out.flush()
    else:
        if progress is not None:
            sys.stderr.write("\n")
        print_summary(summary)
        print_health(result.health, sys.stdout)
    if result.error is not None:
        print(f"interlock: {result.error}", file=sys.stderr)
        raise typer.Exit(2)


class _FlushingOutput:
    """A buffered output flushed at least every FLUSH_SECONDS while records arrive."""

    FLUSH_SECONDS = 0.2

    def __init__(self, out: Output) -> None:
        self.out = out
        self.last = time.monotonic()

    def write(self, data: bytes) -> int:
        written = self.out.write(data)
        now = time.monotonic()
        if now - self.last >= self.FLUSH_SECONDS:
            self.out.flush()
            self.last = now
        return written

    def flush(self) -> None:
        self.out.flush()


def _transaction_writer(out: Output, wanted: list[str]) -> Callable[[Transaction], None]:
    from interlock.render.transactions import transaction_record

    def emit(tx: Transaction) -> None:
        if not wanted or tx.protocol in wanted:
            out.write(orjson.dumps(transaction_record(tx), option=orjson.OPT_APPEND_NEWLINE))

    return emit


def _progress() -> Any:
    start = time.monotonic()

    def report(frames: int) -> None:
        rate = frames / max(time.monotonic() - start, 1e-9)
        sys.stderr.write(f"\r{frames:,} frames  {rate:,.0f} frames/s ")
        sys.stderr.flush()

    return report

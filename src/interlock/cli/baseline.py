"""`interlock baseline learn|show|check|compare`: a learned baseline of the network, kept
as a reviewable YAML file. The format and the JSON shapes: docs/detect-baseline.md."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from interlock.errors import UsageError
from interlock.text_files import read_text_file

if TYPE_CHECKING:
    from interlock.detect.baseline import Baseline
    from interlock.detect.baseline.captures import Deviations, Learned

app = typer.Typer(
    help="Learn who talks to whom (functions, addresses, values, rates) into a reviewable "
    "YAML baseline, check it, and compare captures with it.",
    no_args_is_help=True,
)

BaselineFile = Annotated[
    Path, typer.Argument(help="Baseline file (YAML, docs/detect-baseline.md).")
]
Captures = Annotated[list[Path], typer.Argument(help="pcap or pcapng files.")]
JsonOption = Annotated[
    bool, typer.Option("--json", help="One JSON document (see docs/detect-baseline.md).")
]
DecodeAs = Annotated[
    list[str] | None, typer.Option("--decode-as", help="Force PORT=NAME, like Wireshark's -d.")
]


@app.command("learn")
def learn(
    captures: Captures,
    out: Annotated[Path, typer.Option("-o", "--out", help="Baseline file to write.")],
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Merge into the existing file, keeping manual edits and exclusions."
        ),
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite an existing file (its edits are lost).")
    ] = False,
    period_start: Annotated[
        str | None, typer.Option("--period-start", help="Learn from this capture time (ISO 8601).")
    ] = None,
    period_end: Annotated[
        str | None, typer.Option("--period-end", help="Learn up to this capture time (ISO 8601).")
    ] = None,
    margin: Annotated[
        float | None,
        typer.Option(
            "--margin",
            min=0,
            max=1000,
            help="Widen learned value ranges by this "
            "percent of their span (default 0, or the file's).",
        ),
    ] = None,
    rate_factor: Annotated[
        float | None,
        typer.Option(
            "--rate-factor",
            min=1,
            help="A minute deviates beyond max x factor or "
            "below min / factor (default 3, or the file's).",
        ),
    ] = None,
    decode_as: DecodeAs = None,
    as_json: JsonOption = False,
) -> None:
    """Learn a baseline from captures into a YAML file (re-learn with --update)."""
    from dataclasses import replace as with_changes

    from interlock import dissect as job
    from interlock.capture import open_capture
    from interlock.detect.baseline import Baseline, Learner, load_baseline
    from interlock.detect.baseline.captures import (
        Learned,
        already_learned,
        learn_frames,
        sha256_of,
    )

    mapping = job.parse_decode_as(decode_as or [])
    start, end = _period(period_start, "--period-start"), _period(period_end, "--period-end")
    if start is not None and end is not None and start > end:
        raise UsageError("--period-start is after --period-end")
    missing = [str(c) for c in captures if not c.is_file()]
    if missing:
        raise UsageError(f"no such capture file: {', '.join(missing)}")
    if update and replace:
        raise UsageError("--update and --replace exclude each other")
    if out.exists() and not (update or replace):
        raise UsageError(f"{out} exists: --update merges into it, --replace overwrites it")
    baseline = load_baseline(out) if update and out.exists() else Baseline()
    if margin is not None:
        baseline.settings = with_changes(baseline.settings, margin_pct=margin)
    if rate_factor is not None:
        baseline.settings = with_changes(baseline.settings, rate_factor=rate_factor)
    learner = Learner(baseline, start, end)
    outcomes: list[Learned] = []
    for capture in captures:
        digest = sha256_of(capture)
        if already_learned(baseline, digest):
            outcomes.append(Learned(capture.name, digest, True))
            continue
        with _Progress(capture.name, as_json) as report:
            outcome = learn_frames(
                learner, open_capture(capture), capture.name, digest, mapping, report
            )
        outcomes.append(outcome)
    learner.finish()
    learned = any(o.record is not None for o in outcomes)
    written = learned or (out.exists() and (margin is not None or rate_factor is not None))
    if written:
        _write(out, baseline)  # else every capture failed or was known: the file stays as is
    _report_learned(out if written else None, baseline, outcomes, as_json)
    if any(o.error is not None for o in outcomes):
        raise typer.Exit(2)


@app.command("show")
def show(baseline_file: BaselineFile, as_json: JsonOption = False) -> None:
    """Summarize a baseline: learning periods, talkers, points, values, rates, exclusions."""
    from interlock.detect.baseline import load_baseline, to_json

    baseline = load_baseline(baseline_file)
    if as_json:
        _print_json({"file": str(baseline_file), **to_json(baseline), "counts": _counts(baseline)})
        return
    _print_baseline(baseline)


@app.command("check")
def check(baseline_file: BaselineFile, as_json: JsonOption = False) -> None:
    """Validate a baseline file; every error is printed as FILE:LINE: message (exit 2)."""
    from interlock.detect.baseline import parse_baseline

    text = read_text_file(baseline_file, "baseline file")
    result = parse_baseline(text, str(baseline_file))
    if isinstance(result, list):
        if as_json:
            errors = [{"file": e.source, "line": e.line, "message": e.message} for e in result]
            _print_json({"file": str(baseline_file), "valid": False, "errors": errors})
        for error in result:
            print(error, file=sys.stderr)
        raise typer.Exit(2)
    counts = _counts(result)
    if as_json:
        _print_json({"file": str(baseline_file), "valid": True, "errors": [], "counts": counts})
        return
    what = ", ".join(f"{n} {k}" for k, n in counts.items())
    print(f"{baseline_file}: valid: {what}")


@app.command("compare")
def compare(
    baseline_file: BaselineFile,
    captures: Captures,
    decode_as: DecodeAs = None,
    as_json: JsonOption = False,
    fail_on_deviations: Annotated[
        bool, typer.Option("--fail-on-deviations", help="Exit 1 when anything deviates.")
    ] = False,
) -> None:
    """Compare captures with a baseline: the deviations alone, without a store (`interlock
    detect --baseline` runs them with every other rule)."""
    from interlock import dissect as job
    from interlock.capture import open_capture
    from interlock.detect.baseline import load_baseline
    from interlock.detect.baseline.captures import Deviations, compare_frames, sha256_of

    mapping = job.parse_decode_as(decode_as or [])
    missing = [str(c) for c in captures if not c.is_file()]
    if missing:
        raise UsageError(f"no such capture file: {', '.join(missing)}")
    baseline = load_baseline(baseline_file)
    deviations = Deviations()
    done: list[dict[str, Any]] = []
    for capture in captures:
        digest = sha256_of(capture)
        with _Progress(capture.name, as_json) as report:
            result = compare_frames(
                baseline, open_capture(capture), digest, deviations, mapping, report
            )
        error = str(result.error) if result.error is not None else None
        done.append({"name": capture.name, "sha256": digest, "error": error})
        if error is not None:
            print(f"interlock: {error}", file=sys.stderr)
    doc = _deviations_document(str(baseline_file), done, deviations)
    if as_json:
        _print_json(doc)
    else:
        _print_deviations(doc)
    if any(c["error"] for c in done):
        raise typer.Exit(2)
    if fail_on_deviations and doc["total"]:
        raise typer.Exit(1)


def _period(text: str | None, option: str) -> float | None:
    from interlock.detect.baseline.text import parse_iso

    if text is None:
        return None
    try:
        return parse_iso(text)
    except ValueError:
        raise UsageError(
            f"{option} {text!r}: expected a time such as 2026-01-01T00:00:00Z"
        ) from None


def _write(out: Path, baseline: Baseline) -> None:
    """Replace the file in one step: a reader never sees half a baseline."""
    from interlock.detect.baseline import to_yaml

    text = to_yaml(baseline)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _counts(baseline: Baseline) -> dict[str, int]:
    return {
        "captures": len(baseline.captures),
        "talkers": len(baseline.talkers),
        "points": len(baseline.points),
        "values": baseline.value_count(),
        "rates": sum(
            1 for rs in baseline.rates.values() for r in rs.values() if r.windows or r.manual
        ),
        "exclusions": len(baseline.exclusions),
    }


def _report_learned(
    out: Path | None, baseline: Baseline, outcomes: list[Learned], as_json: bool
) -> None:
    """out: the file written, None when nothing new was learned and nothing was written."""
    from interlock.detect.baseline.text import iso

    if as_json:
        captures = []
        for o in outcomes:
            r = o.record
            captures.append({
                "name": o.name, "sha256": o.sha256, "skipped": o.skipped,
                "transactions": r.transactions if r else 0, "learned": r.learned if r else 0,
                "first_seen": iso(r.first_seen) if r and r.first_seen is not None else None,
                "last_seen": iso(r.last_seen) if r and r.last_seen is not None else None,
                "error": str(o.error) if o.error is not None else None,
            })  # fmt: skip
        _print_json({"file": None if out is None else str(out), "captures": captures, "counts": _counts(baseline),
                     "dropped": dict(sorted(baseline.dropped.items()))})  # fmt: skip
        return
    for o in outcomes:
        if o.skipped:
            print(f"{o.name}: already in the baseline; skipped")
        elif o.record is not None:
            print(
                f"{o.name}: learned {o.record.learned:,} of {o.record.transactions:,} transactions"
            )
        if o.error is not None:
            print(f"interlock: {o.error}", file=sys.stderr)
    what = ", ".join(f"{n:,} {k}" for k, n in _counts(baseline).items())
    print(f"baseline: {what} -> {out}" if out else "nothing new learned; no file written")
    if baseline.dropped:
        full = ", ".join(f"{k} {n:,}" for k, n in sorted(baseline.dropped.items()))
        print(f"interlock: some tables were full and kept their first entries; left out: "
              f"{full} (see docs/detect-baseline.md#limits)", file=sys.stderr)  # fmt: skip


def _print_baseline(baseline: Baseline) -> None:
    from interlock.detect.baseline.text import iso, ranges_text

    console = Console()
    periods = ", ".join(f"{iso(a)} to {iso(b)}" for a, b in baseline.periods()) or "none"
    console.print(f"learning periods: {periods}")
    s = baseline.settings
    console.print(f"settings: margin {s.margin_pct:g}%, rate factor {s.rate_factor:g}")
    talkers = Table("client", "server", "protocol", "count", "functions", title="talkers",
                    title_justify="left")  # fmt: skip
    for t in baseline.talkers.values():
        names = ", ".join(f.label() for f in t.functions)
        talkers.add_row(t.client, t.server, t.protocol, f"{t.count:,}", names)
    console.print(talkers)
    points = Table("server", "protocol", "unit", "space", "access", "ranges", title="points",
                   title_justify="left")  # fmt: skip
    for p in baseline.points.values():
        points.add_row(p.server, p.protocol, str(p.unit), p.space, p.access, ranges_text(p.ranges))
    console.print(points)
    console.print(
        f"{baseline.value_count():,} points with value ranges in {len(baseline.values):,} spaces; "
        f"{_counts(baseline)['rates']:,} rates; {len(baseline.exclusions)} exclusions"
    )
    for e in baseline.exclusions:
        console.print(f"  exclusion {e.id}: {e.reason or ''}")


def _deviations_document(
    baseline: str, captures: list[dict[str, Any]], deviations: Deviations
) -> dict[str, Any]:
    from interlock.detect.baseline.text import iso

    found = []
    for d in sorted(deviations.found.values(), key=lambda d: (d.first.ts, d.first.frame)):
        hit = d.first
        found.append({
            "rule": hit.rule.id, "title": hit.rule.title, "severity": hit.rule.severity,
            "techniques": list(hit.rule.techniques), "outcome": hit.outcome,
            "protocol": hit.protocol,
            "src": {"ip": hit.src.ip, "port": hit.src.port},
            "dst": {"ip": hit.dst.ip, "port": hit.dst.port},
            "first_seen": hit.ts, "last_seen": d.last_seen, "count": d.count,
            "first": iso(hit.ts),
            "evidence": [{"capture": d.capture, "frame": hit.frame}],
            "message": hit.message, "details": hit.details,
        })  # fmt: skip
    return {"baseline": baseline, "captures": captures, "deviations": found,
            "total": deviations.total(), "not_listed": deviations.overflow}  # fmt: skip


def _print_deviations(doc: dict[str, Any]) -> None:
    """One deviation per line: when, rule, severity, techniques, how many, what happened."""
    print(f"{doc['total']:,} deviations from {doc['baseline']}")
    for d in doc["deviations"]:
        techniques = ",".join(d["techniques"]) or "-"
        rule = d["rule"].removeprefix("baseline.")
        print(f"{d['first']}  {rule}  {d['severity']}  {techniques}  x{d['count']:,}  "
              f"{d['outcome']}  {d['message']}")  # fmt: skip
    if doc["not_listed"]:
        print(f"... and {doc['not_listed']:,} more not listed (too many distinct deviations)")


def _print_json(doc: Any) -> None:
    sys.stdout.buffer.write(
        orjson.dumps(
            doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
        )
    )
    sys.stdout.flush()


class _Progress:
    """Frames and frames/s on stderr for a person at a terminal; silent otherwise."""

    def __init__(self, name: str, quiet: bool) -> None:
        self.name = name
        self.live = not quiet and sys.stderr.isatty()
        self.start = time.monotonic()

    def __enter__(self) -> Any:
        if not self.live:
            return None

        def report(frames: int) -> None:
            rate = frames / max(time.monotonic() - self.start, 1e-9)
            sys.stderr.write(f"\r{self.name}: {frames:,} frames  {rate:,.0f} frames/s")
            sys.stderr.flush()

        return report

    def __exit__(self, *exc: object) -> None:
        if self.live:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

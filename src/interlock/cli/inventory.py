"""`interlock analyze`, `assets`, `asset`, `flows` and `changes`: the inventory commands."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interlock.cli.detect import BaselineOption
from interlock.cli.export_options import SyslogOption
from interlock.cli.output import print_health
from interlock.errors import UsageError
from interlock.gc_pause import paused_gc
from interlock.render.inventory import asset_record, assets_document, change_record, flow_record

if TYPE_CHECKING:
    from interlock.analyze import CaptureOutcome

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Inventory store (default: $INTERLOCK_DB or ~/.local/share/interlock/inventory.db).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="One JSON document (see docs/inventory.md).")
]


def _print_json(doc: Any) -> None:
    sys.stdout.buffer.write(
        orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )
    sys.stdout.flush()


def analyze(
    captures: Annotated[list[Path] | None, typer.Argument(help="pcap or pcapng files.")] = None,
    iface: Annotated[
        str | None, typer.Option("--iface", help="Analyze live traffic (passive).")
    ] = None,
    db: DbOption = None,
    site: Annotated[
        str, typer.Option("--site", help="Site name recorded with the evidence.")
    ] = "default",
    decode_as: Annotated[
        list[str] | None, typer.Option("--decode-as", help="Force PORT=NAME, like Wireshark's -d.")
    ] = None,
    count: Annotated[int, typer.Option("--count", help="Live: stop after this many frames.")] = 0,
    duration: Annotated[
        float, typer.Option("--duration", help="Live: stop after this many seconds.")
    ] = 0.0,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="A rule pack or directory, added to the shipped rules."),
    ] = None,
    no_detect: Annotated[
        bool, typer.Option("--no-detect", help="Build the inventory only: run no detection.")
    ] = False,
    zones: Annotated[
        Path | None,
        typer.Option("--zones", help="Zones file (docs/inventory-zones.md) for detection."),
    ] = None,
    as_json: JsonOption = False,
    syslog: SyslogOption = None,
    baseline: BaselineOption = None,
) -> None:
    """Build the asset inventory from captures (or a live interface) into the store, and
    run detection on them (alerts: `interlock alerts`; --syslog also streams them)."""
    # Imported here: the views (assets, flows...) need none of the protocols.
    from interlock import dissect as job
    from interlock.analyze import CaptureOutcome, DetectionSetup, analyze_frames, sha256_of
    from interlock.capture import open_capture
    from interlock.capture.live import LiveCapture, open_live
    from interlock.store import repository
    from interlock.store.schema import default_path, open_store

    if not captures and iface is None:
        raise UsageError("give one or more capture files, or --iface")
    if no_detect and (rules, zones, syslog, baseline) != (None, None, None, None):
        raise UsageError(
            "--no-detect runs no rules: drop --rules, --zones, --baseline and --syslog, "
            "or --no-detect"
        )
    if syslog is not None:
        from interlock.detect.export import parse_syslog_url

        parse_syslog_url(syslog)  # a bad URL is refused before any capture is read
    mapping = job.parse_decode_as(decode_as or [])
    path = db or default_path()
    detection = None
    if not no_detect:
        from interlock.cli.detect import load_baseline_file, load_rule_set, load_zones

        detection = DetectionSetup(
            load_rule_set(rules), load_zones(zones, as_json), (), load_baseline_file(baseline)
        )
    store = open_store(path)
    if detection is not None:
        from interlock.store.alerts import suppressions

        detection = DetectionSetup(
            detection.rules, detection.zones, tuple(suppressions(store)), detection.baseline
        )
    outcomes: list[CaptureOutcome] = []
    failed = False
    for capture in captures or []:
        if not capture.is_file():
            print(f"interlock: {capture}: no such file", file=sys.stderr)
            failed = True
            continue
        digest = sha256_of(capture)
        if repository.analyzed(store, digest, site):
            outcomes.append(CaptureOutcome(str(capture), digest, True))
            continue
        with _progress(capture.name, capture.stat().st_size, as_json) as report:
            outcome = analyze_frames(
                store, open_capture(capture), str(capture), digest, site, mapping, report,
                detection,
            )  # fmt: skip
        outcomes.append(outcome)
        if outcome.error is not None:
            print(f"interlock: {outcome.error}", file=sys.stderr)
            failed = True
    if iface is not None:
        frames = open_live(iface, count, duration, "auto")
        name = f"live:{iface}:{time.time():.0f}"
        with _progress(iface, 0, as_json) as report:
            outcome = analyze_frames(
                store, frames, name, name, site, mapping, report, detection, live=True
            )
        if isinstance(frames, LiveCapture):
            frames.close()
            if outcome.health is not None:
                outcome.health.kernel_drops = frames.dropped
        outcomes.append(outcome)
    if as_json:
        for o in outcomes:
            if not o.skipped:
                o.changes = repository.changes(store, capture=(o.sha256, site))
    _report(outcomes, inventory_size=repository.asset_count(store), path=path, as_json=as_json)
    if syslog is not None:
        from interlock.cli.export_options import forward_alerts

        raised = [a for o in outcomes if o.detection is not None for a in o.detection.alerts]
        if forward_alerts(raised, syslog).problem():
            failed = True
    if failed:
        raise typer.Exit(2)


class _progress:
    """A progress bar with frames/s on stderr for a person at a terminal; silent otherwise."""

    def __init__(self, name: str, size: int, quiet: bool) -> None:
        self.bar: Progress | None = None
        if not quiet and sys.stderr.isatty():
            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(), console=Console(stderr=True), transient=True,
            )  # fmt: skip
        self.name = name
        self.start = time.monotonic()

    def __enter__(self) -> Any:
        if self.bar is None:
            return None
        self.bar.start()
        task = self.bar.add_task(self.name, total=None, rate="")

        def report(frames: int) -> None:
            rate = frames / max(time.monotonic() - self.start, 1e-9)
            assert self.bar is not None
            self.bar.update(task, rate=f"{frames:,} frames  {rate:,.0f} frames/s")

        return report

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _report(outcomes: list[CaptureOutcome], inventory_size: int, path: Path, as_json: bool) -> None:
    if as_json:
        _print_json(
            {
                "store": str(path),
                "assets": inventory_size,
                "captures": [
                    {
                        "name": o.name,
                        "sha256": o.sha256,
                        "skipped": o.skipped,
                        "changes": [change_record(c) for c in o.changes],
                        "health": o.health.as_dict() if o.health else None,
                        "error": str(o.error) if o.error else None,
                        "alerts": len(o.detection.pending) if o.detection else None,
                        "detection": detection_record(o),
                    }
                    for o in outcomes
                ],
            }
        )
        return
    for o in outcomes:
        if o.skipped:
            print(f"{o.name}: already in the store for this site; skipped")
            continue
        kinds = o.change_counts
        what = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "no changes"
        print(f"{o.name}: {what}")
        if o.detection is not None:
            print(detection_line(o))
        if o.health is not None:
            print_health(o.health, sys.stdout)
    print(f"inventory: {inventory_size} assets in {path}")


def detection_record(o: CaptureOutcome) -> dict[str, Any] | None:
    found = o.detection
    if found is None:
        return None
    return {
        "hits": found.hits,
        "alerts": len(found.pending),
        "by_severity": found.by_severity(),
        "suppressed_hits": found.suppressed,
        "suppressions": {str(k): v.hits for k, v in found.swallowed.items()},
        "over_limit": found.over_limit,
    }


def detection_line(o: CaptureOutcome) -> str:
    record = detection_record(o)
    assert record is not None
    order = ("critical", "high", "medium", "low")
    severities = ", ".join(
        f"{record['by_severity'][s]} {s}" for s in order if s in record["by_severity"]
    )
    line = f"  alerts: {record['alerts']}" + (f" ({severities})" if severities else "")
    if record["suppressed_hits"]:
        per = ", ".join(f"suppression {k}: {v}" for k, v in record["suppressions"].items())
        line += f"; {record['suppressed_hits']} hits suppressed ({per})"
    for rule, hits in record["over_limit"].items():
        line += f"; {hits} hits of {rule} over the alert limit, not kept"
    return line


def assets(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the assets in the store."""
    from interlock.store.reader import load_assets
    from interlock.store.schema import default_path

    inventory = load_assets(db or default_path())
    if as_json:
        with paused_gc():
            _print_json(assets_document(inventory))
        return
    table = Table("id", "addresses", "identity", "roles", "purdue", "protocols", "children")
    for asset in sorted(inventory.top_level(), key=lambda a: a.id):
        rec = asset_record(asset, inventory)
        identity = "; ".join(
            f"{k}={v[0]['value']}" for k, v in rec["identity"].items() if k in _SHOWN
        )
        table.add_row(
            str(asset.id),
            "\n".join(rec["addresses"]),
            identity,
            ", ".join(r["role"] for r in rec["roles"]),
            "" if asset.purdue_level is None else f"{asset.purdue_level:g}",
            ", ".join(sorted({f"{p['proto']}/{p['side']}" for p in rec["protocols"]})),
            str(len(rec["children"])) if rec["children"] else "",
        )
    Console().print(table)


_SHOWN = ("vendor", "product", "product_code", "firmware", "serial", "name", "nic_vendor")


def asset(
    asset_id: Annotated[int, typer.Argument(help="Asset id (from `interlock assets`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything the store knows about one asset, with evidence."""
    from interlock.store.reader import load_assets
    from interlock.store.schema import default_path

    inventory = load_assets(db or default_path())
    found = inventory.assets.get(asset_id)
    if found is None:
        raise UsageError(f"no asset {asset_id} in the store")
    rec = asset_record(found, inventory)
    if as_json:
        _print_json(rec)
        return
    console = Console()
    console.print(f"[bold]asset {found.id}[/bold]  {', '.join(rec['addresses'])}")
    for role in rec["roles"]:
        console.print(f"  role {role['role']}: {role['reason']}")
    table = Table("attribute", "value", "source", "confidence", "evidence (capture, frame)")
    for attribute, values in rec["identity"].items():
        for v in values:
            ev = v["evidence"]
            table.add_row(
                attribute, v["value"], v["source"], f"{v['confidence']:.2f}",
                f"{ev['capture'][:12]} #{ev['frame']}",
            )  # fmt: skip
    console.print(table)
    for child in rec["children"]:
        console.print(f"  behind it: asset {child['id']} {child['kind']} {child['key']}")


def flows(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every flow seen, ICS or not: endpoints, service port, protocol, packets, bytes."""
    from interlock.store import repository
    from interlock.store.schema import default_path, open_store

    store = open_store(db or default_path(), create=False)
    inventory = repository.load(store)
    records = [flow_record(f) for f in sorted(inventory.flows.values(), key=lambda f: f.span.first)]
    if as_json:
        _print_json({"flows": records})
        return
    table = Table(
        "transport", "client", "server", "port", "proto", "packets", "bytes", "connections"
    )
    for r in records:
        table.add_row(
            r["transport"], r["client"], r["server"], str(r["server_port"]), r["proto"] or "",
            f"{r['packets']:,}", f"{r['bytes']:,}", f"{r['connections']:,}",
        )  # fmt: skip
    Console().print(table)


def changes(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only changes of this kind.")] = None,
    since: Annotated[
        float | None,
        typer.Option("--since", help="Only changes at or after this time (epoch seconds)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """What changed: new assets, identity changes, new pairs, protocols and remote access."""
    from interlock.store import repository
    from interlock.store.schema import default_path, open_store

    store = open_store(db or default_path(), create=False)
    records = [change_record(c) for c in repository.changes(store, since, kind)]
    if as_json:
        _print_json({"changes": records})
        return
    table = Table("time", "kind", "asset", "summary")
    for r in records:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(r["ts"]))
        table.add_row(when, r["kind"], str(r["asset_id"] or ""), r["summary"])
    Console().print(table)

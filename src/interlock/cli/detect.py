"""`interlock detect` (captures -> alerts, nothing stored) and `interlock alerts` (the
store's alerts). Shapes: docs/detect.md."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from interlock.cli.export_options import SyslogOption
from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.detect.alert import Alert, Severity
    from interlock.detect.baseline import Baseline
    from interlock.detect.ruleset import RuleSet
    from interlock.zones import ZoneModel

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Inventory store (default: $INTERLOCK_DB or ~/.local/share/interlock/inventory.db).",
    ),
]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        help="A rule pack, or a directory of packs, added to (or replacing) the shipped ones.",
    ),
]
ZonesOption = Annotated[
    Path | None, typer.Option("--zones", help="Zones file (docs/inventory-zones.md) for detectors.")
]
BaselineOption = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        help="A learned baseline (`interlock baseline learn`): deviations from it are alerts.",
    ),
]


def load_baseline_file(path: Path | None) -> Baseline | None:
    if path is None:
        return None
    from interlock.detect.baseline import load_baseline

    return load_baseline(path)


def load_rule_set(rules: Path | None) -> RuleSet:
    from interlock.detect.loader import load_rules

    return load_rules(rules)


def load_zones(path: Path | None, as_json: bool) -> ZoneModel | None:
    if path is None:
        return None
    from interlock.cli.zones import load_zones_file

    return load_zones_file(path, as_json)


def detect(
    captures: Annotated[list[Path], typer.Argument(help="pcap or pcapng files.")],
    rules: RulesOption = None,
    zones: ZonesOption = None,
    baseline: BaselineOption = None,
    site: Annotated[str, typer.Option("--site", help="Site name recorded in the alerts.")] = (
        "default"
    ),
    decode_as: Annotated[
        list[str] | None, typer.Option("--decode-as", help="Force PORT=NAME, like Wireshark's -d.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON document (see docs/detect.md).")
    ] = False,
) -> None:
    """Run the detection rules over captures and print the alerts; the store is not touched."""
    from interlock import dissect as job
    from interlock.analyze import sha256_of
    from interlock.capture import open_capture
    from interlock.detect.job import detect_frames

    mapping = job.parse_decode_as(decode_as or [])
    rule_set = load_rule_set(rules)
    model = load_zones(zones, as_json)
    learned = load_baseline_file(baseline)
    alerts: list[Alert] = []
    reports: list[dict[str, Any]] = []
    failed = False
    for capture in captures:
        if not capture.is_file():
            print(f"interlock: {capture}: no such file", file=sys.stderr)
            failed = True
            continue
        digest = sha256_of(capture)
        found, run = detect_frames(
            open_capture(capture), rule_set, digest, site, model, mapping, baseline=learned
        )
        if run.error is not None:
            print(f"interlock: {run.error}", file=sys.stderr)
            failed = True
        alerts += found.alerts
        reports.append(
            {
                "name": str(capture),
                "sha256": digest,
                "frames": run.health.frames,
                "hits": found.hits,
                "alerts": len(found.alerts),
                "over_limit": found.over_limit,
                "error": str(run.error) if run.error else None,
            }
        )
    if as_json:
        print_json(
            {
                "alerts": [a.as_contract() for a in alerts],
                "captures": reports,
                "rules": len(rule_set.enabled),
            }
        )
    else:
        print_alert_table(alerts)
        for report in reports:
            print(f"{report['name']}: {report['alerts']} alerts from {report['hits']} hits")
            for rule, hits in report["over_limit"].items():
                print(f"  {hits} hits of {rule} over the alert limit, not kept")
    if failed:
        raise typer.Exit(2)


def alerts(
    db: DbOption = None,
    output: Annotated[
        str,
        typer.Option("--format", help="table, json (docs/detect.md), or an export format."),
    ] = "table",
    severity: Annotated[
        str | None, typer.Option("--severity", help="Only alerts at least this severe.")
    ] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="Only alerts of this rule.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only alerts seen at or after this time (ISO 8601 or epoch)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Only alerts seen at or before this time (ISO 8601 or epoch)."
        ),
    ] = None,
    suppressed: Annotated[
        bool, typer.Option("--suppressed", help="Include alerts a suppression covers.")
    ] = False,
    syslog: SyslogOption = None,
) -> None:
    """The alerts in the store, oldest first; --syslog also streams them to a collector."""
    from interlock.detect.alert import SEVERITIES
    from interlock.detect.formats import render_alerts
    from interlock.store.alerts import load_alerts
    from interlock.store.schema import default_path, open_store

    wanted: Severity | None = None
    if severity is not None:
        wanted = next((s for s in SEVERITIES if s == severity.lower()), None)
        if wanted is None:
            raise UsageError(f"--severity {severity!r}: expected one of {', '.join(SEVERITIES)}")
    store = open_store(db or default_path(), create=False)
    found = load_alerts(
        store, wanted, rule, parse_time(since, "--since"), parse_time(until, "--until"), suppressed
    )
    if output == "table":
        print_alert_table(found)
    else:
        sys.stdout.buffer.write(render_alerts(output, found))
        sys.stdout.flush()
    if syslog is not None:
        from interlock.cli.export_options import forward_alerts

        stats = forward_alerts(found, syslog, output if output in ("ocsf", "cef", "ecs") else "cef")
        if stats.problem():
            raise typer.Exit(1)


def parse_time(text: str | None, option: str) -> float | None:
    """Epoch seconds from ISO 8601 (UTC when no offset is given) or a number."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} {text!r}: expected ISO 8601 (2026-05-01T12:00:00Z) or epoch seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def when(ts: float | None) -> str:
    if ts is None:
        return ""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts))


def print_alert_table(found: list[Alert]) -> None:
    table = Table(
        "first seen", "severity", "rule", "techniques", "outcome", "source", "destination",
        "count", title=f"{len(found):,} alerts", title_justify="left",
    )  # fmt: skip
    for alert in found:
        table.add_row(
            when(alert.first_seen), alert.severity, alert.rule, " ".join(alert.techniques),
            alert.outcome, _endpoint(alert.src.as_dict()), _endpoint(alert.dst.as_dict()),
            f"{alert.count:,}",
        )  # fmt: skip
    Console().print(table)


def _endpoint(endpoint: dict[str, Any]) -> str:
    port = f":{endpoint['port']}" if endpoint.get("port") is not None else ""
    asset = f" (asset {endpoint['id']})" if endpoint.get("id") is not None else ""
    return f"{endpoint['ip']}{port}{asset}"


def print_json(doc: Any) -> None:
    sys.stdout.buffer.write(
        orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )
    sys.stdout.flush()

"""`interlock zones validate` and `interlock zones check`: zones and conduits (IEC 62443-3-2)
over the inventory store. The format and the JSON shapes: docs/inventory-zones.md."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from interlock.inventory.model import Change
from interlock.text_files import read_text_file

if TYPE_CHECKING:
    from interlock.zones import Finding, ZoneModel

app = typer.Typer(
    help="Zones and conduits (IEC 62443-3-2): validate a zones file, check traffic against it.",
    no_args_is_help=True,
)

ZonesFile = Annotated[Path, typer.Argument(help="Zones file (YAML, docs/inventory-zones.md).")]
JsonOption = Annotated[
    bool, typer.Option("--json", help="One JSON document (see docs/inventory-zones.md).")
]
VIOLATION = "conduit_violation"


@app.command("validate")
def validate(zones_file: ZonesFile, as_json: JsonOption = False) -> None:
    """Check a zones file; every error is printed as FILE:LINE: message (exit 2)."""
    from interlock.render.zones import model_document

    model = load_zones_file(zones_file, as_json)
    if as_json:
        _print_json(model_document(model))
        return
    print(f"{zones_file}: valid: {len(model.zones)} zones, {len(model.conduits)} conduits")


@app.command("check")
def check_command(
    zones_file: ZonesFile,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Inventory store (default: $INTERLOCK_DB or ~/.local/share/interlock/inventory.db).",
        ),
    ] = None,
    as_json: JsonOption = False,
    record: Annotated[
        bool, typer.Option("--record", help=f"Store new findings as `{VIOLATION}` changes.")
    ] = False,
    fail_on_findings: Annotated[
        bool, typer.Option("--fail-on-findings", help="Exit 1 when there is any finding.")
    ] = False,
) -> None:
    """Put every asset in its zone and report the traffic no conduit allows."""
    from interlock.render.zones import check_document
    from interlock.store import repository
    from interlock.store.schema import default_path, open_store
    from interlock.zones import assign, check

    model = load_zones_file(zones_file, as_json)
    path = db or default_path()
    store = open_store(path, create=False)
    inventory = repository.load(store)
    assignment = assign(model, inventory)
    findings = check(model, inventory, assignment)
    doc = check_document(model, inventory, assignment, findings, str(path))
    if record:
        inventory.changes.extend(_new_changes(repository.changes(store, kind=VIOLATION), findings))
        doc["recorded"] = len(inventory.changes)
        repository.save(store, inventory)
    if as_json:
        _print_json(doc)
    else:
        _print_tables(doc)
    if fail_on_findings and findings:
        raise typer.Exit(1)


def load_zones_file(zones_file: Path, as_json: bool = False) -> ZoneModel:
    """The zones file's model; its errors (every one, FILE:LINE) end the command, exit 2."""
    from interlock.render.zones import errors_document
    from interlock.zones import ZoneModel, load_zones

    text = read_text_file(zones_file)
    result = load_zones(text, str(zones_file))
    if isinstance(result, ZoneModel):
        return result
    if as_json:
        _print_json(errors_document(str(zones_file), result))
    for error in result:
        print(error, file=sys.stderr)
    raise typer.Exit(2)


def _new_changes(known: list[Change], findings: list[Finding]) -> list[Change]:
    """One change per finding not recorded before (same endpoints, protocol, operation, why)."""
    from interlock.render.zones import finding_record

    seen = {_change_key(c.detail) for c in known}
    changes = []
    for finding in findings:
        detail = finding_record(finding)
        if _change_key(detail) in seen:
            continue
        seen.add(_change_key(detail))
        what = f"{finding.proto or 'unidentified'} {finding.operation or ''}".strip()
        summary = f"{finding.client.address} -> {finding.server.address} {what}: {finding.reason}"
        changes.append(
            Change(VIOLATION, finding.first_seen, finding.client.asset_id, summary, None, detail)
        )
    return changes


def _change_key(detail: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("kind", "proto", "operation", "transport", "server_port", "reason")
    parties = tuple(detail.get(side, {}).get("address") for side in ("client", "server"))
    return parties + tuple(detail.get(k) for k in keys)


def _print_json(doc: Any) -> None:
    sys.stdout.buffer.write(
        orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )
    sys.stdout.flush()


def _print_tables(doc: dict[str, Any]) -> None:
    console = Console()
    zones = Table("zone", "SL-T", "members", "assets", title="zones", title_justify="left")
    for z in doc["zones"]:
        m = z["members"]
        members = [*m["cidrs"], *(f"asset {i}" for i in m["assets"]), *m["macs"], *m["hostnames"]]
        level = z["security_level"]
        shown = (
            str(level) if isinstance(level, int) else " ".join(f"{k}{v}" for k, v in level.items())
        )
        zones.add_row(z["name"], shown, "\n".join(members), str(len(z["assets"])))
    console.print(zones)
    if doc["unassigned"] or doc["conflicts"]:
        loose = Table(
            "asset", "addresses", "problem", title="not in one zone", title_justify="left"
        )
        for a in doc["unassigned"]:
            loose.add_row(str(a["asset_id"]), ", ".join(a["addresses"]), "in no zone")
        for a in doc["conflicts"]:
            where = ", ".join(f"{p['zone']} by {p['by']} {p['match']}" for p in a["placements"])
            loose.add_row(str(a["asset_id"]), ", ".join(a["addresses"]), f"in several: {where}")
        console.print(loose)
    console.print(f"[bold]{len(doc['findings'])} findings[/bold]")
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for f in doc["findings"]:
        key = (f["client"]["zone"] or "-", f["server"]["zone"] or "-", f["reason"])
        groups.setdefault(key, []).append(f)
    for (client_zone, server_zone, reason), found in groups.items():
        table = Table(
            "client", "server", "proto", "operation", "count", "first seen", "last seen",
            title=f"{client_zone} -> {server_zone}: {reason}", title_justify="left",
        )  # fmt: skip
        for f in found:
            port = f":{f['server_port']}" if f["server_port"] else ""
            table.add_row(
                _endpoint(f["client"], ""), _endpoint(f["server"], port), f["proto"] or "?",
                f["operation"] or "", f"{f['count']:,}", _when(f["first_seen"]),
                _when(f["last_seen"]),
            )  # fmt: skip
        console.print(table)
    if "recorded" in doc:
        console.print(f"recorded {doc['recorded']} new {VIOLATION} changes")


def _endpoint(party: dict[str, Any], port: str) -> str:
    asset = f" (asset {party['asset_id']})" if party["asset_id"] is not None else ""
    return f"{party['address']}{port}{asset}"


def _when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts))

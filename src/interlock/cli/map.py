"""`interlock map`: the communication map of the inventory as JSON, Graphviz DOT or SVG."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer

from interlock.cli.zones import load_zones_file
from interlock.errors import UsageError
from interlock.map import ZoneOf, build_map, map_document, render_dot, render_svg


class MapFormat(StrEnum):
    json = "json"
    dot = "dot"
    svg = "svg"


def map_command(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Inventory store (default: $INTERLOCK_DB or ~/.local/share/interlock/inventory.db).",
        ),
    ] = None,
    output_format: Annotated[
        MapFormat, typer.Option("--format", help="json, dot (Graphviz text) or svg (drawn by dot).")
    ] = MapFormat.json,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
    zones: Annotated[
        Path | None,
        typer.Option("--zones", help="Zones file: group by zone instead of Purdue level."),
    ] = None,
    ics_only: Annotated[
        bool, typer.Option("--ics-only", help="Only operations over industrial protocols.")
    ] = False,
) -> None:
    """Who talks to whom, over what, doing what: the communication map (docs/inventory-map.md)."""
    from interlock.store import repository
    from interlock.store.schema import default_path, open_store
    from interlock.zones import assign  # only with --zones; it knows every protocol name

    model = load_zones_file(zones) if zones is not None else None
    inventory = repository.load(open_store(db or default_path(), create=False))
    zone_of: ZoneOf | None = None
    if model is not None:
        placed = assign(model, inventory)
        zone_of = lambda asset: placed.zone_of_asset(asset.id)  # noqa: E731
    graph = build_map(inventory, zone_of=zone_of, ics_only=ics_only)
    if output_format is MapFormat.json:
        data = orjson.dumps(
            map_document(graph), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        )
    elif output_format is MapFormat.dot:
        data = render_dot(graph).encode("utf-8")
    else:
        data = render_svg(render_dot(graph))
    _write(data, out)


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as err:
        raise UsageError(f"cannot write {out}: {err.strerror}") from None

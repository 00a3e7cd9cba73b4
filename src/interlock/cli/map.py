"""`interlock map`: the communication map of the inventory as JSON, Graphviz DOT or SVG."""

from __future__ import annotations

import importlib
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from interlock.errors import UsageError
from interlock.map import ZoneOf, build_map, map_document, render_dot, render_svg
from interlock.store import repository
from interlock.store.schema import default_path, open_store


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
    zone_of = _zone_callback(zones) if zones is not None else None
    store = open_store(db or default_path(), create=False)
    graph = build_map(repository.load(store), zone_of=zone_of, ics_only=ics_only)
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


def _zone_callback(path: Path) -> ZoneOf | None:
    """The zone of each asset from a zones file, through interlock.zones when this build has
    it (``load_zones(path)`` and ``zone_of(model, asset)``); else None: Purdue levels."""
    if not path.is_file():
        raise UsageError(f"{path}: no such zones file")
    try:
        zones: Any = importlib.import_module("interlock.zones")
        load_zones, zone_of = zones.load_zones, zones.zone_of
    except (ImportError, AttributeError):
        print(
            "interlock: --zones is not supported by this build yet; grouping by Purdue level",
            file=sys.stderr,
        )
        return None
    model = load_zones(path)

    def callback(asset: Any) -> str | None:
        zone = zone_of(model, asset)
        return None if zone is None else str(getattr(zone, "name", zone))

    return callback

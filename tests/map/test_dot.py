"""DOT output: valid Graphviz (dot must accept it), hostile device strings shown literally,
styling by operation class and role, and the 200-asset plant laid out."""

from __future__ import annotations

import re
import time

import pytest

from interlock.errors import UsageError
from interlock.inventory.model import Inventory
from interlock.map import MISSING_DOT, build_map, render_dot, render_svg
from interlock.map import graphviz as graphviz_module
from interlock.map.dot import EDGE_LABEL_LIMIT, clean, quote, tooltip
from map.plant import add_asset, add_edge, run_dot, synthetic_plant
from map.test_build import small_plant

HOSTILE = [
    'PLC "1"; } digraph evil { x -> y [label="pwned"]',
    "back\\slash \\N \\G \\l end\\",
    'line1\nline2\r\n\tlabel="x"\x00\x1b[31m',
    "<b>bold</b> <<TABLE>> &lt;script&gt; &amp; {record|<port>}",
    "\u202eevil\u200b \ud800 ünïcødé",
]


def hostile_inventory() -> Inventory:
    inv = Inventory()
    plcs = [
        add_asset(inv, f"10.0.1.{i + 1}", ("plc",), {"name": name})
        for i, name in enumerate(HOSTILE)
    ]
    hmi = add_asset(inv, "10.0.2.1", ("hmi",), {"vendor": HOSTILE[0], "product": HOSTILE[3]})
    add_asset(inv, None, (), {"name": HOSTILE[2]}, parent=plcs[0], child=("modbus_unit", '1"}'))
    for plc in plcs:
        add_edge(inv, hmi, plc, "modbus", "write", 1)
    return inv


def test_quote_escapes_everything_graphviz_would_interpret() -> None:
    assert quote('a"b') == '"a\\"b"'
    assert quote("a\\b") == '"a\\\\b"'
    assert quote("a\nb") == '"a b"'
    assert quote("&lt;") == '"&amp;lt;"'
    assert clean("a\x00b\u202ec\ud800") == "a?b?c?"
    assert tooltip("a\\N") == '"a∖N"'


def test_hostile_labels_render_literally() -> None:
    dot_text = render_dot(build_map(hostile_inventory()))
    svg = run_dot(dot_text).decode("utf-8")
    # One graph, six nodes, five edges: the device's text added no graph, node or edge.
    assert svg.count('class="node"') == 6 and svg.count('class="edge"') == 5
    assert svg.count('class="graph"') == 1 and "<title>evil</title>" not in svg
    assert "PLC &quot;1&quot;; } digraph evil" in svg
    assert "back\\slash \\N \\G \\l end\\" in svg
    assert "line1 line2 " in svg and "label=&quot;x&quot;??[31m" in svg
    assert "asset 2: back∖slash ∖N ∖G ∖l end∖" in svg  # the tooltip
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg and "&amp;lt;script&amp;gt;" in svg
    assert "<script" not in svg and "<b>" not in svg
    assert "?evil? ? ünïcødé" in svg


def test_dot_styles_edges_by_most_dangerous_operation() -> None:
    dot_text = render_dot(build_map(small_plant()))
    run_dot(dot_text)
    lines = dot_text.splitlines()

    def edge_line(client: str, server: str, protocol: str) -> str:
        return next(
            line
            for line in lines
            if line.startswith(f'  "{client}" -> "{server}"') and f'label="{protocol}' in line
        )

    program = edge_line("asset:4", "asset:2", "modbus")
    assert 'color="#c62828"' in program and 'style="bold"' in program
    write = edge_line("asset:1", "asset:2", "modbus")
    assert 'color="#ef6c00"' in write and "write 3 of 48" in write
    assert "read 45" in write  # every class in the tooltip
    rdp = edge_line("asset:4", "asset:1", "rdp")
    assert "dashed" in rdp
    assert "shape=box," in dot_text.split('"asset:2" [')[1].split("\n")[0]
    assert "shape=note" in dot_text.split('"asset:4" [')[1].split("\n")[0]
    assert "subgraph cluster_0" in dot_text and "Level 2 — supervisory" in dot_text


def test_dot_is_deterministic() -> None:
    assert render_dot(build_map(synthetic_plant())) == render_dot(build_map(synthetic_plant()))


def test_two_hundred_asset_plant_renders(capsys: pytest.CaptureFixture[str]) -> None:
    inventory = synthetic_plant()
    assert len(inventory.top_level()) == 200
    graph = build_map(inventory)
    dot_text = render_dot(graph)
    assert len(graph.edges) > EDGE_LABEL_LIMIT and " label=" not in dot_text.split("->", 1)[1]
    start = time.monotonic()
    svg = run_dot(dot_text)
    elapsed = time.monotonic() - start
    box = re.search(rb'viewBox="0.00 0.00 ([\d.]+) ([\d.]+)"', svg)
    assert box is not None and svg.count(b'class="node"') == len(graph.nodes)
    with capsys.disabled():
        print(
            f"\n200-asset map: {len(graph.nodes)} nodes, {len(graph.edges)} edges, "
            f"DOT {len(dot_text):,} bytes, SVG {len(svg):,} bytes, "
            f"{float(box[1]):.0f}x{float(box[2]):.0f} pt, dot -Tsvg {elapsed:.2f} s"
        )


def test_svg_without_graphviz_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graphviz_module.shutil, "which", lambda name: None)
    with pytest.raises(UsageError, match=re.escape(MISSING_DOT)) as caught:
        render_svg("digraph { a }")
    assert caught.value.exit_status == 2


def test_svg_reports_dot_failures() -> None:
    run_dot("digraph { a }")  # skips when Graphviz is missing
    with pytest.raises(UsageError, match="Graphviz's dot failed"):
        render_svg("digraph { a -> }")
    assert render_svg("digraph { a }").lstrip().startswith(b"<?xml")

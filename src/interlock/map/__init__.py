"""The communication map: who talks to whom, over what, doing what.

``build_map`` turns an Inventory into nodes, edges and groups (pure); ``map_document``
gives its JSON shape, ``render_dot`` its Graphviz text, and ``render_svg`` runs Graphviz's
``dot`` on that text (the only I/O here). docs/inventory-map.md documents the formats.
"""

from __future__ import annotations

from interlock.map.build import ZoneOf, build_map
from interlock.map.document import map_document
from interlock.map.dot import render_dot
from interlock.map.graphviz import MISSING_DOT, render_svg
from interlock.map.model import CommunicationMap, MapChild, MapEdge, MapGroup, MapNode

__all__ = [
    "MISSING_DOT",
    "CommunicationMap",
    "MapChild",
    "MapEdge",
    "MapGroup",
    "MapNode",
    "ZoneOf",
    "build_map",
    "map_document",
    "render_dot",
    "render_svg",
]

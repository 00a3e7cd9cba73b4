"""How the map ranks and draws things: the danger order of operation classes, edge styles,
node shapes by role, fill colours and groups by Purdue level. Data, so that the legend in
docs/inventory-map.md, the DOT renderer and the tests read the same tables."""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.inventory.merge import REMOTE_ACCESS

# Most dangerous first: changing what a controller runs or whether it runs, then changing
# its data, then probing it, then only reading it.
OPERATION_DANGER: Final = (
    "program",
    "mode_change",
    "restart",
    "write",
    "diagnostic",
    "discovery",
    "identity",
    "read",
    "session",
    "other",
)
ENGINEERING_OPERATIONS: Final = frozenset({"program", "mode_change", "restart"})
REMOTE_ACCESS_PROTOCOLS: Final = REMOTE_ACCESS
INDUSTRIAL_PROTOCOLS: Final = frozenset(
    {"modbus", "dnp3", "enip", "s7comm", "opcua", "bacnet", "iec104", "mqtt", "pn_dcp"}
)

NEIGHBOUR_PROTOCOLS: Final = frozenset({"arp", "lldp", "cdp"})
"""Link-layer presence, not communication: every host does it, the nodes already show it."""


class EdgeStyle(NamedTuple):
    color: str
    penwidth: float
    style: str


ENGINEERING_STYLE: Final = EdgeStyle("#c62828", 2.5, "bold")
WRITE_STYLE: Final = EdgeStyle("#ef6c00", 1.8, "solid")
PROBE_STYLE: Final = EdgeStyle("#1565c0", 1.2, "solid")
READ_STYLE: Final = EdgeStyle("#757575", 1.0, "solid")
FLOW_STYLE: Final = EdgeStyle("#b0b0b0", 0.8, "solid")


def worst_operation(operations: set[str] | frozenset[str]) -> str | None:
    """The most dangerous operation class among these (unknown classes rank last)."""
    if not operations:
        return None
    return min(operations, key=_danger_rank)


def _danger_rank(operation: str) -> tuple[int, str]:
    try:
        return OPERATION_DANGER.index(operation), operation
    except ValueError:
        return len(OPERATION_DANGER), operation


def edge_style(worst: str | None, remote_access: bool) -> EdgeStyle:
    if worst in ENGINEERING_OPERATIONS:
        base = ENGINEERING_STYLE
    elif worst == "write":
        base = WRITE_STYLE
    elif worst in ("diagnostic", "discovery", "identity"):
        base = PROBE_STYLE
    elif worst is not None:
        base = READ_STYLE
    else:
        base = FLOW_STYLE
    if remote_access:
        style = "dashed,bold" if base.style == "bold" else "dashed"
        return EdgeStyle(base.color, max(base.penwidth, 1.4), style)
    return base


# First matching role wins: what a person most needs to recognise on the map.
ROLE_SHAPES: Final = (
    ("engineering_workstation", "note"),
    ("plc", "box"),
    ("rtu", "box"),
    ("building_controller", "box"),
    ("field_device", "box"),
    ("protocol_gateway", "box3d"),
    ("hmi", "ellipse"),
    ("historian", "cylinder"),
    ("opcua_server", "component"),
    ("broker", "hexagon"),
    ("remote_access_endpoint", "octagon"),
    ("router", "diamond"),
)
DEFAULT_SHAPE: Final = "ellipse"
ADDRESS_SHAPE: Final = "plaintext"


def node_shape(roles: tuple[str, ...]) -> str:
    for role, shape in ROLE_SHAPES:
        if role in roles:
            return shape
    return DEFAULT_SHAPE


LEVEL_FILLS: Final = {1: "#ffe0b2", 2: "#bbdefb", 3: "#c8e6c9"}
UNKNOWN_FILL: Final = "#f5f5f5"


def node_fill(level: float | None) -> str:
    if level is None:
        return UNKNOWN_FILL
    return LEVEL_FILLS.get(_level_bucket(level), UNKNOWN_FILL)


# Purdue groups, used when no zones are given (ISA-95 / IEC 62443 reference model).
LEVEL_GROUPS: Final = {
    1: ("level-1", "Level 1 — control"),
    2: ("level-2", "Level 2 — supervisory"),
    3: ("level-3", "Level 3 — operations"),
}
UNKNOWN_LEVEL_GROUP: Final = ("level-unknown", "unknown level")
OUTSIDE_GROUP: Final = ("outside", "not in the inventory (broadcast, multicast, unresolved)")
NO_ZONE_GROUP: Final = ("zone-none", "outside any zone")


def level_group(level: float | None) -> tuple[str, str]:
    if level is None:
        return UNKNOWN_LEVEL_GROUP
    return LEVEL_GROUPS[_level_bucket(level)]


def _level_bucket(level: float) -> int:
    """Levels 0-1 draw as control, 3 and above (3.5, DMZ) as operations."""
    return 1 if level < 2 else 2 if level < 3 else 3

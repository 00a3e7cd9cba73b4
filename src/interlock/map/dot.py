"""Graphviz DOT text for a communication map (https://graphviz.org/doc/info/lang.html).
Pure: a map in, a string out.

Everything a device reported about itself is attacker-controlled, so every string goes
through ``quote``: control and invisible characters become spaces or "?", backslashes and
double quotes are escaped, and "&" is written as an entity so that Graphviz never reads
device text as an entity or an escape (\\N, \\G, \\l...). Labels are plain quoted strings,
never HTML-like labels or record shapes, where <, >, {, } and | would mean something.
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata
from typing import Final

from interlock.map.model import CommunicationMap, MapEdge, MapGroup, MapNode
from interlock.map.style import ADDRESS_SHAPE, edge_style, node_fill, node_shape

EDGE_LABEL_LIMIT: Final = 60
"""Above this many edges, edge labels become tooltips: labels would hide the graph."""
STAGGER_ABOVE: Final = 8
"""Groups with more leaf nodes than this spread them over several ranks (as Graphviz's
`unflatten` does): a 200-asset plant's PLCs would otherwise make one column metres long."""
MAX_LINE: Final = 48
PER_ROW: Final = 5
"""Devices of one subnet per row in a crowded group."""
MAX_ADDRESSES: Final = 3
MAX_CHILDREN: Final = 4
LEGEND: Final = (
    "edges: red bold = program, mode change or restart; orange = write; "
    "blue = diagnostic, discovery or identity; grey = read; light grey = other traffic; "
    "dashed = remote access",
    "nodes: box = PLC, RTU or controller; note = engineering workstation; "
    "ellipse = HMI or other host; cylinder = historian; fill = Purdue level",
)


def clean(text: str) -> str:
    """Printable text on one line: whitespace controls become spaces, other control,
    format, surrogate and unassigned characters "?"."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            out.append(" ")
        elif category[0] == "C":
            out.append("?")
        else:
            out.append(ch)
    return "".join(out)


def quote(text: str) -> str:
    """A DOT double-quoted string showing ``text`` literally."""
    escaped = clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return f'"{escaped}"'


def tooltip(text: str) -> str:
    """A quoted tooltip. Graphviz unescapes tooltips once more than labels (a device's
    "\\N" would become the node's name), so backslashes show as "∖" there."""
    return quote(text.replace("\\", "∖"))


def label(lines: list[str], limit: int = MAX_LINE) -> str:
    """A quoted multi-line label: each line cleaned, shortened and escaped, joined by \\n."""
    parts = [quote(_shorten(line, limit))[1:-1] for line in lines]
    return '"' + "\\n".join(parts) + '"'


def _shorten(line: str, limit: int) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


def render_dot(graph: CommunicationMap, title: str = "Interlock communication map") -> str:
    labelled = len(graph.edges) <= EDGE_LABEL_LIMIT
    out = [
        "digraph interlock_map {",
        f"  graph [label={label([title, *LEGEND], limit=200)}, labelloc=t, fontname=Helvetica, "
        f"fontsize=11, rankdir=TB, newrank=true, concentrate=true, splines=true, "
        "nodesep=0.25, ranksep=1.4, outputorder=edgesfirst];",
        '  node [fontname=Helvetica, fontsize=9, style=filled, margin="0.08,0.04"];',
        "  edge [fontname=Helvetica, fontsize=8, arrowsize=0.6];",
    ]
    nodes = {n.id: n for n in graph.nodes}
    for index, group in enumerate(graph.groups):
        out += _cluster(index, group, nodes)
    stagger = leaf_stagger(graph)
    for edge in graph.edges:
        out.append(_edge(edge, labelled, stagger.get(edge.server, 1)))
    out.append("}")
    return "\n".join(out) + "\n"


def _cluster(index: int, group: MapGroup, nodes: dict[str, MapNode]) -> list[str]:
    lines = [
        f"  subgraph cluster_{index} {{",
        f'    graph [label={quote(group.label)}, style="rounded,filled", fillcolor="#fafafa", '
        'color="#9e9e9e", fontsize=12];',
    ]
    subnets: dict[str, list[str]] = {}
    for node_id in group.nodes:
        subnets.setdefault(subnet_of(nodes[node_id]), []).append(node_id)
    if len(group.nodes) <= STAGGER_ABOVE or len(subnets) < 2:
        subnets = {"": list(group.nodes)}
    for number, (subnet, members) in enumerate(sorted(subnets.items())):
        indent = "    "
        if subnet and len(members) > 1:
            lines.append(f"    subgraph cluster_{index}_{number} {{")
            lines.append(
                f'      graph [label={quote(subnet)}, style="rounded,dashed", fontsize=10];'
            )
            indent = "      "
        lines += [f"{indent}{_node(nodes[node_id])}" for node_id in members]
        if indent != "    ":
            lines.append("    }")
    lines.append("  }")
    return lines


def _node(node: MapNode) -> str:
    if node.kind == "address":
        return (
            f"{quote(node.id)} [label={label([node.name])}, shape={ADDRESS_SHAPE}, "
            f'fontcolor="#616161", tooltip={tooltip("not in the inventory: " + node.name)}];'
        )
    lines = [node.name]
    addresses = [a for a in node.addresses if a != node.name]
    if addresses:
        lines.append(", ".join(addresses[:2]))
    if len(addresses) > 2:
        more = len(addresses) - MAX_ADDRESSES
        lines.append(", ".join(addresses[2:MAX_ADDRESSES]) + (f" +{more} more" if more > 0 else ""))
    if node.roles:
        lines.append(", ".join(node.roles))
    if node.purdue_level is not None:
        lines.append(f"Purdue level {node.purdue_level:g}")
    for child in node.children[:MAX_CHILDREN]:
        where = f"{child.kind} {child.key}"
        lines.append(f"↳ {where}" if child.name == where else f"↳ {where}: {child.name}")
    if len(node.children) > MAX_CHILDREN:
        lines.append(f"↳ +{len(node.children) - MAX_CHILDREN} more behind it")
    details = [f"asset {node.asset_id}: {node.name}", *node.addresses]
    details += [f"{c.kind} {c.key}: {c.name}" for c in node.children[:20]]
    return (
        f"{quote(node.id)} [label={label(lines)}, shape={node_shape(node.roles)}, "
        f'fillcolor="{node_fill(node.purdue_level)}", tooltip={tooltip(" | ".join(details))}];'
    )


def edge_summary(edge: MapEdge) -> str:
    """One line: protocol, operation classes most dangerous first, traffic."""
    parts = [edge.protocol]
    if edge.operations:
        ops = sorted(edge.operations, key=lambda oc: (-_is_worst(edge, oc[0]), -oc[1], oc[0]))
        parts.append(", ".join(f"{op} {count}" for op, count in ops))
    if edge.packets:
        parts.append(f"{edge.packets} packets, {edge.octets} bytes")
    return "; ".join(parts)


def _is_worst(edge: MapEdge, operation: str) -> int:
    return 1 if operation == edge.worst_operation else 0


def leaf_stagger(graph: CommunicationMap) -> dict[str, int]:
    """node id -> minimum rank distance of the edges into it, so that a crowded group is not
    one endless row. There, the leaves (nodes that only answer) of each subnet fill rows of
    PER_ROW, a block per cell of devices, and the blocks of about sqrt(subnets) subnets go
    to successive bands, so that the group grows downwards as well as sideways."""
    clients = {e.client for e in graph.edges}
    servers = {e.server for e in graph.edges}
    nodes = {n.id: n for n in graph.nodes}
    stagger: dict[str, int] = {}
    for group in graph.groups:
        leaves = [n for n in group.nodes if n in servers and n not in clients]
        if len(leaves) <= STAGGER_ABOVE:
            continue
        by_subnet: dict[str, list[str]] = {}
        for node_id in leaves:
            by_subnet.setdefault(subnet_of(nodes[node_id]), []).append(node_id)
        bands = max(1, round(math.sqrt(len(by_subnet))))
        depth = max(math.ceil(len(m) / PER_ROW) for m in by_subnet.values())
        for number, members in enumerate(by_subnet.values()):
            for index, node_id in enumerate(members):
                stagger[node_id] = 1 + (number % bands) * depth + index // PER_ROW
    return stagger


def subnet_of(node: MapNode) -> str:
    """The /24 (IPv4) or /64 (IPv6) of a node's first IP address; "" when it has none."""
    for address in node.addresses:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        prefix = 24 if ip.version == 4 else 64
        return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
    return ""


def _edge(edge: MapEdge, labelled: bool, minlen: int) -> str:
    style = edge_style(edge.worst_operation, edge.remote_access)
    attrs = [
        f'color="{style.color}"',
        f"penwidth={style.penwidth:g}",
        f'style="{style.style}"',
        f"tooltip={tooltip(edge_summary(edge))}",
    ]
    if minlen > 1:
        attrs.append(f"minlen={minlen}")
    if labelled:
        lines = [edge.protocol]
        if edge.worst_operation is not None:
            worst = dict(edge.operations)[edge.worst_operation]
            lines.append(f"{edge.worst_operation} {worst} of {edge.transactions}")
        attrs.append(f"label={label(lines)}")
        attrs.append(f'fontcolor="{style.color}"')
    return f"  {quote(edge.client)} -> {quote(edge.server)} [{', '.join(attrs)}];"

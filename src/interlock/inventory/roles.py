"""Roles inferred from behaviour, each with its reason, and a Purdue level estimate.

Behaviour, not names: a device that answers Modbus or S7 is a controller; one that sends
program downloads, mode changes or restarts is an engineering workstation; one that polls
and writes controllers is an HMI or SCADA master. The Purdue level is that of the lowest
role (ISA-95/IEC 62443 reference model: 1 control, 2 supervisory, 3 operations).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Final

from interlock.inventory.model import Asset, Edge, Inventory, Role

SERVER_ROLES: Final = {
    "modbus": "plc",
    "enip": "plc",
    "s7comm": "plc",
    "dnp3": "rtu",
    "iec104": "rtu",
    "bacnet": "building_controller",
    "opcua": "opcua_server",
    "mqtt": "broker",
}
ICS_CLIENT: Final = frozenset({"modbus", "enip", "s7comm", "dnp3", "iec104", "bacnet"})
REMOTE_ACCESS_SERVERS: Final = frozenset({"ssh", "rdp", "vnc", "telnet", "teamviewer", "anydesk"})
ENGINEERING: Final = frozenset({"program", "mode_change", "restart"})
PURDUE: Final = {
    "plc": 1.0,
    "rtu": 1.0,
    "building_controller": 1.0,
    "protocol_gateway": 1.0,
    "hmi": 2.0,
    "engineering_workstation": 2.0,
    "opcua_server": 2.0,
    "historian": 3.0,
    "broker": 3.0,
}


def assign_roles(inventory: Inventory) -> None:
    """(Re)compute every asset's roles from its protocols and the edges it takes part in."""
    as_client: dict[int, list[Edge]] = defaultdict(list)
    for edge in inventory.edges.values():
        as_client[edge.client_id].append(edge)
    for asset in inventory.assets.values():
        kept = [r for r in asset.roles if r.role == "router"]  # from addressing, not behaviour
        asset.roles = kept + _roles(asset, as_client.get(asset.id, []), inventory)
        levels = [PURDUE[r.role] for r in asset.roles if r.role in PURDUE]
        asset.purdue_level = min(levels) if levels else None


def _roles(asset: Asset, edges: list[Edge], inventory: Inventory) -> list[Role]:
    roles: list[Role] = []
    served = sorted({(proto, port) for proto, side, port in asset.protocols if side == "server"})
    for proto, port in served:
        role = SERVER_ROLES.get(proto)
        if role is not None and all(r.role != role for r in roles):
            roles.append(Role(role, f"answers {proto} on port {port}"))
    if asset.child_kind is not None and asset.parent_id is not None:
        roles.append(
            Role("field_device", f"{asset.child_kind} {asset.child_key} behind an address")
        )
    ops = defaultdict(set)
    for edge in edges:
        ops[edge.operation].add(edge.proto)
    engineering = sorted(op for op in ops if op in ENGINEERING)
    if engineering:
        what = ", ".join(f"{op} over {'/'.join(sorted(ops[op]))}" for op in engineering)
        roles.append(Role("engineering_workstation", f"sends {what}"))
    ics = {e.proto for e in edges if e.proto in ICS_CLIENT}
    if ics:
        servers = len({e.server_id for e in edges if e.proto in ics})
        kinds = sorted({e.operation for e in edges if e.proto in ics})
        roles.append(
            Role(
                "hmi",
                f"{', '.join(kinds)} operations on {servers} device(s) over {', '.join(sorted(ics))}",
            )
        )
    reads_only = {e.proto for e in edges if e.proto in ("opcua", "mqtt")}
    if (
        reads_only
        and not ics
        and all(e.operation in ("read", "session", "diagnostic") for e in edges)
    ):
        roles.append(Role("historian", f"collects data over {', '.join(sorted(reads_only))}"))
    children = [c for c in inventory.children_of(asset.id) if c.child_kind == "modbus_unit"]
    if len(children) >= 2:
        roles.append(Role("protocol_gateway", f"answers for {len(children)} Modbus unit ids"))
    elif any(p in SERVER_ROLES for p, _ in served) and ics - {p for p, _ in served}:
        roles.append(Role("protocol_gateway", "serves one industrial protocol and polls another"))
    remote = sorted({p for p, _ in served if p in REMOTE_ACCESS_SERVERS})
    if remote:
        roles.append(Role("remote_access_endpoint", f"accepts {', '.join(remote)}"))
    return roles

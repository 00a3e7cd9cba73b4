"""Roles inferred from behaviour, each with its reason, and a Purdue level estimate.

Behaviour, not names: a device that answers Modbus or S7 is a controller; one that sends
program downloads, mode changes or restarts is an engineering workstation; one that polls
and writes controllers is an HMI or SCADA master; one that only reads from several is a
historian or data collector; one that opens SSH, RDP, VNC, Telnet, TeamViewer or AnyDesk
sessions is a remote-access client. Each reason names what was seen. The Purdue level is that of the lowest
role (ISA-95/IEC 62443 reference model: 1 control, 2 supervisory, 3 operations).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
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
    "dns": "dns_server",
    "dns-tcp": "dns_server",
    "dhcp": "dhcp_server",
}
IT_SERVICES: Final = frozenset({"dns", "dns-tcp", "dhcp"})
ICS_CLIENT: Final = frozenset({"modbus", "enip", "s7comm", "dnp3", "iec104", "bacnet"})
REMOTE_ACCESS_SERVERS: Final = frozenset({"ssh", "rdp", "vnc", "telnet", "teamviewer", "anydesk"})
READS: Final = frozenset({"read", "session", "diagnostic", "discovery", "identity"})
HISTORIAN_MIN_SOURCES: Final = 2
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


def assign_roles(inventory: Inventory, only: Collection[int] | None = None) -> None:
    """(Re)compute every asset's roles from its protocols and the edges it takes part in,
    or those of the assets in ``only`` (each with its edges and devices behind it in the
    inventory; the others may be there only to name the servers a client reaches)."""
    as_client: dict[int, list[Edge]] = defaultdict(list)
    for edge in inventory.edges.values():
        as_client[edge.client_id].append(edge)
    chosen = inventory.assets.values() if only is None else (inventory.assets[i] for i in only)
    for asset in chosen:
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
    roles.extend(_ics_client(edges, ics))
    collected = sorted({e.proto for e in edges if e.proto in ("opcua", "mqtt")})
    if collected and not ics and all(e.operation in READS for e in edges):
        roles.append(Role("historian", f"collects data over {', '.join(collected)}"))
    children = [c for c in inventory.children_of(asset.id) if c.child_kind == "modbus_unit"]
    if len(children) >= 2:
        roles.append(Role("protocol_gateway", f"answers for {len(children)} Modbus unit ids"))
    elif any(p in SERVER_ROLES and p not in IT_SERVICES for p, _ in served) and ics - {
        p for p, _ in served
    }:
        roles.append(Role("protocol_gateway", "serves one industrial protocol and polls another"))
    remote = sorted({p for p, _ in served if p in REMOTE_ACCESS_SERVERS})
    if remote:
        roles.append(Role("remote_access_endpoint", f"accepts {', '.join(remote)}"))
    sessions = sorted({(e.proto, e.server_id) for e in edges if e.proto in REMOTE_ACCESS_SERVERS})
    if sessions:
        opened = ", ".join(f"{proto} to {_label(inventory, sid)}" for proto, sid in sessions[:6])
        more = f" and {len(sessions) - 6} more" if len(sessions) > 6 else ""
        roles.append(Role("remote_access_client", f"opens {opened}{more}"))
    return roles


def _ics_client(edges: list[Edge], ics: set[str]) -> list[Role]:
    """A client that only reads from several devices collects data (a historian); one
    that also writes or starts and stops things operates them (an HMI or SCADA master)."""
    if not ics:
        return []
    used = [e for e in edges if e.proto in ics]
    servers = len({e.server_id for e in used})
    kinds = sorted({e.operation for e in used})
    over = ", ".join(sorted(ics))
    if all(op in READS for op in kinds) and servers >= HISTORIAN_MIN_SOURCES:
        return [
            Role("historian", f"only reads ({', '.join(kinds)}) from {servers} devices over {over}")
        ]
    return [Role("hmi", f"{', '.join(kinds)} operations on {servers} device(s) over {over}")]


def _label(inventory: Inventory, asset_id: int) -> str:
    asset = inventory.assets.get(asset_id)
    if asset is None:
        return f"asset {asset_id}"
    return (asset.ips or asset.macs or [f"asset {asset_id}"])[0]

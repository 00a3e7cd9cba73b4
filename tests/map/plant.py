"""Inventories built directly from domain objects for the map tests: a small hand-made
one, and a synthetic 200-asset plant (cells of PLCs under HMIs, engineering workstations,
historians, a jump host, IT services)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from interlock.inventory.model import (
    Asset,
    Edge,
    Evidence,
    FlowRecord,
    IdentityValue,
    Inventory,
    Role,
    Span,
)
from interlock.inventory.roles import PURDUE

T0 = 1_700_000_000.0


def dot_program() -> str:
    """Graphviz's dot, or a skip (a failure under CI, which installs Debian's graphviz)."""
    found = shutil.which("dot")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz's dot is not installed (CI=true: it must be)")
        pytest.skip("Graphviz's dot is not installed")
    return found


def run_dot(dot_text: str, fmt: str = "svg") -> bytes:
    done = subprocess.run(
        [dot_program(), f"-T{fmt}"], input=dot_text.encode(), capture_output=True, timeout=600
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Warning" not in done.stderr and b"Error" not in done.stderr, done.stderr.decode()
    return done.stdout


def add_asset(
    inv: Inventory,
    ip: str | None,
    roles: tuple[str, ...] = (),
    identity: dict[str, str] | None = None,
    mac: str | None = None,
    protocols: tuple[tuple[str, str, int], ...] = (),
    parent: Asset | None = None,
    child: tuple[str, str] | None = None,
) -> Asset:
    asset = inv.new_asset(T0)
    if ip is not None:
        asset.addresses[ip] = Span(T0, T0 + 60)
    if mac is not None:
        asset.addresses[mac] = Span(T0, T0 + 60)
    for attribute, value in (identity or {}).items():
        evidence = Evidence("ab" * 32, 1, T0, "lab")
        asset.identity[attribute, value, "test"] = IdentityValue(
            attribute, value, "test", 0.9, evidence, Span(T0, T0)
        )
    for key in protocols:
        asset.protocols[key] = Span(T0, T0 + 60)
    asset.roles = [Role(r, "test") for r in roles]
    levels = [PURDUE[r] for r in roles if r in PURDUE]
    asset.purdue_level = min(levels) if levels else None
    if parent is not None and child is not None:
        asset.parent_id = parent.id
        asset.child_kind, asset.child_key = child
    return asset


def add_edge(inv: Inventory, client: Asset, server: Asset, proto: str, op: str, n: int) -> None:
    inv.edges[client.id, server.id, proto, op] = Edge(
        client.id, server.id, proto, op, Span(T0, T0 + 30, n)
    )


def add_flow(
    inv: Inventory, client: str, server: str, port: int, proto: str, transport: str = "tcp"
) -> None:
    inv.flows[transport, client, server, port, proto] = FlowRecord(
        transport, client, server, port, proto, 10, 1000, 1, Span(T0, T0 + 30, 1)
    )


def synthetic_plant(cells: int = 12, plcs_per_cell: int = 14) -> Inventory:
    """200 assets with the default sizes: 12 cells x (1 HMI + 14 PLCs), 4 engineering
    workstations, 2 historians, a jump host, a DNS server, 2 file servers, 10 other hosts."""
    inv = Inventory()
    protocols = ("modbus", "enip", "s7comm")
    ports = {"modbus": 502, "enip": 44818, "s7comm": 102}
    hmis: list[Asset] = []
    plcs: list[list[Asset]] = []
    for cell in range(cells):
        proto = protocols[cell % 3]
        hmi = add_asset(inv, f"10.{cell}.2.10", ("hmi",), {"name": f"HMI-CELL{cell:02}"},
                        protocols=((proto, "client", ports[proto]),))  # fmt: skip
        hmis.append(hmi)
        row = []
        for n in range(plcs_per_cell):
            ip = f"10.{cell}.1.{n + 10}"
            plc = add_asset(inv, ip, ("plc",), {"vendor": "Acme", "product": f"PLC-{n % 4}"},
                            protocols=((proto, "server", ports[proto]),))  # fmt: skip
            row.append(plc)
            add_edge(inv, hmi, plc, proto, "read", 1000 + n)
            if n % 2 == 0:
                add_edge(inv, hmi, plc, proto, "write", 10 + n)
            add_flow(inv, f"10.{cell}.2.10", ip, ports[proto], proto)
        plcs.append(row)
    workstations = [
        add_asset(inv, f"10.100.2.{20 + i}", ("engineering_workstation",), {"name": f"EWS-{i}"})
        for i in range(4)
    ]
    for i, ews in enumerate(workstations):
        for cell in range(i * cells // 4, (i + 1) * cells // 4):
            proto = protocols[cell % 3]
            for n, plc in enumerate(plcs[cell]):
                add_edge(inv, ews, plc, proto, "read", 5)
                if n % 5 == 0:
                    add_edge(inv, ews, plc, proto, "program", 2)
                if n % 7 == 0:
                    add_edge(inv, ews, plc, proto, "mode_change", 1)
    historians = [
        add_asset(inv, f"10.100.3.{10 + i}", ("historian",), {"name": f"HIST-{i}"})
        for i in range(2)
    ]
    for i, historian in enumerate(historians):
        for hmi in hmis[i::2]:
            add_edge(inv, historian, hmi, "opcua", "read", 500)
    jump = add_asset(inv, "10.100.3.50", ("remote_access_endpoint",), {"name": "JUMP-01"})
    for ews in workstations:
        add_edge(inv, jump, ews, "rdp", "session", 3)
    dns = add_asset(inv, "10.100.3.53", (), {"name": "dns-01"})
    files = [add_asset(inv, f"10.100.3.{60 + i}", (), {"name": f"files-{i}"}) for i in range(2)]
    others = [add_asset(inv, f"10.100.4.{10 + i}", ()) for i in range(10)]
    for host in [*hmis, *workstations, *historians, jump, *others]:
        client = host.ips[0]
        add_flow(inv, client, dns.ips[0], 53, "dns", "udp")
        add_flow(inv, client, "10.100.255.255", 137, "", "udp")
    for i, other in enumerate(others):
        add_flow(inv, other.ips[0], files[i % 2].ips[0], 445, "smb")
    return inv

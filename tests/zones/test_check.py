"""Findings: flows judged by protocol and direction, edges by operation class; within a
zone only a declared internal conduit restricts; evidence and reasons; stable order."""

from __future__ import annotations

from interlock.inventory.model import Inventory
from interlock.zones import Finding, ZoneModel, assign, check, load_zones
from zones.inventories import add_asset, add_edge, add_flow

ZONES = """\
zones:
  - {name: enterprise, security_level: 1, members: {cidrs: [192.168.0.0/16]}}
  - {name: supervisory, security_level: 2, members: {cidrs: [10.20.0.0/24]}}
  - {name: cell-1, security_level: 3, members: {cidrs: [10.10.0.0/24]}}
  - {name: cell-2, security_level: 3, members: {cidrs: [10.30.0.0/24]}}
conduits:
  - name: hmi
    zones: [supervisory, cell-1]
    initiator: supervisory
    protocols: {modbus: [read, identity], s7comm-plus: any}
  - name: engineering
    zones: [supervisory, cell-1]
    protocols: {modbus: [diagnostic]}
  - name: cell-2-inside
    zones: [cell-2]
    protocols: [enip]
"""


def findings(inv: Inventory) -> list[Finding]:
    model = load_zones(ZONES, "z.yaml")
    assert isinstance(model, ZoneModel), model
    return check(model, inv, assign(model, inv))


def reasons(inv: Inventory) -> list[tuple[str, str, str | None, str]]:
    return [(f.kind, f.proto, f.operation, f.reason) for f in findings(inv)]


def test_operations_outside_the_conduit_are_findings_with_evidence() -> None:
    inv = Inventory()
    hmi, plc = add_asset(inv, "10.20.0.1"), add_asset(inv, "10.10.0.5")
    add_flow(inv, "10.20.0.1", "10.10.0.5", 502, "modbus")
    for op in ("read", "identity", "diagnostic", "write"):
        add_edge(inv, hmi.id, plc.id, "modbus", op)
    found = findings(inv)
    assert [(f.kind, f.operation) for f in found] == [("operation", "write")]
    write = found[0]
    assert write.reason == (
        "conduit hmi (supervisory->cell-1), conduit engineering (supervisory<->cell-1) allow "
        "modbus diagnostic, identity, read only, saw write"
    )
    assert (write.client.address, write.client.asset_id, write.client.zone) == (
        "10.20.0.1", hmi.id, "supervisory",
    )  # fmt: skip
    assert (write.server.zone, write.count, write.first_seen, write.last_seen) == (
        "cell-1", 3, 100.0, 200.0,
    )  # fmt: skip
    assert write.conduits == ("hmi", "engineering")


def test_no_conduit_wrong_direction_and_wrong_protocol() -> None:
    inv = Inventory()
    add_asset(inv, "10.20.0.1"), add_asset(inv, "10.10.0.5"), add_asset(inv, "192.168.1.9")
    add_flow(inv, "192.168.1.9", "10.10.0.5", 502, "modbus")
    add_flow(inv, "10.20.0.1", "10.10.0.5", 22, "ssh")
    add_flow(inv, "10.20.0.1", "10.10.0.5", 4444, "")
    add_flow(inv, "10.10.0.5", "10.20.0.1", 502, "modbus")  # engineering: either side
    add_flow(inv, "10.20.0.1", "10.10.0.5", 102, "s7comm")  # carries s7comm-plus: allowed
    assert reasons(inv) == [
        ("flow", "modbus", None, "no conduit between enterprise and cell-1"),
        ("flow", "", None, "conduit hmi (supervisory->cell-1), conduit engineering "
         "(supervisory<->cell-1) do not allow unidentified traffic (allows modbus, s7comm-plus)"),
        ("flow", "ssh", None, "conduit hmi (supervisory->cell-1), conduit engineering "
         "(supervisory<->cell-1) do not allow ssh (allows modbus, s7comm-plus)"),
    ]  # fmt: skip


def test_direction_when_the_only_conduit_is_one_way() -> None:
    inv = Inventory()
    add_asset(inv, "10.20.0.1"), add_asset(inv, "10.10.0.5")
    add_flow(inv, "10.10.0.5", "10.20.0.1", 102, "s7comm")
    assert reasons(inv) == [
        ("flow", "s7comm", None,
         "conduit hmi (supervisory->cell-1) lets only supervisory initiate s7comm; cell-1 did"),
    ]  # fmt: skip


def test_within_a_zone_only_an_internal_conduit_restricts() -> None:
    inv = Inventory()
    add_asset(inv, "10.10.0.5"), add_asset(inv, "10.10.0.6")
    add_asset(inv, "10.30.0.5"), add_asset(inv, "10.30.0.6")
    add_flow(inv, "10.10.0.5", "10.10.0.6", 23, "telnet")  # cell-1: unrestricted
    add_flow(inv, "10.30.0.5", "10.30.0.6", 44818, "enip")
    add_flow(inv, "10.30.0.5", "10.30.0.6", 23, "telnet")
    assert reasons(inv) == [
        ("flow", "telnet", None,
         "conduit cell-2-inside (within cell-2) does not allow telnet (allows enip)"),
    ]  # fmt: skip


def test_unzoned_endpoints_and_broadcasts() -> None:
    inv = Inventory()
    add_asset(inv, "10.20.0.1", "02:00:00:00:00:01")
    add_flow(inv, "10.20.0.1", "8.8.8.8", 53, "dns", "udp")
    add_flow(inv, "10.20.0.1", "10.20.0.255", 47808, "bacnet", "udp")  # stays in its zone
    add_flow(inv, "10.20.0.1", "224.0.0.251", 5353, "mdns", "udp")
    add_flow(inv, "02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", 0, "arp", "ether")
    add_flow(inv, "0.0.0.0", "255.255.255.255", 67, "dhcp", "udp")
    assert reasons(inv) == [("flow", "dns", None, "8.8.8.8 is in no zone")]


def test_findings_are_sorted_and_repeatable() -> None:
    inv = Inventory()
    hmi, plc = add_asset(inv, "10.20.0.1"), add_asset(inv, "10.10.0.5")
    corp = add_asset(inv, "192.168.1.9")
    for op in ("write", "program", "restart"):
        add_edge(inv, hmi.id, plc.id, "modbus", op)
        add_edge(inv, corp.id, plc.id, "modbus", op)
    first = findings(inv)
    inv.edges = dict(reversed(list(inv.edges.items())))
    assert findings(inv) == first
    assert [(f.client.zone, f.operation) for f in first] == [
        ("enterprise", "program"), ("enterprise", "restart"), ("enterprise", "write"),
        ("supervisory", "program"), ("supervisory", "restart"), ("supervisory", "write"),
    ]  # fmt: skip

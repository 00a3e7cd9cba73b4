"""Merging runs into the inventory by evidence: MAC before IP, routers apart, conflicting
identity values kept, devices behind a gateway as children, changes recorded."""

from __future__ import annotations

from interlock.inventory.facts import IdentityFact
from interlock.inventory.merge import merge
from interlock.inventory.model import CaptureRecord, Inventory
from interlock.inventory.observations import FlowStats, RunObservations, Seen
from interlock.model import Endpoint, OperationClass, Transaction

PLC_MAC = "00:1b:1b:23:eb:3b"  # Siemens OUI
HMI_MAC = "00:0c:29:e8:32:7a"  # VMware OUI


def run(name: str, hosts: dict[str, str | None], ts: float = 1000.0) -> RunObservations:
    obs = RunObservations(name, "plant-a")
    for ip, mac in hosts.items():
        obs.hosts[ip] = Seen(ts, ts + 10, 0)
        if mac:
            obs.macs[(ip, mac)] = Seen(ts, ts + 10, 0)
    obs.first_ts, obs.last_ts = ts, ts + 10
    return obs


def capture(name: str) -> CaptureRecord:
    return CaptureRecord(name, name, "plant-a", 10, 1000.0, 1010.0)


def by_address(inv: Inventory, address: str) -> int:
    [found] = [a.id for a in inv.top_level() if address in a.addresses]
    return found


def test_a_host_is_matched_by_its_mac_when_dhcp_moved_its_address() -> None:
    inv = Inventory()
    merge(inv, run("c1", {"10.0.0.5": PLC_MAC}), capture("c1"))
    changes = merge(inv, run("c2", {"10.0.0.77": PLC_MAC}, ts=2000.0), capture("c2"))
    assert len(inv.top_level()) == 1
    assert set(inv.top_level()[0].addresses) == {"10.0.0.5", "10.0.0.77", PLC_MAC}
    assert [c.kind for c in changes] == []


def test_an_address_now_used_by_another_device_makes_a_new_asset() -> None:
    inv = Inventory()
    merge(inv, run("c1", {"10.0.0.5": PLC_MAC}), capture("c1"))
    changes = merge(inv, run("c2", {"10.0.0.5": HMI_MAC}, ts=2000.0), capture("c2"))
    assert len(inv.top_level()) == 2
    assert [c.kind for c in changes] == ["new_asset"]


def test_a_mac_carrying_many_addresses_is_a_router_not_those_hosts() -> None:
    inv = Inventory()
    hosts = {f"172.16.{n}.10": HMI_MAC for n in range(5)}
    merge(inv, run("c1", hosts), capture("c1"))
    routers = [a for a in inv.top_level() if any(r.role == "router" for r in a.roles)]
    assert len(routers) == 1 and list(routers[0].addresses) == [HMI_MAC]
    others = [a for a in inv.top_level() if a is not routers[0]]
    assert len(others) == 5 and all(HMI_MAC not in a.addresses for a in others)


def test_conflicting_identity_values_are_all_kept_and_the_change_recorded() -> None:
    inv = Inventory()
    first = run("c1", {"10.0.0.5": PLC_MAC})
    first.fact(
        "10.0.0.5",
        IdentityFact("server", "firmware", "V3.2.6", "s7comm.szl_0x0011", 0.95),
        1001.0,
        7,
    )
    merge(inv, first, capture("c1"))
    second = run("c2", {"10.0.0.5": PLC_MAC}, ts=5000.0)
    second.fact(
        "10.0.0.5",
        IdentityFact("server", "firmware", "V3.2.7", "s7comm.szl_0x0011", 0.95),
        5001.0,
        9,
    )
    changes = merge(inv, second, capture("c2"))
    asset = inv.assets[by_address(inv, PLC_MAC)]
    values = sorted(v.value for v in asset.identity.values() if v.attribute == "firmware")
    assert values == ["V3.2.6", "V3.2.7"]
    [changed] = [c for c in changes if c.kind == "identity_changed"]
    assert "V3.2.6" in changed.summary and "V3.2.7" in changed.summary
    assert changed.evidence is not None and changed.evidence.frame == 9
    evidence = next(v.evidence for v in asset.identity.values() if v.value == "V3.2.6")
    assert (evidence.capture, evidence.frame, evidence.site) == ("c1", 7, "plant-a")
    nic = [v for v in asset.identity.values() if v.attribute == "nic_vendor"]
    assert [v.value for v in nic] == ["Siemens AG"]


def test_modbus_units_behind_a_gateway_are_children_but_a_lone_unit_is_the_device() -> None:
    inv = Inventory()
    obs = run("c1", {"10.0.0.9": PLC_MAC, "10.0.0.1": HMI_MAC})
    for unit in (3, 4):
        obs.transaction(_modbus(unit, {"device_identification": {"vendor_name": f"V{unit}"}}))
    merge(inv, obs, capture("c1"))
    gateway = inv.assets[by_address(inv, "10.0.0.9")]
    children = inv.children_of(gateway.id)
    assert sorted((c.child_kind, c.child_key) for c in children) == [
        ("modbus_unit", "3"),
        ("modbus_unit", "4"),
    ]
    assert {v.value for c in children for v in c.identity.values()} == {"V3", "V4"}
    assert any(r.role == "protocol_gateway" for r in gateway.roles)

    lone = Inventory()
    obs = run("c1", {"10.0.0.9": PLC_MAC, "10.0.0.1": HMI_MAC})
    obs.transaction(_modbus(1, {"device_identification": {"vendor_name": "Acme"}}))
    merge(lone, obs, capture("c1"))
    plc = lone.assets[by_address(lone, "10.0.0.9")]
    assert lone.children_of(plc.id) == []
    assert [v.value for v in plc.identity.values() if v.attribute == "vendor"] == ["Acme"]


def test_roles_and_purdue_levels_come_from_behaviour() -> None:
    inv = Inventory()
    obs = run("c1", {"10.0.0.9": PLC_MAC, "10.0.0.1": HMI_MAC})
    obs.protocols[("10.0.0.9", "s7comm", "server", 102)] = Seen(1000, 1010, 0)
    obs.protocols[("10.0.0.1", "s7comm", "client", 102)] = Seen(1000, 1010, 0)
    obs.edges[("10.0.0.1", "10.0.0.9", "s7comm", "program")] = Seen(1000, 1000, 5)
    obs.flows[("tcp", "10.0.0.1", "10.0.0.9", 102, "s7comm")] = FlowStats(10, 900, 1000, 1010)
    changes = merge(inv, obs, capture("c1"))
    plc, station = inv.assets[by_address(inv, PLC_MAC)], inv.assets[by_address(inv, HMI_MAC)]
    assert [r.role for r in plc.roles] == ["plc"] and plc.purdue_level == 1.0
    assert "engineering_workstation" in [r.role for r in station.roles]
    assert station.purdue_level == 2.0
    assert [c.kind for c in changes].count("new_pair") == 1
    assert inv.flows[("tcp", "10.0.0.1", "10.0.0.9", 102, "s7comm")].octets == 900


def _modbus(unit: int, details: dict[str, object]) -> Transaction:
    return Transaction(
        "modbus", Endpoint("10.0.0.1", 40000), Endpoint("10.0.0.9", 502), 43, "mei",
        OperationClass.IDENTITY, "ok", 1, 2, 1000.0, 1000.1,
        details={"unit_id": unit, **details},
    )  # fmt: skip

"""Link-layer identity, keyed by MAC address: LLDP and CDP speakers become assets even if
they never send an IP packet; ARP, DHCP ACKs and DCP IP blocks bind addresses; DHCP
options name the client. Values are those tshark shows in the captures."""

from __future__ import annotations

from pathlib import Path

from interlock.inventory.merge import merge
from interlock.inventory.model import CaptureRecord, Inventory
from interlock.inventory.observations import RunObservations, Seen
from interlock.model import Endpoint, OperationClass, Transaction
from inventory.analyzed import analyze, identity, roles, with_address
from tests_support import DATA

SWITCH = "00:0e:cf:aa:bb:01"
PLC = "00:1b:1b:12:34:56"
ROUTER = "02:00:5e:10:00:99"


def test_a_switch_seen_only_in_lldp_becomes_an_asset_addressed_by_its_mac(tmp_path: Path) -> None:
    inv, changes = analyze(tmp_path, DATA / "identity-lldp.pcap")
    switch = with_address(inv, SWITCH)
    assert list(switch.addresses) == [SWITCH]
    # lldp.tlv.system.name, lldp.tlv.system.desc, lldp.mgn.addr.ip4 of the frames from SWITCH
    assert identity(switch, "hostname") == {"scalance-x204": {"lldp"}}
    assert identity(switch, "sys_descr") == {
        "Siemens, SIMATIC NET, SCALANCE X204IRT, 6GK5 204-0BA00-2BA3, HW: 7": {"lldp"}
    }
    assert "192.168.0.2" in identity(switch, "management_address")
    assert identity(switch, "system_capabilities") == {"bridge": {"lldp"}}
    assert f"new asset {SWITCH}" in [c.summary for c in changes if c.kind == "new_asset"]


def test_cdp_names_the_sending_device(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "identity-cdp.pcap")
    switch = with_address(inv, "00:1e:be:11:22:33")
    # cdp.deviceid, cdp.platform, cdp.software_version
    assert identity(switch, "hostname") == {"core-sw1.plant.local": {"cdp"}, "sw2": {"cdp"}}
    assert identity(switch, "model") == {"cisco WS-C3750X-48P": {"cdp"}}
    assert any(v.startswith("Cisco IOS Software") for v in identity(switch, "sys_descr"))


def test_dcp_identify_answers_give_station_name_and_bind_the_ip(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "identity-pn_dcp.pcap")
    plc = with_address(inv, PLC)
    # pn_dcp.suboption_device_nameofstation and pn_dcp.suboption_ip_ip from eth.src PLC
    assert "192.168.0.20" in plc.addresses
    assert identity(plc, "station_name") == {"plc-1": {"pn_dcp.identify", "pn_dcp.get"}}
    assert identity(plc, "model") == {"S7-1500": {"pn_dcp.identify"}}
    assert identity(plc, "vendor_id") == {"0x002a": {"pn_dcp.identify"}}
    assert identity(plc, "device_role") == {"IO-Device": {"pn_dcp.identify"}}
    io = with_address(inv, "00:0e:8c:aa:00:02")
    assert "192.168.0.21" in io.addresses and "et200sp-io" in identity(io, "station_name")
    station = with_address(inv, "08:00:06:01:02:03")
    assert roles(station)["engineering_workstation"] == "sends restart over pn_dcp"


def test_dhcp_ack_binds_the_lease_and_the_client_names_itself(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "identity-dhcp.pcap")
    client = with_address(inv, "00:1b:1b:77:88:99")
    # dhcp.ip.your 192.168.0.77 in the ACK to dhcp.hw.mac_addr; dhcp.option.hostname plc-7
    assert "192.168.0.77" in client.addresses
    assert "dhcp.discover" in identity(client, "hostname")["plc-7"]
    assert identity(client, "vendor_class")["Siemens S7-1500"] == {"dhcp.discover"}
    assert identity(client, "dhcp_fingerprint")["1,3,6,15,28,42"] == {"dhcp.discover"}
    server = with_address(inv, "192.168.0.1")
    assert roles(server)["dhcp_server"] == "answers dhcp on port 67"


def test_arp_binds_ip_and_mac(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "identity-arp.pcap")
    # arp.src.hw_mac / arp.src.proto_ipv4 of the reply and the announcements
    assert set(with_address(inv, PLC).addresses) == {PLC, "192.168.0.20"}
    assert set(with_address(inv, "08:00:06:01:02:03").addresses) >= {"192.168.0.10"}
    assert not any("0.0.0.0" in a.addresses for a in inv.top_level())  # the probe binds nothing


def test_arp_binds_a_router_its_own_address_though_its_mac_carries_many() -> None:
    obs = RunObservations("c1", "plant-a")
    for n in range(5):  # routed traffic: five remote hosts behind ROUTER
        obs.hosts[f"172.16.{n}.10"] = Seen(1000, 1010, 0)
        obs.macs[(f"172.16.{n}.10", ROUTER)] = Seen(1000, 1010, 0)
    obs.transaction(_arp_reply("10.0.0.1", ROUTER))
    inv = Inventory()
    merge(inv, obs, CaptureRecord("c1", "c1", "plant-a", 10, 1000.0, 1010.0))
    router = with_address(inv, ROUTER)
    assert set(router.addresses) == {ROUTER, "10.0.0.1"}
    assert "router" in roles(router)
    assert all(ROUTER not in with_address(inv, f"172.16.{n}.10").addresses for n in range(5))


def _arp_reply(ip: str, mac: str) -> Transaction:
    details: dict[str, object] = {
        "kind": "reply", "sender_mac": mac, "sender_ip": ip,
        "target_mac": "00:0c:29:00:00:01", "target_ip": "10.0.0.5",
    }  # fmt: skip
    return Transaction(
        "arp", Endpoint(mac, 0), Endpoint("00:0c:29:00:00:01", 0), 2, "reply",
        OperationClass.IDENTITY, "ok", None, 7, None, 1005.0, details=details,
    )  # fmt: skip

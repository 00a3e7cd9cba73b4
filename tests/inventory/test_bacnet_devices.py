"""BACnet devices: the device instance per address, and devices on other BACnet networks
answering through a router's address as its children (NPDU SNET/SADR, DNET/DADR)."""

from __future__ import annotations

from pathlib import Path

from inventory.analyzed import analyze, identity, roles, with_address
from tests_support import DATA, corpus_dir


def test_a_routed_device_is_a_child_of_the_router_address(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "bacnet-services.pcap")
    router = with_address(inv, "10.0.0.2")
    # frame 15: I-Am from 10.0.0.2 with bacnet.snet 5, SADR 07, bacapp.instance_number 250;
    # frame 17: object-name HU-2 of device:250 read through DNET 5 / DADR 07
    [child] = inv.children_of(router.id)
    assert (child.child_kind, child.child_key) == ("bacnet_device", "5:07")
    assert identity(child, "device_instance") == {"250": {"bacnet.i_am"}}
    assert identity(child, "name") == {"HU-2": {"bacnet.read-property"}}
    assert roles(child) == {"field_device": "bacnet_device 5:07 behind an address"}
    assert identity(router, "device_instance") == {}


def test_an_i_am_a_bbmd_forwarded_belongs_to_its_original_sender(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "bacnet-services.pcap")
    # frame 10: bvlc.function 0x04 from 10.0.0.2, bvlc.fwd_ip 10.0.0.9, bvlc.fwd_port 47808,
    # bacapp.instance_number 1001, vendor identifier 260; 10.0.0.9 sends nothing itself.
    device = with_address(inv, "10.0.0.9")
    assert list(device.addresses) == ["10.0.0.9"]
    assert identity(device, "device_instance") == {"1001": {"bacnet.i_am"}}
    assert identity(device, "vendor_id") == {"260": {"bacnet.i_am"}}
    assert identity(device, "forwarded_by") == {"10.0.0.2": {"bacnet.bvlc_forwarded"}}
    assert [v.evidence.frame for v in device.identity.values()] == [10] * len(device.identity)
    bbmd = with_address(inv, "10.0.0.2")
    assert "1001" not in identity(bbmd, "device_instance")


def test_device_object_properties_in_a_corpus_capture(tmp_path: Path) -> None:
    capture = corpus_dir() / "pcaps" / "bacnet" / "icsnpp_bacnet_example.pcap"
    inv, _ = analyze(tmp_path, capture)
    device = with_address(inv, "172.20.32.108")
    # I-Am: bacapp.instance_number 721, bacapp.vendor_identifier 15; read-property answers
    # from 172.20.32.108: object-name PLC_12, model-name ETA-633
    assert identity(device, "device_instance") == {"721": {"bacnet.i_am"}}
    assert identity(device, "vendor_id") == {"15": {"bacnet.i_am"}}
    assert identity(device, "name") == {"PLC_12": {"bacnet.read-property"}}
    assert identity(device, "model") == {"ETA-633": {"bacnet.read-property"}}
    assert set(identity(device, "firmware")) == {"3.8.4"}
    supervisor = with_address(inv, "172.20.32.200")
    assert roles(supervisor)["historian"].startswith("only reads (read) from ")

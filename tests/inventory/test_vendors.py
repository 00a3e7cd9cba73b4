"""Vendor ids named from the registries the installed Wireshark carries (ASHRAE's BACnet
and ODVA's CIP vendor lists, as `tshark -G values` prints them)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from interlock.inventory.vendors import parse_value_strings, vendor_name
from inventory.analyzed import analyze, identity, with_address
from tests_support import DATA, corpus_dir


def tshark_names(field: str, number: int) -> str:
    """What tshark itself names the value (the test's ground truth), or a skip without
    tshark (a failure under CI, which installs it)."""
    tshark = shutil.which("tshark")
    if tshark is None:
        message = "tshark is not installed (the vendor registries come from it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: .ci/run installs it)")
        pytest.skip(message)
    out = subprocess.run([tshark, "-G", "values"], capture_output=True, check=True).stdout
    for line in out.decode().splitlines():
        parts = line.split("\t")
        if parts[:3] == ["V", field, str(number)]:
            return parts[3]
    raise AssertionError(f"tshark names no {field} {number}")


def test_value_strings_are_read_per_registry_and_reserved_ids_stay_unnamed() -> None:
    text = "\n".join(
        (
            "E\tbacapp.vendor_identifier\t1454\tBACnetVendorIdentifiers\t[Binary Search]",
            "V\tbacapp.vendor_identifier\t15\tCornell University",
            "V\tbacapp.vendor_identifier\t999\tReserved for ASHRAE",
            "V\tenip.lir.vendor\t0\tReserved",
            "V\tenip.lir.vendor\t1\tRockwell Automation/Allen-Bradley",
            "V\tbtatt.pnp_id.vendor_id\t1\tEricsson AB",
            "V\tenip.lir.vendor\tx\tnot a number",
        )
    )
    assert parse_value_strings(text) == {
        "bacnet": {15: "Cornell University"},
        "cip": {1: "Rockwell Automation/Allen-Bradley"},
    }


def test_a_bacnet_i_am_vendor_id_is_named_as_wireshark_names_it(tmp_path: Path) -> None:
    expected = tshark_names("bacapp.vendor_identifier", 15)
    capture = corpus_dir() / "pcaps" / "bacnet" / "icsnpp_bacnet_example.pcap"
    inv, _ = analyze(tmp_path, capture)
    device = with_address(inv, "172.20.32.108")
    # I-Am from 172.20.32.108: bacapp.vendor_identifier 15
    assert identity(device, "vendor_id") == {"15": {"bacnet.i_am"}}
    assert identity(device, "vendor") == {expected: {"bacnet.vendor_registry"}}


def test_a_reserved_vendor_id_gets_no_name(tmp_path: Path) -> None:
    assert tshark_names("bacapp.vendor_identifier", 999).startswith("Reserved")
    inv, _ = analyze(tmp_path, DATA / "bacnet-bacpypes3.pcap")
    named = [a for a in inv.assets.values() if "999" in identity(a, "vendor_id")]
    assert named and all(identity(a, "vendor") == {} for a in named)
    assert vendor_name("bacnet", 999) is None


def test_a_list_identity_vendor_id_is_named_as_wireshark_names_it(tmp_path: Path) -> None:
    expected = tshark_names("enip.lir.vendor", 1)
    inv, _ = analyze(tmp_path, DATA / "enip-session.pcap")
    named = [a for a in inv.assets.values() if "1" in identity(a, "vendor_id")]
    assert named
    for asset in named:
        assert identity(asset, "vendor")[expected] == {"cip.vendor_registry"}

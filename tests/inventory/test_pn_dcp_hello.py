"""PROFINET DCP Hello (IEC 61158-6-10, 4.3.1: a station announcing itself when it starts):
its name of station, DeviceVendorValue, vendor and device ids, role and IP parameters
describe the sending station, which is an asset even if nothing else of it is seen.

No capture in ../shared/corpus carries DCP, so the capture is built here frame by frame
from the standard's block layouts; tshark, when installed, must read it as the tests say."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from typing import Final

import pytest

from interlock.capture.writer import PcapWriter
from inventory.analyzed import analyze, identity, with_address
from protocols.identity.frames import ethernet, ip, mac
from protocols.identity.link_frames import dcp, dcp_block
from tests_support import DATA

HELLO_MULTICAST: Final = mac("01:0e:cf:00:00:01")
DRIVE: Final = "00:1b:1b:6a:00:07"
START: Final = 1_767_225_600.0
ORDER_NUMBER: Final = "6SL3210-1KE17-5UF1"


def hello(name: bytes, vendor_value: bytes, address: str, gateway: str) -> bytes:
    """A Hello request (FrameID 0xFEFC, ServiceID 6): every block starts with BlockInfo."""
    blocks = (
        dcp_block(2, 2, b"\0\0" + name)
        + dcp_block(2, 1, b"\0\0" + vendor_value)
        + dcp_block(2, 3, b"\0\0" + struct.pack("!HH", 0x002A, 0x0A21))
        + dcp_block(2, 4, b"\0\0" + bytes((0x01, 0)))
        + dcp_block(1, 2, b"\0\1" + ip(address) + ip("255.255.255.0") + ip(gateway))
    )
    return dcp(0xFEFC, 6, 0, 0x0300_0001, blocks)


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dcp") / "pn_dcp-hello.pcap"
    frame = ethernet(
        HELLO_MULTICAST,
        mac(DRIVE),
        0x8892,
        hello(b"drive-7", ORDER_NUMBER.encode(), "192.168.0.37", "192.168.0.1"),
    )
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for n in range(2):  # a station repeats its Hello
            writer.write(START + n, frame)
    return path


def test_wireshark_reads_the_hello_as_the_tests_say(capture: Path) -> None:
    if shutil.which("tshark") is None:
        pytest.skip("tshark is not installed: the capture's reading is not cross-checked")
    fields = [
        "eth.src", "pn_dcp.service_id", "pn_dcp.suboption_device_nameofstation",
        "pn_dcp.suboption_device_devicevendorvalue", "pn_dcp.suboption_vendor_id",
        "pn_dcp.suboption_device_id", "pn_dcp.suboption_device_role", "pn_dcp.suboption_ip_ip",
        "pn_dcp.suboption_ip_subnetmask", "pn_dcp.suboption_ip_standard_gateway",
    ]  # fmt: skip
    command = ["tshark", "-n", "-r", str(capture), "-T", "fields"]
    done = subprocess.run(
        [*command, *(arg for f in fields for arg in ("-e", f))],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    expected = [DRIVE, "6", "drive-7", ORDER_NUMBER, "0x002a", "0x0a21", "0x01",
                "192.168.0.37", "255.255.255.0", "192.168.0.1"]  # fmt: skip
    assert [line.split("\t") for line in done.stdout.splitlines()] == [expected, expected]
    verbose = subprocess.run(
        ["tshark", "-n", "-r", str(capture), "-V", "-c", "1"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert "ServiceID: Hello (6)" in verbose and "[Malformed" not in verbose


def test_a_station_known_only_by_its_hello_is_an_asset(tmp_path: Path, capture: Path) -> None:
    inv, changes = analyze(tmp_path, capture)
    drive = with_address(inv, DRIVE)
    # The IP block binds its address to the station's MAC address.
    assert set(drive.addresses) == {DRIVE, "192.168.0.37"}
    hello = {"pn_dcp.hello"}
    assert identity(drive, "station_name") == {"drive-7": hello}
    assert identity(drive, "model") == {ORDER_NUMBER: hello}
    assert identity(drive, "vendor_id") == {"0x002a": hello}
    assert identity(drive, "device_id") == {"0x0a21": hello}
    assert identity(drive, "device_role") == {"IO-Device": hello}
    assert identity(drive, "ip") == {"192.168.0.37": hello}
    assert identity(drive, "subnet_mask") == {"255.255.255.0": hello}
    assert identity(drive, "gateway") == {"192.168.0.1": hello}
    [name] = [v for v in drive.identity.values() if v.attribute == "station_name"]
    assert (name.evidence.frame, name.evidence.ts, name.span.count) == (1, START, 2)
    assert [c.kind for c in changes if c.asset_id == drive.id] == ["new_asset"]


def test_a_hello_and_an_identify_answer_of_one_station_are_both_kept(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "identity-pn_dcp.pcap")
    station = with_address(inv, "00:0e:8c:aa:00:02")
    # Frame 3 (Ident Ok) and frame 14 (Hello Req) from eth.src 00:0e:8c:aa:00:02:
    # NameOfStation "et200sp-io", DeviceRoleDetails 0x02.
    both = {"pn_dcp.identify", "pn_dcp.hello"}
    assert identity(station, "station_name") == {"et200sp-io": both}
    assert identity(station, "device_role") == {"IO-Controller": both}
    # The other station's Hello-less answers stay its own.
    plc = with_address(inv, "00:1b:1b:12:34:56")
    assert "pn_dcp.hello" not in {v.source for v in plc.identity.values()}

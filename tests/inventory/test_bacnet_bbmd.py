"""BACnet devices known only through a BBMD: a Forwarded-NPDU (ASHRAE 135 Annex J.4.5)
names the original sender's B/IP address, which becomes an asset of its own (with the
devices routed behind it as children), never the BBMD's identity or MAC address.

The capture is hand-built here, datagram by datagram from the standard's clauses, as a
BBMD (10.0.0.2) sends it to a registered foreign device (10.0.0.1); tshark, when
installed, must read it as the tests say."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Final

import pytest

from interlock.analyze import sha256_of
from interlock.capture.writer import PcapWriter
from inventory.analyzed import analyze, identity, with_address
from protocols.bacnet.frames import BASE_TS, CLIENT_IP, DEVICE_IP, STEP, udp_frame

BBMD, FOREIGN = DEVICE_IP, CLIENT_IP
BBMD_MAC: Final = "02:00:00:00:00:02"


def bvlc(function: int, body: str) -> bytes:
    data = bytes.fromhex(body.replace(" ", ""))
    return bytes((0x81, function)) + (4 + len(data)).to_bytes(2, "big") + data


def forwarded(origin: str, port: int, npdu_apdu: str) -> bytes:
    """A Forwarded-NPDU: the original source's B/IP address (4 + 2 octets), then the NPDU."""
    address = bytes(int(part) for part in origin.split(".")) + port.to_bytes(2, "big")
    return bvlc(0x04, address.hex() + npdu_apdu)


# I-Am (clause 16.1): device object id, max APDU 1476, no-segmentation (3), vendor id.
I_AM_7009: Final = "0100 1000 c402001b61 2205c4 9103 2107"  # device 7009, vendor 7
I_AM_12005_ROUTED: Final = "0108 000c 01 05 1000 c402002ee5 2201e0 9103 2118"  # SNET 12, SADR 05
I_AM_2: Final = "0100 1000 c402000002 2205c4 9103 220104"  # device 2, vendor 260
WHO_IS: Final = "0100 1008"
DATAGRAMS: Final = [
    (FOREIGN, BBMD, bvlc(0x05, "003c")),  # Register-Foreign-Device, TTL 60 s
    (BBMD, FOREIGN, bvlc(0x00, "0000")),  # BVLC-Result: successful completion
    (BBMD, FOREIGN, forwarded("192.168.7.9", 47808, I_AM_7009)),
    (BBMD, FOREIGN, forwarded("192.168.7.20", 47809, I_AM_12005_ROUTED)),
    (BBMD, FOREIGN, forwarded(BBMD, 47808, I_AM_2)),  # the BBMD's own broadcast
    (BBMD, FOREIGN, forwarded("192.168.7.9", 47808, WHO_IS)),
]


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bbmd") / "bacnet-bbmd.pcap"
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for n, (src, dst, data) in enumerate(DATAGRAMS):
            writer.write(BASE_TS + n * STEP, udp_frame(src, dst, data, n + 1))
    return path


def test_wireshark_reads_the_capture_as_the_tests_say(capture: Path) -> None:
    if shutil.which("tshark") is None:
        pytest.skip("tshark is not installed: the capture's reading is not cross-checked")
    fields = [
        "frame.number", "ip.src", "eth.src", "bvlc.fwd_ip", "bvlc.fwd_port", "bacnet.snet",
        "bacnet.sadr_mstp", "bacapp.instance_number", "bacapp.vendor_identifier",
    ]  # fmt: skip
    command = ["tshark", "-n", "-r", str(capture), "-Y", "bvlc.function == 0x04", "-T", "fields"]
    done = subprocess.run(
        [*command, *(arg for f in fields for arg in ("-e", f))],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert rows == [
        ["3", BBMD, BBMD_MAC, "192.168.7.9", "47808", "", "", "7009", "7"],
        ["4", BBMD, BBMD_MAC, "192.168.7.20", "47809", "12", "5", "12005", "24"],
        ["5", BBMD, BBMD_MAC, BBMD, "47808", "", "", "2", "260"],
        ["6", BBMD, BBMD_MAC, "192.168.7.9", "47808", "", "", "", ""],
    ]


def test_a_forwarded_sender_is_an_asset_with_the_bbmd_as_evidence(
    tmp_path: Path, capture: Path
) -> None:
    inv, changes = analyze(tmp_path, capture)
    device = with_address(inv, "192.168.7.9")
    # No traffic of its own: its address only, never the BBMD's MAC address.
    assert list(device.addresses) == ["192.168.7.9"]
    assert identity(device, "device_instance") == {"7009": {"bacnet.i_am"}}
    assert identity(device, "vendor_id") == {"7": {"bacnet.i_am"}}
    assert identity(device, "bacnet_address") == {"192.168.7.9:47808": {"bacnet.bvlc_forwarded"}}
    assert identity(device, "forwarded_by") == {BBMD: {"bacnet.bvlc_forwarded"}}
    [address] = [v for v in device.identity.values() if v.attribute == "bacnet_address"]
    # Frames 3 and 6 forwarded its messages (an I-Am, a Who-Is).
    assert (address.evidence.frame, address.evidence.ts) == (3, BASE_TS + 2 * STEP)
    assert address.span.count == 2 and address.evidence.capture == sha256_of(capture)
    assert {(p, side, port) for p, side, port in device.protocols} == {("bacnet", "client", 47808)}
    assert "new asset 192.168.7.9" in [c.summary for c in changes]


def test_a_device_routed_behind_a_forwarded_sender_is_its_child(
    tmp_path: Path, capture: Path
) -> None:
    inv, _ = analyze(tmp_path, capture)
    router = with_address(inv, "192.168.7.20")
    assert identity(router, "bacnet_address") == {"192.168.7.20:47809": {"bacnet.bvlc_forwarded"}}
    assert identity(router, "device_instance") == {}
    [child] = inv.children_of(router.id)
    assert (child.child_kind, child.child_key) == ("bacnet_device", "12:05")
    assert identity(child, "device_instance") == {"12005": {"bacnet.i_am"}}
    assert identity(child, "vendor_id") == {"24": {"bacnet.i_am"}}


def test_the_bbmd_keeps_its_own_identity_and_none_of_the_forwarded_ones(
    tmp_path: Path, capture: Path
) -> None:
    inv, _ = analyze(tmp_path, capture)
    bbmd = with_address(inv, BBMD)
    assert set(bbmd.addresses) == {BBMD, BBMD_MAC}
    # Frame 5 forwarded its own I-Am: it is the BBMD's, with no relay of its own.
    assert identity(bbmd, "device_instance") == {"2": {"bacnet.i_am"}}
    assert identity(bbmd, "forwarded_by") == {}
    assert inv.children_of(bbmd.id) == []
    others = [a for a in inv.assets.values() if a.id != bbmd.id]
    assert all("2" not in identity(a, "device_instance") for a in others)
    assert all(BBMD_MAC not in a.addresses for a in others)

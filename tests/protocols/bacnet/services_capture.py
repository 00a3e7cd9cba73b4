"""A hand-built BACnet/IP capture covering what the bacpypes3 conversation does not: every
BVLC function, routed NPDUs (DNET/SNET), network-layer messages, the services detection
cares about (DeviceCommunicationControl, ReinitializeDevice, WritePropertyMultiple,
Who-Has/I-Have, COV, time synchronization, files, create/delete), every APDU type, and a
segmented Complex-ACK. Each datagram is encoded by hand from ASHRAE 135's clauses.

Regenerate tests/data/bacnet-services.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/bacnet/services_capture.py
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path
from typing import Final

from interlock.capture.writer import PcapWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, when run as a script
from protocols.bacnet.frames import BASE_TS, DATA, STEP, udp_frame

CAPTURE: Final = DATA / "bacnet-services.pcap"
A, B = "10.0.0.1", "10.0.0.2"


def bvlc(function: int, body: bytes) -> bytes:
    return bytes((0x81, function)) + struct.pack(">H", 4 + len(body)) + body


def unicast(npdu_apdu: str) -> bytes:
    return bvlc(0x0A, bytes.fromhex(npdu_apdu.replace(" ", "")))


# (from, to, BVLC datagram); NPDU "0104" = version 1, expecting reply; "0100" = none.
DATAGRAMS: Final[list[tuple[str, str, bytes]]] = [
    # BVLC functions without an NPDU.
    (A, B, bvlc(0x02, b"")),
    (B, A, bvlc(0x03, bytes.fromhex("0a000001bac0ffffffff0a000002bac0ffffff00"))),
    (A, B, bvlc(0x05, bytes.fromhex("003c"))),
    (B, A, bvlc(0x00, bytes.fromhex("0000"))),
    (A, B, bvlc(0x06, b"")),
    (B, A, bvlc(0x07, bytes.fromhex("0a000003bac0003c0032"))),
    (A, B, bvlc(0x08, bytes.fromhex("0a000003bac0"))),
    (B, A, bvlc(0x00, bytes.fromhex("0050"))),
    (A, B, bvlc(0x01, bytes.fromhex("0a000001bac0ffffffff"))),
    # Forwarded-NPDU: an I-Am from 10.0.0.9 relayed by a BBMD.
    (
        B,
        A,
        bvlc(
            0x04,
            bytes.fromhex("0a000009bac0 0100 1000 c4020003e9 2205c4 9103 2201 04".replace(" ", "")),
        ),
    ),
    # Distribute-Broadcast-To-Network: a global Who-Is with a range.
    (A, B, bvlc(0x09, bytes.fromhex("0120ffff00ff 1008 0a03e8 1a07d0".replace(" ", "")))),
    # Network layer: Who-Is-Router, I-Am-Router with two networks, Reject, routed I-Am.
    (A, B, bvlc(0x0B, bytes.fromhex("0180 00"))),
    (B, A, bvlc(0x0B, bytes.fromhex("0180 01 0005 0006".replace(" ", "")))),
    (B, A, bvlc(0x0A, bytes.fromhex("0180 03 01 0007".replace(" ", "")))),
    (
        B,
        A,
        bvlc(
            0x0B, bytes.fromhex("0108 0005 01 07 1000 c4020000fa 2201e0 9100 2100".replace(" ", ""))
        ),
    ),
    # A routed ReadProperty to device 250 behind network 5, and its answer.
    (A, B, unicast("0124 0005 01 07 ff 0005 01 0c 0c020000fa 194d")),
    (B, A, unicast("0108 0005 01 07 3001 0c 0c020000fa 194d 3e 7505 0048552d32 3f")),
    # WriteProperty with priority, WritePropertyMultiple, their answers.
    (A, B, unicast("0104 0005 02 0f 0c00400001 1955 3e 4442280000 3f 4908")),
    (B, A, unicast("0100 2002 0f")),
    (
        A,
        B,
        unicast(
            "0104 0005 03 10 0c00c00002 1e 0955 2e 9101 2f 3905 1f 0c00c00003 1e 0955 2e 9100 2f 1f"
        ),
    ),
    (B, A, unicast("0100 5003 10 0e 9102 9128 0f 1e 0c00c00003 1955 1f")),
    # DeviceCommunicationControl (disable 60 minutes, with a password) and a reject.
    (A, B, unicast("0104 0005 04 11 093c 1901 2d0700736563726574")),
    (B, A, unicast("0100 6004 09")),
    # ReinitializeDevice warmstart without a password, and an abort from the server.
    (A, B, unicast("0104 0005 05 14 0901")),
    (B, A, unicast("0100 7105 05")),
    # Who-Has by name, I-Have, time synchronization, unconfirmed COV.
    (A, B, bvlc(0x0B, bytes.fromhex("0100 1007 3d0700426f696c6572".replace(" ", "")))),
    (
        B,
        A,
        bvlc(
            0x0B,
            bytes.fromhex("0100 1001 c4020003e9 c400800001 750700426f696c6572".replace(" ", "")),
        ),
    ),
    (A, B, bvlc(0x0B, bytes.fromhex("0100 1006 a47a0101ff b40c1e0000".replace(" ", "")))),
    (
        B,
        A,
        unicast(
            "0100 1002 0901 1c020003e9 2c00800001 3900 4e 0955 2e 4442280000 2f 096f 2e 820400 2f 4f"
        ),
    ),
    # SubscribeCOV, AtomicReadFile, CreateObject, DeleteObject.
    (A, B, unicast("0104 0005 06 05 0912 1c00800001 2901 3a012c")),
    (A, B, unicast("0104 0005 07 06 c402800001 0e 3100 2201f4 0f")),
    (A, B, unicast("0104 0005 08 0a 0e 1c00800007 0f 1e 094d 2e 7504004e6577 2f 1f")),
    (A, B, unicast("0104 0005 09 0b c400800007")),
    # ReadPropertyMultiple whose ACK carries a value and an error.
    (A, B, unicast("0104 0005 0a 0e 0c00800001 1e 0955 091c 1f")),
    (B, A, unicast("0100 300a 0e 0c00800001 1e 2955 4e 4442280000 4f 291c 5e 9102 9120 5f 1f")),
    # A segmented ReadProperty ACK of an object list, its segment ACKs.
    (A, B, unicast("0106 0375 0b 0c 0c020003e9 194c")),
    (B, A, unicast("0104 3c0b0002 0c 0c020003e9 194c 3e c4020003e9 c400000001")),
    (A, B, unicast("0100 400b0002")),
    (B, A, unicast("0104 380b0102 0c c400800001 c400c00002 3f")),
    (A, B, unicast("0100 400b0102")),
]


def write_capture(path: Path = CAPTURE) -> None:
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for n, (src, dst, data) in enumerate(DATAGRAMS):
            writer.write(BASE_TS + n * STEP, udp_frame(src, dst, data, n + 1))


if __name__ == "__main__":
    from tests_support import write_golden

    write_capture()
    write_golden(CAPTURE, "bacnet")

"""Every protocol is recognized on a port that is not its own, by parsing its content.

Each committed capture is rewritten with its protocol's well-known ports moved to unused
ones; dissecting the rewritten capture must give the same units, field for field, as the
original. And the OPC UA corpus capture on port 48010 is dissected with no --decode-as.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from interlock.capture import open_capture
from interlock.capture.linktypes import ETHERNET
from interlock.capture.writer import PcapWriter
from interlock.protocols.registry import PROTOCOLS
from tests_support import DATA, SHARED, corpus_dir, interlock_command

# capture -> the protocols whose ports move. AnyDesk has no documented cleartext signature:
# it is recognized by port only, by design (see its spec). EtherNet/IP class 1 I/O on UDP
# 2222 has no header to recognize; it is found through the Forward Open, so only the
# encapsulation port moves.
CAPTURES: dict[str, list[str | int]] = {
    "demo-modbus": ["modbus"],
    "dnp3-demo": ["dnp3"],
    "enip-session": [44818],
    "s7comm-snap7": ["s7comm"],
    "iec104-c104": ["iec104"],
    "bacnet-bacpypes3": ["bacnet"],
    "opcua-asyncua": ["opcua"],
    "mqtt-mosquitto": ["mqtt"],
    "tls-ssl": ["tls"],
    "dns-dnspython": [53],  # 5353 stays: mDNS is found by its port only (it is DNS by content)
    "http-stdlib": ["http"],
    "ssh-openssh": ["ssh"],
    "ftp-ftplib": ["ftp"],
    "remote-access": ["rdp", "smb", "vnc", "telnet", "teamviewer"],
}
FIRST_FREE_PORT = 41000


def moved(capture: Path, protocols: list[str | int], out: Path) -> None:
    """capture with the ports given, and every well-known port of the protocols named,
    replaced by unused ones."""
    ports: set[int] = set()
    for item in protocols:
        if isinstance(item, int):
            ports.add(item)
        else:
            ports |= PROTOCOLS[item].tcp_ports | PROTOCOLS[item].udp_ports
    mapping = {port: FIRST_FREE_PORT + i for i, port in enumerate(sorted(ports))}
    with out.open("wb") as stream, PcapWriter(stream) as writer:
        for frame in open_capture(capture):
            writer.write(frame.ts, rewrite(frame.linktype, frame.data, mapping), frame.wire_len)


def rewrite(linktype: int, data: bytes, mapping: dict[int, int]) -> bytes:
    assert linktype == ETHERNET, "the committed captures are Ethernet"
    if data[12:14] != b"\x08\x00" or data[23] not in (6, 17):
        return data
    at = 14 + (data[14] & 0x0F) * 4
    sport, dport = struct.unpack_from(">HH", data, at)
    out = bytearray(data)
    struct.pack_into(">HH", out, at, mapping.get(sport, sport), mapping.get(dport, dport))
    return bytes(out)


def units(capture: Path) -> list[tuple[int, str, Any]]:
    out = subprocess.run(
        [*interlock_command(), "dissect", str(capture), "--jsonl"], capture_output=True, check=True
    ).stdout
    records = [json.loads(line) for line in out.splitlines()]
    return [(r["frame"], r["proto"], r["fields"]) for r in records if r["transport"] != "ether"]


@pytest.mark.parametrize("stem", sorted(CAPTURES))
def test_a_protocol_on_another_port_is_found_by_its_content(stem: str, tmp_path: Path) -> None:
    original = DATA / f"{stem}.pcap"
    elsewhere = tmp_path / f"{stem}-moved.pcap"
    moved(original, CAPTURES[stem], elsewhere)
    expected = units(original)
    assert expected, f"{stem}: nothing dissected in the original"
    assert units(elsewhere) == expected


def test_opc_ua_on_port_48010_is_found_without_decode_as() -> None:
    corpus = corpus_dir()
    tool = SHARED / "tools" / "conformance.py"
    env = dict(
        os.environ, PATH=str(Path(interlock_command()[0]).parent) + os.pathsep + os.environ["PATH"]
    )
    env.pop("MANIFEST", None)  # without the MANIFEST, the tool passes no --decode-as at all
    proc = subprocess.run(
        [sys.executable, str(tool), str(corpus / "pcaps"), str(corpus / "truth" / "pcaps"), "0.99", "opcua"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The tool prints the worst file's name when any falls short; opcua must be whole.
    assert "opcua: 1.0000" in proc.stdout, proc.stdout

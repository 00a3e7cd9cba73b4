"""Every remote-access probe is strict: it claims its own first segment and rejects the
first bytes of other protocols and random data."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.protocols.ftp.spec import SPEC as FTP
from interlock.protocols.rdp.spec import SPEC as RDP
from interlock.protocols.smb.spec import SPEC as SMB
from interlock.protocols.spec import ProtocolSpec
from interlock.protocols.ssh.spec import SPEC as SSH
from interlock.protocols.teamviewer.spec import ANYDESK, TEAMVIEWER
from interlock.protocols.telnet.spec import SPEC as TELNET
from interlock.protocols.vnc.spec import SPEC as VNC
from protocols.remote_access import crafted_capture as crafted

OWN = {
    "ssh": b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n",
    "ftp": b"220 (vsFTPd 3.0.5)\r\n",
    "rdp": crafted.rdp_chunks(False)[0][1],
    "smb": crafted.smb_chunks()[0][1],
    "vnc": b"RFB 003.008\n",
    "telnet": b"\xff\xfd\x18\xff\xfd\x20\xff\xfb\x01",
    "teamviewer": crafted.teamviewer_chunks()[0][1],
}
SPECS = [SSH, FTP, RDP, SMB, VNC, TELNET, TEAMVIEWER, ANYDESK]
FOREIGN = [
    b"GET / HTTP/1.1\r\nHost: plc\r\n\r\n",
    bytes.fromhex("160301020001000200") + bytes(100),
    struct.pack(">HHHBB", 1, 0, 6, 1, 3) + b"\x00\x00\x00\x0a",  # Modbus read holding registers
    bytes.fromhex("0300001611e00000000100c0010ac1020100c2020102"),  # S7comm COTP CR (port 102)
    b"220 mail.example.com ESMTP Postfix\r\n",
    b"+OK POP3 server ready\r\n",
    bytes(range(256)),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_probe_claims_its_own_first_segment_only(spec: ProtocolSpec) -> None:
    for name, data in OWN.items():
        assert spec.probe(data, 0, len(data)) == (name == spec.name), name


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_probe_rejects_other_protocols(spec: ProtocolSpec) -> None:
    for data in FOREIGN:
        assert not spec.probe(data, 0, len(data)), data[:16]


@given(st.binary(max_size=300))
def test_probes_never_claim_random_bytes(data: bytes) -> None:
    data = b"\x5a" + data  # no remote-access protocol starts with "Z"
    assert not any(spec.probe(data, 0, len(data)) for spec in SPECS)

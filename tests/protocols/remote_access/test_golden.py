"""Golden outputs on the project's own remote-access captures and their agreement with
Wireshark 4.0 (the committed <stem>.wireshark.tsv files are tshark 4.0.17's dissection,
written by golden.write_truth).

- ssh-openssh.pcap: a real OpenSSH client (tests/protocols/ssh/openssh_capture.py).
- ftp-ftplib.pcap: Python's ftplib (tests/protocols/ftp/ftplib_capture.py).
- remote-access.pcap: crafted RDP, SMB2, VNC, TeamViewer, AnyDesk and a telnetlib login
  (tests/protocols/remote_access/crafted_capture.py).

Known, intended differences with Wireshark, excluded below: a PASS argument is never
shown (``ftp.request.arg``); Wireshark repeats ``smb2.tree`` on every message of a tree
and decodes NTLMSSP inside SPNEGO only with the negotiation context it tracks.
"""

from __future__ import annotations

import pytest

from protocols.remote_access.golden import disagreements, dissect
from tests_support import DATA

CAPTURES = ("ssh-openssh", "ftp-ftplib", "remote-access")
COMPARED = {
    "ssh-openssh": {
        "ssh": ("ssh.protocol", "ssh.packet_length", "ssh.padding_length", "ssh.message_code",
                "ssh.kex_algorithms", "ssh.kex.hassh", "ssh.kex.hasshserver", "ssh.host_key.type"),
    },
    "ftp-ftplib": {
        "ftp": ("ftp.request.command", "ftp.request.arg", "ftp.response.code", "ftp.response.arg",
                "ftp.passive.ip", "ftp.passive.port", "ftp.epsv.port"),
    },
    "remote-access": {
        "rdp": ("rdp.rt_cookie", "rdp.neg_type", "rdp.negReq.requestedProtocols",
                "rdp.negReq.selectedProtocol", "rdp.negFailure.failureCode"),
        "smb": ("smb2.cmd", "smb2.msg_id", "smb2.sesid", "smb2.dialect", "smb2.tree",
                "smb2.filename"),
        "vnc": ("vnc.server_proto_ver", "vnc.client_proto_ver", "vnc.security_type",
                "vnc.client_security_type", "vnc.auth_result", "vnc.share_desktop_flag",
                "vnc.width", "vnc.height", "vnc.desktop_name"),
        "telnet": ("telnet.cmd", "telnet.subcmd"),
    },
}  # fmt: skip
INTENDED = {
    "ftp-ftplib": ("frame 7 ftp.request.arg", "frame 62 ftp.request.arg"),  # PASS never shown
    "remote-access": ("frame 27 smb2.tree", "frame 28 smb2.tree"),  # Wireshark repeats the tree
}


@pytest.mark.parametrize("stem", CAPTURES)
def test_dissect_jsonl_matches_the_golden_file(stem: str) -> None:
    capture = DATA / f"{stem}.pcap"
    assert dissect(capture, "--jsonl") == (DATA / f"{stem}.dissect.jsonl").read_bytes()


@pytest.mark.parametrize("stem", CAPTURES)
def test_transactions_match_the_golden_file(stem: str) -> None:
    capture = DATA / f"{stem}.pcap"
    assert dissect(capture, "--transactions") == (DATA / f"{stem}.transactions.jsonl").read_bytes()


@pytest.mark.parametrize("stem", CAPTURES)
def test_every_compared_field_agrees_with_wireshark(stem: str) -> None:
    capture = DATA / f"{stem}.pcap"
    for proto, fields in COMPARED[stem].items():
        problems = [
            p for p in disagreements(capture, proto, fields)
            if not p.startswith(INTENDED.get(stem, ()))
        ]  # fmt: skip
        assert problems == [], proto


@pytest.mark.parametrize("stem", CAPTURES)
def test_output_is_deterministic(stem: str) -> None:
    capture = DATA / f"{stem}.pcap"
    assert dissect(capture, "--jsonl") == dissect(capture, "--jsonl")


def test_no_password_reaches_any_output() -> None:
    for stem, secrets in (
        ("ftp-ftplib", (b"s3cret-pw", b"guess")),
        ("remote-access", (b"wrong-guess", b"correct-horse")),
    ):
        capture = DATA / f"{stem}.pcap"
        assert secrets[0] in capture.read_bytes()  # the capture does carry them
        for flag in ("--jsonl", "--transactions"):
            out = dissect(capture, flag)
            assert not any(secret in out for secret in secrets), (stem, flag)

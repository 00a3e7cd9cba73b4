"""SSH banners, cleartext packet framing (and why encrypted packets fail it), KEXINIT."""

from __future__ import annotations

import struct

from interlock.protocols.ssh.kexinit import negotiate
from interlock.protocols.ssh.packets import SshBanner, SshPacket, parse, starts_unit, unit_length
from protocols.ssh.openssh_capture import SERVER_LISTS, packet, string


def kexinit(kex: bytes) -> bytes:
    lists = (kex, *SERVER_LISTS[1:])
    return packet(b"\x14" + bytes(16) + b"".join(map(string, lists)) + bytes(5))


def test_banner_is_split_into_versions_and_comments() -> None:
    line = b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5\r\n"
    unit = parse(line, 0, len(line))
    assert unit == SshBanner(
        "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5", "2.0", "OpenSSH_9.6p1",
        "Ubuntu-3ubuntu13.5", (),
    )  # fmt: skip


def test_banner_anomalies() -> None:
    assert parse(b"SSH-2.0-dropbear\n", 0, 17).anomalies == ("ssh.banner_no_crlf",)
    assert "ssh.bad_banner" in parse(b"SSH-2.0\r\n", 0, 9).anomalies
    assert "ssh.banner_too_long" in parse(b"SSH-2.0-x " + b"a" * 300 + b"\r\n", 0, 312).anomalies


def test_kexinit_fields_hassh_and_post_quantum() -> None:
    data = kexinit(b"mlkem768x25519-sha256,curve25519-sha256")
    assert unit_length(data, 0) == len(data)
    unit = parse(data, 0, len(data))
    assert isinstance(unit, SshPacket) and unit.kexinit is not None
    assert unit.message_code == 20 and unit.anomalies == ()
    assert unit.kexinit.post_quantum_kex() == ("mlkem768x25519-sha256",)
    assert unit.kexinit.hassh_algorithms(False).startswith("mlkem768x25519-sha256,curve")
    assert len(unit.kexinit.hassh(True)) == 32


def test_cut_kexinit_is_flagged() -> None:
    data = kexinit(b"curve25519-sha256")
    broken = data[:4] + data[4:6] + data[6:40]
    unit = parse(broken, 0, len(broken))
    assert isinstance(unit, SshPacket) and unit.kexinit is not None
    assert "ssh.bad_kexinit" in unit.kexinit.anomalies and "ssh.truncated" in unit.anomalies


def test_encrypted_packets_fail_the_cleartext_framing() -> None:
    gcm = struct.pack(">I", 32) + bytes(range(1, 49))  # AES-GCM: length excludes itself
    assert unit_length(gcm, 0) == -1 and not starts_unit(gcm, 0, len(gcm))
    chacha = bytes.fromhex("9b3c01d2") + bytes(60)  # the length itself is ciphertext
    assert unit_length(chacha, 0) == -1
    newkeys = packet(b"\x15")
    assert unit_length(newkeys + chacha, 0) == len(newkeys)
    assert unit_length(newkeys + chacha, len(newkeys)) == -1


def test_negotiation_takes_the_first_client_algorithm_the_server_has() -> None:
    assert (
        negotiate(
            "sntrup761x25519-sha512,curve25519-sha256", "mlkem768x25519-sha256,curve25519-sha256"
        )
        == "curve25519-sha256"
    )
    assert negotiate("a", "b") is None

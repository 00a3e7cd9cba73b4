"""SMB2 messages, NTLMSSP identity (never the responses), SMB1 on the corpus shape."""

from __future__ import annotations

from interlock.protocols.smb.nbss import parse, probe
from interlock.protocols.smb.ntlmssp import find_ntlmssp
from interlock.protocols.smb.session import SmbSession
from protocols.remote_access.crafted_capture import ntlm_authenticate, smb_chunks


def unit(n: int):  # type: ignore[no-untyped-def]
    data = smb_chunks()[n][1]
    return parse(data, 0, len(data))


def test_negotiate_dialects_and_selected_dialect() -> None:
    assert unit(0).messages[0].dialects == ("0x0202", "0x0210", "0x0300", "0x0302", "0x0311")
    response = unit(1).messages[0]
    assert response.dialect == 0x0311 and response.security_mode == 3


def test_session_setup_identity_only() -> None:
    ntlm = unit(2).messages[0].ntlm
    assert ntlm is not None and (ntlm.domain, ntlm.user, ntlm.workstation) == (
        "PLANT",
        "engineer",
        "EWS-01",
    )
    assert set(ntlm._fields) == {"message_type", "domain", "user", "workstation", "anomalies"}


def test_tree_create_and_transform() -> None:
    assert unit(4).messages[0].path == "\\\\hmi-01\\ADMIN$"
    create = unit(6).messages[0]
    assert create.filename == "Temp\\payload.exe" and create.desired_access == 0x40000002
    assert unit(8).messages[0].version == 3 and unit(8).messages[0].session_id == 0x4411


def test_pairing_by_message_id() -> None:
    session = SmbSession()
    assert session.observe(unit(0), True, 1, 0.0)[0] is not None
    answered = session.observe(unit(1), False, 2, 0.0)[0]
    assert answered is not None and answered.frame == 1 and session.dialect == 0x0311


def test_anomalies() -> None:
    data = smb_chunks()[2][1]
    assert "smb.truncated" in parse(data[:40], 0, 40).anomalies
    assert parse(b"\x00\x00\x00\x04ABCD", 0, 8).anomalies == ("smb.unknown_magic",)
    cut = ntlm_authenticate()[:80]
    broken = find_ntlmssp(cut)
    assert broken is not None and "smb.ntlmssp_truncated" in broken.anomalies
    assert probe(smb_chunks()[0][1], 0, len(smb_chunks()[0][1]))

"""The RFB handshake reader: versions, None security, result, ServerInit, then counting."""

from __future__ import annotations

from interlock.protocols.vnc.rfb import parse
from interlock.protocols.vnc.session import VncSession
from protocols.remote_access.crafted_capture import vnc_chunks


def test_handshake_is_read_in_order_and_ends_with_a_summary() -> None:
    session = VncSession()
    infos = [
        session.observe(parse(data, 0, len(data)), direction == 0, n, 0.0)
        for n, (direction, data) in enumerate(vnc_chunks(), 1)
    ]
    assert infos[2].security_types == (1, 2) and infos[3].client_security_type == 1
    assert infos[4].auth_result == 0 and infos[5].shared is True
    summary = infos[6].summary
    assert summary is not None and summary.desktop_name == "HMI-01 panel"
    assert (summary.width, summary.height, summary.security_type) == (1280, 1024, 1)
    assert infos[7].after_handshake and infos[8].after_handshake
    assert session.segments == [1, 1]


def test_failed_vnc_authentication_with_reason() -> None:
    session = VncSession()
    for direction, data in [(1, b"RFB 003.008\n"), (0, b"RFB 003.008\n"), (1, b"\x01\x02"),
                            (0, b"\x02"), (1, bytes(16)), (0, bytes(16))]:  # fmt: skip
        session.observe(parse(data, 0, len(data)), direction == 0, 1, 0.0)
    reason = b"Authentication failed"
    data = b"\x00\x00\x00\x01" + len(reason).to_bytes(4, "big") + reason
    info = session.observe(parse(data, 0, len(data)), False, 9, 0.0)
    assert info.summary is not None and not info.summary.auth_ok
    assert info.auth_error == "Authentication failed"


def test_bad_version() -> None:
    assert parse(b"RFB 3.8xxxxx\n", 0, 13).anomalies == ("vnc.bad_version",)

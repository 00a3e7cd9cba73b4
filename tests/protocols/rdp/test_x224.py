"""RDP Connection Request/Confirm: cookie user name, negotiation, anomalies."""

from __future__ import annotations

from interlock.protocols.rdp.x224 import parse, probe, protocol_names
from protocols.remote_access.crafted_capture import rdp_chunks


def test_connection_request_keeps_the_cookie_user() -> None:
    cr = rdp_chunks(False)[0][1]
    unit = parse(cr, 0, len(cr))
    assert unit.username == "operator" and unit.neg_type == 1 and unit.protocols == 3
    assert protocol_names(3) == ("TLS", "CredSSP") and protocol_names(0) == ("RDP",)
    assert probe(cr, 0, len(cr))


def test_confirm_and_failure() -> None:
    cc = rdp_chunks(False)[1][1]
    assert parse(cc, 0, len(cc)).protocols == 2
    refused = rdp_chunks(True)[1][1]
    unit = parse(refused, 0, len(refused))
    assert unit.neg_type == 3 and unit.protocols == 5


def test_anomalies() -> None:
    cr = rdp_chunks(False)[0][1]
    assert "rdp.truncated" in parse(cr[:20], 0, 20).anomalies
    unterminated = cr.replace(b"\r\n", b"--")
    assert "rdp.cookie_unterminated" in parse(unterminated, 0, len(unterminated)).anomalies
    bad = cr[:-8] + bytes.fromhex("0100090003000000")
    assert "rdp.bad_negotiation" in parse(bad, 0, len(bad)).anomalies

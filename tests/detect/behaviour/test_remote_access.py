"""remote_access: sessions into Purdue levels 1-2, relayed tools, admin shares, outsiders."""

from __future__ import annotations

from detect.behaviour.builders import detector, tx
from detect.behaviour.replay import Plant, feed, replay
from interlock.detect.hits import AssetView
from tests_support import DATA

EWS, HMI, RTU = "10.20.0.7", "10.10.0.30", "10.10.0.40"


def _plant() -> Plant:
    return Plant(
        {
            EWS: AssetView(1, 2.0, "ops"),
            HMI: AssetView(2, 2.0, "ops"),
            RTU: AssetView(3, 1.0, "field"),
        }
    )


def test_the_remote_access_capture_into_level_two() -> None:
    """RDP (accepted, refused), VNC, Telnet (refused then accepted) into the HMI and RTU;
    TeamViewer and AnyDesk from the engineering station out to their relays."""
    hits = replay(DATA / "remote-access.pcap", [detector("remote_access", context=_plant())])
    seen = sorted((h.protocol, h.dst.ip, h.outcome) for h in hits)
    assert seen == [
        ("anydesk", "198.51.100.7", "succeeded"),
        ("rdp", HMI, "refused"),
        ("rdp", HMI, "succeeded"),
        ("teamviewer", "203.0.113.10", "succeeded"),
        ("telnet", RTU, "refused"),
        ("telnet", RTU, "succeeded"),
        ("vnc", HMI, "succeeded"),
    ]
    by_protocol = {h.protocol: h for h in hits}
    assert by_protocol["teamviewer"].details["plant_end"] == EWS
    assert "TeamViewer session from 10.20.0.7" in by_protocol["teamviewer"].message
    rdp = by_protocol["rdp"]
    assert rdp.details["purdue_level"] == 2.0 and rdp.details["zone"] == "ops"
    assert "RDP" in rdp.message and "Purdue level 2" in rdp.message
    assert all("operator" not in h.message and "admin" not in str(h.details) for h in hits)


def test_admin_shares_count_for_smb_but_ipc_does_not() -> None:
    smb = detector("remote_access", {"protocols": ["smb"]}, _plant())
    hits = replay(DATA / "remote-access.pcap", [smb])
    [hit] = hits
    assert hit.details["path"].upper().endswith("ADMIN$") and hit.outcome == "succeeded"
    ipc = tx("smb", "Tree Connect AndX", f"{EWS}:1", f"{HMI}:139", 1.0, operation="session",
             details={"path": "\\\\HMI\\IPC$", "admin_share": True})  # fmt: skip
    assert feed(detector("remote_access", {"protocols": ["smb"]}, _plant()), [ipc]) == []


def test_nothing_is_reported_for_hosts_above_the_level_or_unknown() -> None:
    plant = Plant({HMI: AssetView(2, 3.0, "dmz")})
    assert replay(DATA / "remote-access.pcap", [detector("remote_access", context=plant)]) == []


def test_external_scope_needs_a_public_client_and_a_private_server() -> None:
    external = detector("remote_access", {"scope": "external"})
    inbound = tx("rdp", "X.224 Connection Request", "62.122.184.123:7488", "192.168.10.111:502",
                 1.0, operation="session", status="unanswered", details={"remote_access": True})  # fmt: skip
    outbound = tx("teamviewer", "connection", "10.20.0.7:5", "203.0.113.10:5938", 2.0,
                  operation="session", details={"remote_access": True})  # fmt: skip
    lateral = tx("ssh", "KEXINIT", "10.20.0.7:6", "10.10.0.30:22", 3.0,
                 operation="session", details={"remote_access": True})  # fmt: skip
    [hit] = feed(external, [inbound, outbound, lateral])
    assert hit.outcome == "attempted"
    assert "RDP connection attempt (not answered) from the outside address" in hit.message
    assert "not in the inventory" in hit.message


def test_one_hit_per_connection_and_outcome() -> None:
    ssh = detector("remote_access", context=_plant())
    kex = tx("ssh", "KEXINIT", f"{EWS}:5000", f"{HMI}:22", 1.0, operation="session",
             details={"remote_access": True, "encrypted": True})  # fmt: skip
    again = tx("ssh", "KEXINIT", f"{EWS}:5000", f"{HMI}:22", 2.0, operation="session",
               details={"remote_access": True})  # fmt: skip
    other = tx("ssh", "KEXINIT", f"{EWS}:5001", f"{HMI}:22", 3.0, operation="session",
               details={"remote_access": True})  # fmt: skip
    hits = feed(ssh, [kex, again, other])
    assert [h.ts for h in hits] == [1.0, 3.0]
    assert hits[0].details["encrypted"] is True

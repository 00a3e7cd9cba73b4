"""The shipped behaviour rules over the public corpus: the behaviours its captures hold are
found, and captures of ordinary operation raise nothing of high severity."""

from __future__ import annotations

from collections import Counter

import pytest

from detect.behaviour.pack import pack_detectors
from detect.behaviour.replay import Plant, replay
from interlock.detect.hits import Hit
from tests_support import corpus_dir

pytestmark = pytest.mark.corpus

# Captures whose high-severity hits are the behaviour they were recorded to show.
EXPECTED_HIGH = {
    "dnp3/suricata_dnp3_flood_rawip.pcap": {"behaviour.dos.unanswered-request-flood"},
    # Internet scanners on tcp/502, one of them trying RDP from outside.
    "modbus/zeek_modbus_and_non_modbus_p502_scanners.pcap": {
        "behaviour.remote.external-remote-access",
    },
}  # fmt: skip


def _hits(name: str) -> list[Hit]:
    return replay(corpus_dir() / "pcaps" / name, pack_detectors(Plant()))


def _rules(hits: list[Hit]) -> Counter[str]:
    return Counter(h.rule.id for h in hits)


def test_nmap_host_discovery_is_an_arp_sweep() -> None:
    hits = _hits("scan/zeek_nmap_version_scan.pcap")
    assert set(_rules(hits)) == {"behaviour.discovery.arp-sweep"}
    first = hits[0]
    assert first.src.ip == "c4:2c:03:3b:6c:aa" and first.details["targets"] == 64
    assert first.details["sample"][:3] == ["192.168.1.2", "192.168.1.3", "192.168.1.4"]
    assert first.outcome == "attempted"


def test_listidentity_broadcasts_are_broadcast_discovery_once() -> None:
    hits = _hits("enip_cip/iti_openics_eip_ip_address_change_attempt.pcap")
    [broadcast] = [
        h for h in hits if h.rule.id == "behaviour.discovery.enip-list-identity-broadcast"
    ]
    assert broadcast.src.ip == "192.168.10.105" and broadcast.dst.ip == "255.255.255.255"
    assert broadcast.rule.severity == "low" and broadcast.details["v19_subtechnique"] == "T0846.002"
    assert "behaviour.discovery.enip-list-identity-sweep" not in _rules(hits)


def test_the_dnp3_flood_is_a_flood_hammering_one_output() -> None:
    hits = _hits("dnp3/suricata_dnp3_flood_rawip.pcap")
    assert _rules(hits) == {
        "behaviour.dos.unanswered-request-flood": 1,
        "behaviour.impair.repeated-writes": 1,
    }
    brute = next(h for h in hits if h.rule.id == "behaviour.impair.repeated-writes")
    assert brute.details["space"] == "binary_output_commands" and brute.details["start"] == 1
    assert all(h.src.ip == "192.168.1.100" and h.dst.ip == "192.168.1.200" for h in hits)


def test_bacnet_password_failures_across_devices_are_an_exception_storm() -> None:
    """The capture's 90 ReinitializeDevice password failures from one workstation to 22
    controllers: a handful per device, a storm from the client's side."""
    hits = _hits("bacnet/icsnpp_bacnet_example.pcap")
    assert set(_rules(hits)) == {"behaviour.dos.exception-storm"}
    assert {h.src.ip for h in hits} == {"172.20.32.250"} and hits[-1].details["peers"] > 1


def test_benchmarks_hammering_one_point_are_repeated_writes_not_brute_force() -> None:
    """libnodave's benchmark writes flag 0 about 50 times a second, always the same value;
    a malformed-DNP3 test sends OPERATE to one output thirty times in a burst."""
    for name in (
        "s7comm/iti_s7comm_varservice_libnodave_bench.pcap",
        "dnp3/iti_openics_dnp3_malformed.pcap",
    ):
        rules = _rules(_hits(name))
        assert "behaviour.impair.repeated-writes" in rules
        assert "behaviour.impair.brute-force-io" not in rules


def test_mqtt_passwords_in_the_clear() -> None:
    hits = _hits("mqtt/suricata_mqtt31_sub_userpass.pcap")
    [hit] = hits
    assert hit.rule.id == "behaviour.credentials.cleartext" and hit.details["password_length"] == 4


def test_the_same_capture_gives_the_same_hits() -> None:
    name = "bacnet/icsnpp_bacnet_example.pcap"
    assert _hits(name) == _hits(name)


def test_captures_of_ordinary_operation_raise_no_high_severity_hit() -> None:
    root = corpus_dir() / "pcaps"
    captures = sorted(p for p in root.glob("*/*") if p.suffix in (".pcap", ".pcapng"))
    assert len(captures) > 50
    unexpected: dict[str, set[str]] = {}
    for path in captures:
        name = str(path.relative_to(root))
        high = {
            h.rule.id
            for h in replay(path, pack_detectors(Plant()))
            if h.rule.severity in ("high", "critical")
        }
        if high != EXPECTED_HIGH.get(name, set()):
            unexpected[name] = high
    assert unexpected == {}

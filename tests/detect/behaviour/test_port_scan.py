"""port_scan: short flows to industrial ports, counted per source, never conversations."""

from __future__ import annotations

from pathlib import Path

from detect.behaviour import scan_capture
from detect.behaviour.builders import detector, flow
from detect.behaviour.replay import feed, replay


def test_ten_probed_services_fire_and_conversations_do_not_count() -> None:
    scan = detector("port_scan", {"min_pairs": 10, "window": 60})
    probes = [flow("10.0.0.66:40000", f"10.0.1.{i}:502", 10.0 + i) for i in range(9)]
    polls = [
        flow("10.0.0.66:40001", f"10.0.2.{i}:502", 20.0 + i, protocol="modbus", packets=8)
        for i in range(5)
    ]
    long_ones = [flow("10.0.0.66:40002", f"10.0.3.{i}:102", 30.0, packets=400) for i in range(5)]
    other_ports = [flow("10.0.0.66:40003", f"10.0.4.{i}:8080", 31.0) for i in range(5)]
    assert feed(scan, probes + polls + long_ones + other_ports) == []
    [hit] = feed(scan, [flow("10.0.0.66:40004", "10.0.1.9:44818", 40.0, frame=77)])
    assert hit.rule.techniques == ("T0846",)
    assert hit.details["pairs"] == 10 and hit.details["hosts"] == 10
    assert hit.details["ports"] == [502, 44818]
    assert hit.details["v19_subtechnique"] == "T0846.001"
    assert hit.protocol == "tcp" and hit.frame == 77 and hit.outcome == "attempted"
    assert "probed 10 ICS services" in hit.message


def test_the_wrong_protocol_on_an_ics_port_is_a_probe() -> None:
    scan = detector("port_scan", {"min_pairs": 3})
    wrong = [
        flow("203.0.113.9:1", "10.0.1.1:502", 1.0, protocol="http", packets=6),
        flow("203.0.113.9:2", "10.0.1.1:102", 2.0, protocol="tls", packets=6),
        flow("203.0.113.9:3", "10.0.1.2:20000", 3.0, transport="udp", protocol=None, packets=1),
    ]
    assert len(feed(scan, wrong)) == 1


def test_only_the_chosen_transports_and_ports_count() -> None:
    scan = detector("port_scan", {"min_pairs": 2, "transports": ["tcp"], "ports": ["5000-5001"]})
    items = [
        flow("10.0.0.1:1", "10.0.1.1:47808", 1.0, transport="udp"),
        flow("10.0.0.1:1", "10.0.1.1:5000", 1.0, transport="udp"),
        flow("10.0.0.1:1", "10.0.1.1:502", 1.0),
        flow("10.0.0.1:1", "10.0.1.1:5000", 1.0),
    ]
    assert feed(scan, items) == []
    assert len(feed(scan, [flow("10.0.0.1:2", "10.0.1.1:5001", 2.0)])) == 1


def test_a_syn_scan_capture_through_the_engine(tmp_path: Path) -> None:
    capture = tmp_path / "scan.pcap"
    probed = scan_capture.write(capture)
    hits = replay(capture, [detector("port_scan", {"min_pairs": 10})])
    assert {h.src.ip for h in hits} == {scan_capture.SCANNER}  # never the polling master
    assert [h.details["pairs"] for h in hits] == [10, 20]
    assert probed == 24
    # Probes answered arrive as their flows close (hosts 1, 2, 4, 5: 16 pairs); probes
    # never answered arrive when the engine gives up on them, and still count: host 3
    # makes the twentieth pair.
    assert hits[-1].details["hosts"] == 5
    assert sorted(hits[-1].details["ports"]) == sorted(scan_capture.PORTS)

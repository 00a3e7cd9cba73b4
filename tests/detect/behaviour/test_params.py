"""Every kind checks its params: a bad one is a RuleParamError naming the key."""

from __future__ import annotations

from typing import Any

import pytest

from detect.behaviour.builders import detector, rule
from detect.behaviour.replay import Plant
from interlock.detect.behaviour import KINDS
from interlock.detect.kinds import RuleParamError

GOOD: dict[str, dict[str, Any]] = {
    "discovery_sweep": {"protocol": "enip", "functions": ["list_identity"]},
    "port_scan": {},
    "request_flood": {"min_requests": 100},
    "brute_force_io": {"min_toggles": 20},
    "conduit_violation": {},
    "remote_access": {},
    "cleartext_credentials": {},
    "ai_service": {},
    "local_ai_server": {},
}

BAD: list[tuple[str, dict[str, Any], str]] = [
    ("discovery_sweep", {"functions": ["list_identity"]}, "protocol"),
    ("discovery_sweep", {"protocol": "modbuss", "functions": ["x"]}, "protocol"),
    ("discovery_sweep", {"protocol": "enip", "functions": []}, "functions"),
    (
        "discovery_sweep",
        {"protocol": "enip", "functions": ["x"], "distinct_by": ["mac"]},
        "distinct_by",
    ),
    (
        "discovery_sweep",
        {"protocol": "enip", "functions": ["x"], "destinations": "all"},
        "destinations",
    ),
    ("discovery_sweep", {"protocol": "enip", "functions": ["x"], "min_targets": 0}, "min_targets"),
    ("discovery_sweep", {"protocol": "enip", "functions": ["x"], "window": -1}, "window"),
    (
        "discovery_sweep",
        {"protocol": "enip", "functions": ["x"], "min_targets": 50, "max_targets": 10},
        "max_targets",
    ),
    (
        "discovery_sweep",
        {"protocol": "enip", "functions": ["x"], "operations": ["writes"]},
        "operations",
    ),
    (
        "discovery_sweep",
        {"protocol": "enip", "functions": ["x"], "match": ["identify_all"]},
        "match",
    ),
    ("port_scan", {"ports": [502, 70000]}, "ports"),
    ("port_scan", {"ports": ["9-3"]}, "ports"),
    ("port_scan", {"ports": []}, "ports"),
    ("port_scan", {"transports": ["sctp"]}, "transports"),
    ("port_scan", {"max_packets": True}, "max_packets"),
    ("port_scan", {"window": float("nan")}, "window"),
    ("port_scan", {"max_sources": 10**9}, "max_sources"),
    ("request_flood", {}, "min_requests"),
    ("request_flood", {"min_requests": 10, "per": "pair"}, "per"),
    ("request_flood", {"min_requests": 10, "statuses": ["failed"]}, "statuses"),
    ("request_flood", {"min_requests": 10, "window": 0}, "window"),
    ("request_flood", {"min_requests": "10"}, "min_requests"),
    ("brute_force_io", {"min_writes": 10, "min_toggles": 20}, "min_toggles"),
    ("brute_force_io", {"window": 10}, "min_writes"),
    ("brute_force_io", {"min_writes": 30, "protocols": "modbus,dnp3"}, "protocols"),
    ("conduit_violation", {"operations": ["read", "delete"]}, "operations"),
    ("remote_access", {"scope": "everywhere"}, "scope"),
    ("remote_access", {"max_level": 7}, "max_level"),
    ("remote_access", {"protocols": ["rdp", "x11"]}, "protocols"),
    ("cleartext_credentials", {"repeat_after": -5}, "repeat_after"),
    ("cleartext_credentials", {"protocol": ["ftp"]}, "protocol"),
    ("ai_service", {"sources": ["smtp"]}, "sources"),
    ("ai_service", {"categories": ["image"]}, "categories"),
    ("ai_service", {"extra_domains": ["*.example"]}, "extra_domains"),
    ("ai_service", {"extra_domains": ["Example.COM"]}, "extra_domains"),
    ("ai_service", {"unknown_severity": "info"}, "unknown_severity"),
    ("local_ai_server", {"flows": "yes"}, "flows"),
    ("local_ai_server", {"min_packets": 0}, "min_packets"),
]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_builds_from_good_params_and_rejects_unknown_keys(kind: str) -> None:
    built = detector(kind, GOOD[kind])
    assert list(built.finish()) == []
    with pytest.raises(RuleParamError) as raised:
        detector(kind, {**GOOD[kind], "treshold": 5})
    assert raised.value.key == "treshold"
    assert "unknown parameter" in raised.value.message


@pytest.mark.parametrize(("kind", "params", "key"), BAD)
def test_a_bad_param_names_its_key(kind: str, params: dict[str, Any], key: str) -> None:
    with pytest.raises(RuleParamError) as raised:
        detector(kind, params)
    assert raised.value.key == key
    assert raised.value.message


def test_params_must_be_a_mapping() -> None:
    with pytest.raises(RuleParamError) as raised:
        KINDS["port_scan"](rule(), ["ports"], Plant())  # type: ignore[arg-type]
    assert raised.value.key == "params"

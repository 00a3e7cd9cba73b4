"""The demo's tank policy is docs/examples/tank.policy.yaml but for the demo's addresses and
its time limits scaled to the plant's speed (interlock.sim.tank.policy says why)."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import Any

import pytest

from interlock.policy import Policy, parse_policy
from interlock.sim.tank.policy import demo_policy
from tests_support import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "tank.policy.yaml"


def parse(text: str) -> Policy:
    policy = parse_policy(text, "policy.yaml")
    assert isinstance(policy, Policy), policy
    return policy


def normal(policy: Policy) -> dict[str, Any]:
    """Everything but source lines and addresses."""
    return {
        "head": (policy.default, policy.mode, policy.malformed, policy.failure_mode),
        "windows": [replace(w, line=0) for w in policy.windows],
        "assets": [replace(a, line=0, address=None) for a in policy.assets],
        "tags": [
            replace(t, line=0, envelope=t.envelope and replace(t.envelope, line=0))
            for t in policy.tags
        ],
        "rules": [replace(r, line=0, clients=None) for r in policy.rules],
        "interlocks": [
            (i.name, i.tags, i.when and i.when.text, i.require.text, i.if_unknown, i.mode)
            for i in policy.interlocks
        ],
    }


@pytest.mark.skipif(not EXAMPLE.is_file(), reason="docs/examples/tank.policy.yaml not present")
def test_at_real_speed_the_demo_policy_is_the_example() -> None:
    example, demo = parse(EXAMPLE.read_text()), parse(demo_policy(1.0))
    assert normal(demo) == normal(example)
    loopback = ipaddress.ip_network("127.0.0.1/32")
    assert set(demo.clients["hmi"]) == {*example.clients["hmi"], loopback}
    assert demo.clients["engineering"] == example.clients["engineering"]


def test_time_limits_scale_with_the_plant_speed() -> None:
    slow, fast = parse(demo_policy(1.0)), parse(demo_policy(100.0))
    for name in ("pump_run", "inlet_valve_open", "outlet_valve_open"):
        a, b = slow.tag(name).envelope, fast.tag(name).envelope
        assert a is not None and b is not None
        assert b.min_interval == pytest.approx(a.min_interval / 100)  # type: ignore[operator]
    a, b = slow.tag("level_sp").envelope, fast.tag("level_sp").envelope
    assert a is not None and b is not None
    assert b.max_rate == pytest.approx(a.max_rate * 100)  # type: ignore[operator]
    assert (b.min, b.max, b.max_step) == (a.min, a.max, a.max_step)  # values do not scale

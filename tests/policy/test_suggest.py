"""`suggest` drafts a policy from traffic: it loads, it allows every request it was drafted
from (the contract), its limits are the observed ones with the stated margin, and it
refuses what it never saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.capture import open_capture
from interlock.policy import Policy, compile_policy, parse_policy
from interlock.policy.replay import Replayed, replay
from interlock.policy.suggest import suggest
from policy.tank_traffic import SCENARIOS
from tests_support import DATA, corpus_dir


def draft(paths: list[Path], margin: float = 0.2) -> str:
    text, errors = suggest(
        lambda: [open_capture(p) for p in paths], [str(p) for p in paths], margin
    )
    assert not errors
    return text


def loaded(text: str) -> Policy:
    result = parse_policy(text, "draft.yaml")
    assert isinstance(result, Policy), [str(e) for e in result]
    return result


def decisions(policy: Policy, paths: list[Path]) -> list[Replayed]:
    found: list[Replayed] = []
    replay(compile_policy(policy), [open_capture(p) for p in paths], found.append)
    return found


CAPTURES = {name: [make().path] for name, make in SCENARIOS.items()}
CAPTURES["all"] = [make().path for make in SCENARIOS.values()]
CAPTURES["demo"] = [DATA / "demo-modbus.pcap"]


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_a_draft_allows_all_the_traffic_it_was_drafted_from(name: str) -> None:
    paths = CAPTURES[name]
    policy = loaded(draft(paths))
    assert policy.default == "deny" and policy.mode == "enforce"
    found = decisions(policy, paths)
    assert found
    assert [r.decision for r in found if r.decision.verdict != "allow"] == []


def test_the_draft_names_what_it_saw_with_the_margin_stated() -> None:
    text = draft(CAPTURES["normal"], margin=0.2)
    assert "widened by a margin of 20 %" in text
    policy = loaded(text)
    assert [a.name for a in policy.assets] == ["modbus-10.10.0.5-unit1"]
    assert policy.asset("modbus-10.10.0.5-unit1").address == "10.10.0.5"
    assert list(policy.clients) == ["client-10.20.0.10"]
    level_sp = policy.tag("hr0")  # the setpoint: written 550, 600, 580 (raw)
    assert level_sp.envelope is not None
    # Observed 550..600, widened by 20 % of the largest value: 430..720.
    assert (level_sp.envelope.min, level_sp.envelope.max) == (430.0, 720.0)
    # The largest step (500 -> 550, 550 -> 600) was 50 raw: 60 with the margin.
    assert level_sp.envelope.max_step == 60.0
    assert policy.tag("coil0").envelope is not None
    assert policy.tag("ir0").envelope is None  # read only
    operations = {(r.name.split("-")[-4], r.operations) for r in policy.rules}
    assert operations == {("read", frozenset({"read"})), ("write", frozenset({"write"}))}


def test_a_tighter_margin_gives_tighter_limits() -> None:
    loose = loaded(draft(CAPTURES["normal"], margin=1.0)).tag("hr0").envelope
    tight = loaded(draft(CAPTURES["normal"], margin=0.0)).tag("hr0").envelope
    assert loose is not None and tight is not None
    assert tight.max == 600.0 and tight.max_step == 50.0
    assert loose.max is not None and loose.max > tight.max
    assert loose.max_rate is not None and tight.max_rate is not None
    assert loose.max_rate > tight.max_rate


def test_a_draft_from_normal_traffic_refuses_the_attack() -> None:
    policy = loaded(draft(CAPTURES["normal"]))
    found = decisions(policy, CAPTURES["attack"])
    refused = {(r.client.ip, r.decision.rule) for r in found if r.decision.verdict == "block"}
    assert ("10.20.0.66", "default") in refused  # a client never seen
    assert ("10.20.0.50", "default") in refused
    assert ("10.20.0.10", "hr0.max") in refused  # the 500 % setpoint
    assert any(rule == "default" and ip == "10.20.0.10" for ip, rule in refused)  # restart


def test_drafting_is_deterministic() -> None:
    assert draft(CAPTURES["all"]) == draft(CAPTURES["all"])


@pytest.mark.corpus
def test_drafts_from_the_public_modbus_captures_allow_their_traffic() -> None:
    folder = corpus_dir() / "pcaps" / "modbus"
    for path in sorted(folder.glob("*.pcap")):
        if path.stat().st_size > 200_000:
            continue  # the write-heavy capture takes seconds; the rest cover the functions
        policy = loaded(draft([path]))
        blocked = [r for r in decisions(policy, [path]) if r.decision.verdict == "block"]
        assert blocked == [], (path.name, blocked[:3])


def test_drafting_a_scan_stays_bounded_and_says_what_it_left_out() -> None:
    from interlock.model import Endpoint, OperationClass
    from interlock.policy import Decision, PolicyRequest
    from interlock.policy.suggest import (
        MAX_CLIENTS,
        MAX_SPANS,
        MAX_TAGS,
        Observed,
        _tag_names,
    )
    from interlock.policy.suggest_yaml import render

    observed = Observed(["scan.pcap"])
    allowed = Decision("allow", "default", "allowed by default", "enforce", None, "closed")

    def add(n: int, client: str) -> None:
        request = PolicyRequest(
            time=1.7e9 + n, client=client, protocol="modbus", unit=1,
            operation=OperationClass.READ, function=3, space="holding_registers",
            address=(n * 7) % 65000, quantity=1, server="10.10.0.5",
        )  # fmt: skip
        observed.add(
            Replayed(n, Endpoint(client, 1024), Endpoint("10.10.0.5", 502), request, allowed)
        )

    for n in range(MAX_CLIENTS + 5):
        add(n, f"10.{n >> 8}.{n & 255}.1")
    for n in range(MAX_SPANS + 100):
        add(n, "10.0.0.1")  # one client sweeping addresses
    assert observed.left_out == 5 and len(observed.clients) == MAX_CLIENTS
    assert observed.tags == MAX_TAGS
    sweep = observed.access[("10.0.0.1", "modbus-10.10.0.5-unit1", "read")]
    assert len(sweep.spans["holding_registers"]) <= MAX_SPANS
    text = render(observed, _tag_names(observed), {}, 0.2)
    assert "# 5 requests from clients or to assets beyond the first 1000 clients" in text
    assert isinstance(parse_policy(text, "scan.yaml"), Policy)

"""Properties of the decision core on any input (Hypothesis): it never raises, whatever the
request or the bytes; the same inputs give the same decisions; and the work per decision
stays within a bound that depends on the policy and on the tags a request touches, never
on the quantity or the values an attacker puts in it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import interlock.policy.core
from interlock.model import OperationClass
from interlock.policy import Decision, DecisionCore, PolicyRequest, compile_policy, parse_policy
from interlock.policy.modbus import observe_response, request_from_pdu
from interlock.policy.model import Policy
from policy.synthetic import large_policy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "tank.policy.yaml"
SPACES = ["coils", "discrete_inputs", "holding_registers", "input_registers", "", "db1"]


def compiled(text: str) -> DecisionCore:
    loaded = parse_policy(text, "p.yaml")
    assert isinstance(loaded, Policy), [str(e) for e in loaded]
    return compile_policy(loaded)


LARGE = compiled(large_policy(500))
TANK = compiled(EXAMPLE.read_text())

clients = st.one_of(
    st.sampled_from(["10.20.0.10", "10.20.3.7", "10.30.0.5", "10.20.0.66", "::1"]),
    st.ip_addresses().map(str),
    st.text(max_size=20),
)
words = st.integers(min_value=-2, max_value=0x1_0002)
requests = st.builds(
    PolicyRequest,
    time=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(min_value=1.7e9, max_value=1.8e9),
    ),
    client=clients,
    protocol=st.sampled_from(["modbus", "modbus", "dnp3", ""]),
    unit=st.integers(min_value=-3, max_value=300),
    operation=st.sampled_from(list(OperationClass)),
    function=st.integers(min_value=-1, max_value=300),
    sub_function=st.none() | st.integers(min_value=0, max_value=0xFFFF),
    space=st.sampled_from(SPACES),
    address=st.none() | st.integers(min_value=-5, max_value=70_000),
    quantity=st.integers(min_value=-5, max_value=70_000),
    values=st.lists(words, max_size=300).map(tuple),
    mask=st.none() | st.tuples(words, words),
    read_address=st.none() | st.integers(min_value=-5, max_value=70_000),
    read_quantity=st.integers(min_value=-5, max_value=70_000),
    server=st.sampled_from(["", "10.10.0.5", "10.10.0.6"]),
    function_name=st.text(max_size=10),
    anomalies=st.lists(st.text(max_size=10), max_size=3).map(tuple),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(decision: Decision) -> None:
    assert decision.verdict in ("allow", "alert", "block")
    assert decision.rule and decision.reason
    assert (decision.exception_code is not None) == (decision.verdict == "block")
    assert decision.fail_mode in ("open", "closed")


@SETTINGS
@given(st.lists(st.tuples(requests, st.none() | st.lists(words, max_size=40)), max_size=8))
def test_the_core_never_raises_and_repeats_itself(sequence: list[tuple[Any, Any]]) -> None:
    for core in (LARGE, TANK):
        core.reset()
        first = []
        for request, answer in sequence:
            first.append(core.decide(request))
            core.observe(request, None if answer is None else tuple(answer), answer is not None)
        core.reset()
        second = []
        for request, answer in sequence:
            second.append(core.decide(request))
            core.observe(request, None if answer is None else tuple(answer), answer is not None)
        assert first == second
        for decision in first:
            check(decision)


@SETTINGS
@given(st.binary(max_size=260), st.binary(max_size=260), st.integers(0, 255), clients)
def test_any_bytes_through_the_modbus_adapter(
    pdu: bytes, answer: bytes, unit: int, client: str
) -> None:
    request = request_from_pdu(pdu, unit, client, 1_767_261_600.0, "10.10.0.5")
    for core in (LARGE, TANK):
        check(core.decide(request))
        observe_response(core, request, answer)


def calls_during(action: Callable[[], object]) -> int:
    """Python function calls (and generator resumptions) made while action runs."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return count


def touched(core: DecisionCore, request: PolicyRequest) -> int:
    """Tags that a request's spans overlap, counted the slow way (for the bound)."""
    spans = []
    if request.address is not None:
        spans.append((request.address, request.address + max(request.quantity, 1)))
    if request.read_address is not None:
        spans.append((request.read_address, request.read_address + max(request.read_quantity, 1)))
    return sum(
        1
        for tag in core.policy.tags
        if tag.space == request.space and any(a < tag.end and tag.address < b for a, b in spans)
    )


PURE = interlock.policy.core.__file__.endswith(".py")
"""Python calls can be counted only while the core runs as Python (not mypyc-compiled)."""


def most_interlocks(core: DecisionCore) -> int:
    return max((len(slot.interlocks) for slot in core.slots.values()), default=0)


@SETTINGS
@given(requests)
def test_work_per_decision_is_bounded_by_the_policy_and_the_tags_touched(
    request: PolicyRequest,
) -> None:
    # Per decision: the rules (each matched once), and per tag touched its decoding,
    # envelope and interlocks (each a fixed-size compiled expression). What the property
    # pins is the shape: no term grows with the quantity, the number of values, or
    # anything else the request controls. The core counts its own work (compiled or not);
    # running as Python, every function call is counted as well, which no hidden loop
    # escapes.
    core = LARGE
    core.reset()
    tags = touched(core, request)
    decision = core.decide(request)
    assert decision.work <= len(core.rules) + tags * (2 + most_interlocks(core))
    if PURE:
        nodes = max((len(i.require.text) for i in core.policy.interlocks), default=0)
        bound = 200 + 4 * len(core.rules) + tags * (60 + 2 * nodes)
        assert calls_during(lambda: core.decide(request)) <= bound


def test_the_bound_is_tight_enough_to_mean_something() -> None:
    core = LARGE
    core.reset()
    write = PolicyRequest(
        time=1.7e9, client="10.20.0.9", protocol="modbus", unit=1,
        operation=OperationClass.WRITE, function=16, space="holding_registers", address=0,
        quantity=123, values=tuple(range(123)), server="10.10.0.5",
    )  # fmt: skip
    assert touched(core, write) == 123
    assert core.decide(write).work >= 123  # every tag written is examined...
    huge = PolicyRequest(
        time=1.7e9, client="10.20.0.9", protocol="modbus", unit=1,
        operation=OperationClass.READ, function=1, space="discrete_inputs", address=0,
        quantity=65_535, server="10.10.0.5",
    )  # fmt: skip
    assert touched(core, huge) == 0
    assert core.decide(huge).work <= len(core.rules)  # ...and an empty span costs nothing
    if PURE:
        assert calls_during(lambda: core.decide(write)) > 123 * 5
        assert calls_during(lambda: core.decide(huge)) < 200

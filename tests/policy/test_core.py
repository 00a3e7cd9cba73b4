"""The decision core on protocol-neutral requests: which rule decides and why, in
engineering units; state learnt only from what the server accepted; bounded tables."""

from __future__ import annotations

import math
import struct
import sys
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from interlock.model import OperationClass as Op
from interlock.policy import Decision, DecisionCore, PolicyRequest, compile_policy, parse_policy
from interlock.policy.access import MAX_CLIENTS_REMEMBERED
from interlock.policy.model import Policy
from interlock.policy.state import decoded, written_words

HMI, ENG, OTHER = "10.20.0.10", "10.20.0.50", "10.20.0.66"
T0 = 1_767_261_600.0  # Thursday 2026-01-01 10:00 UTC

TEXT = """\
default: deny
clients: {hmi: [10.20.0.10], eng: [10.20.0.48/28]}
windows:
  - {name: nightly, days: [thu], start: "22:00", end: "02:00", utc_offset: "+01:00"}
  - {name: commissioning, start: 2026-02-01T00:00:00Z, end: 2026-02-02T00:00:00Z}
assets:
  - {name: plc, protocol: modbus, unit: 1, address: 10.10.0.5, failure_mode: open}
tags:
  - {name: pump_run, space: coils, address: 0, envelope: {min_interval: 2}}
  - {name: inlet, space: coils, address: 1}
  - name: level_sp
    space: holding_registers
    address: 0
    scale: 0.1
    units: "%"
    envelope: {min: 10, max: 90, max_step: 5, max_rate: 2}
  - {name: flow_limit, space: holding_registers, address: 2, type: float32, units: m3/h,
     envelope: {min: 0, max: 50}}
  - {name: trim, space: holding_registers, address: 4, type: int16, envelope: {min: -5, max: 5, mode: monitor}}
  - {name: counter, space: holding_registers, address: 6, type: uint32, word_order: little}
  - {name: level, space: input_registers, address: 0, scale: 0.1, units: "%"}
rules:
  - {name: no-trim-from-eng, action: deny, clients: [10.20.0.50], tags: [trim], exception: 4}
  - {name: hmi-read, clients: [hmi], operations: [read], tags: [pump_run, inlet, level_sp, flow_limit, level]}
  - {name: hmi-write, clients: [hmi], operations: [write], tags: [pump_run, inlet, level_sp, flow_limit, trim, counter]}
  - {name: eng-diag, clients: [eng], operations: [diagnostic, restart], windows: [nightly, commissioning]}
  - {name: eng-watch, clients: [eng], operations: [read], assets: [plc], mode: monitor}
interlocks:
  - name: inlet-needs-pump
    tag: inlet
    when: value and not current
    require: pump_run and level < 90
"""


def core(text: str = TEXT) -> DecisionCore:
    loaded = parse_policy(text, "p.yaml")
    assert isinstance(loaded, Policy), [str(e) for e in loaded]
    return compile_policy(loaded)


def request(
    operation: Op = Op.READ,
    space: str = "holding_registers",
    address: int | None = 0,
    quantity: int = 1,
    values: tuple[int, ...] = (),
    client: str = HMI,
    time: float = T0,
    **extra: object,
) -> PolicyRequest:
    function = {Op.READ: 3, Op.WRITE: 16}.get(operation, 8)
    return PolicyRequest(
        time=time, client=client, protocol="modbus", unit=1, operation=operation,
        function=function, space=space if address is not None else "", address=address,
        quantity=quantity, values=values, server="10.10.0.5", **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def write(
    address: int, *values: int, space: str = "holding_registers", **kw: object
) -> PolicyRequest:
    return request(Op.WRITE, space, address, len(values), tuple(values), **kw)  # type: ignore[arg-type]


def learn(c: DecisionCore, space: str, address: int, *values: int, time: float = T0) -> None:
    """The server answered a read of these values (what a poll teaches the core)."""
    c.observe(request(Op.READ, space, address, len(values), time=time), values)


def refused(decision: Decision) -> tuple[str, str, str, int | None]:
    return decision.verdict, decision.rule, decision.reason, decision.exception_code


def test_the_first_matching_rule_decides_and_says_so() -> None:
    c = core()
    allowed = c.decide(request(quantity=1))
    assert (allowed.verdict, allowed.rule, allowed.reason) == (
        "allow", "hmi-read", "allowed by rule `hmi-read`",
    )  # fmt: skip
    assert allowed.fail_mode == "open" and allowed.asset == "plc" and allowed.exception_code is None
    assert allowed.criticality == "medium"
    denied = c.decide(write(4, 1, client=ENG))
    assert refused(denied) == (
        "block", "no-trim-from-eng",
        "write (function 16) of plc holding_registers 4 is denied by rule `no-trim-from-eng`", 4,
    )  # fmt: skip


def test_default_deny_says_whether_the_operation_or_the_address_is_refused() -> None:
    c = core()
    assert refused(c.decide(request(client=OTHER))) == (
        "block", "default",
        "read (function 3) of plc holding_registers 0: no rule allows 10.20.0.66 read requests "
        "(default deny)", 1,
    )  # fmt: skip
    outside = c.decide(request(address=0, quantity=10))  # 4-9 hold no tag the HMI may read
    assert refused(outside)[1:] == (
        "default",
        "read (function 3) of plc holding_registers 0-9: no rule allows 10.20.0.10 read requests "
        "at these addresses (default deny)", 2,
    )  # fmt: skip
    assert outside.tags == ("level_sp", "flow_limit", "trim", "counter")
    other_unit = c.decide(replace(request(), unit=7))
    assert other_unit.reason.endswith("modbus unit 7 is not an asset of the policy (default deny)")
    assert other_unit.fail_mode == "closed" and other_unit.asset is None


def test_default_allow_lets_through_what_no_rule_names_but_still_checks_values() -> None:
    c = core(TEXT.replace("default: deny", "default: allow"))
    assert c.decide(request(client=OTHER)).rule == "default"
    assert c.decide(request(client=OTHER)).reason == "allowed by default"
    assert c.decide(write(0, 950, client=OTHER)).rule == "level_sp.max"


def test_monitor_mode_flags_instead_of_blocking() -> None:
    c = core()
    watched = c.decide(request(space="input_registers", client=ENG))
    assert (watched.verdict, watched.rule, watched.mode) == ("allow", "eng-watch", "monitor")
    trim = c.decide(write(4, struct.unpack(">H", struct.pack(">h", -7))[0]))
    assert refused(trim) == ("alert", "trim.min", "trim -7.0 is below min -5.0", None)
    everything = core(TEXT.replace("default: deny", "default: deny\nmode: monitor"))
    stranger = everything.decide(request(client=OTHER))
    assert (stranger.verdict, stranger.mode, stranger.exception_code) == ("alert", "monitor", None)


def test_envelope_limits_in_engineering_units() -> None:
    c = core()
    assert refused(c.decide(write(0, 5000))) == (
        "block", "level_sp.max", "level_sp 500.0 % exceeds max 90.0 %", 3,
    )  # fmt: skip
    assert c.decide(write(0, 50)).reason == "level_sp 5.0 % is below min 10.0 %"
    assert c.decide(write(0, 700)).verdict == "allow"  # nothing known yet: no step, no rate
    learn(c, "holding_registers", 0, 500, time=T0)
    step = c.decide(write(0, 700, time=T0 + 60))
    assert step.reason == "level_sp step 20.0 % (50.0 to 70.0 %) exceeds max_step 5.0 %"
    fast = c.decide(write(0, 550, time=T0 + 2))
    assert refused(fast)[1:3] == (
        "level_sp.max_rate",
        "level_sp changes at 2.5 %/s (50.0 to 55.0 % in 2.000 s), above max_rate 2.0 %/s",
    )
    assert c.decide(write(0, 550, time=T0 + 3)).verdict == "allow"
    assert c.decide(write(0, 500, time=T0)).verdict == "allow"  # no change: no rate


def test_every_limit_broken_is_listed_and_the_first_decides() -> None:
    c = core()
    learn(c, "holding_registers", 0, 500)
    decision = c.decide(write(0, 5000, time=T0 + 1))
    assert [hit.rule for hit in decision.hits] == [
        "level_sp.max",
        "level_sp.max_step",
        "level_sp.max_rate",
    ]
    assert decision.tags == ("level_sp",)


def test_floats_nan_and_partial_writes() -> None:
    c = core()
    high, low = struct.unpack(">HH", struct.pack(">f", 60.5))
    assert c.decide(write(2, high, low)).reason == "flow_limit 60.5 m3/h exceeds max 50.0 m3/h"
    nan = struct.unpack(">HH", struct.pack(">f", math.nan))
    assert c.decide(write(2, *nan)).reason == "flow_limit is written NaN, not a number"
    half = c.decide(write(2, high))
    assert (
        half.reason == "flow_limit: the value written cannot be known (part of it not yet observed)"
    )
    learn(c, "holding_registers", 2, *struct.unpack(">HH", struct.pack(">f", 12.5)))
    assert c.value_of("flow_limit") == 12.5
    assert c.decide(write(2, high)).reason == half.reason.replace(
        ": the value written cannot be known (part of it not yet observed)",
        " 60.5 m3/h exceeds max 50.0 m3/h",
    )  # the high word written, the low word as observed (0x4148 0x0000 is 12.5)


def test_word_order_and_signed_types() -> None:
    c = core()
    learn(c, "holding_registers", 4, 0xFFFE, 0, 0x0001, 0x0002)
    assert c.value_of("trim") == -2.0
    assert c.value_of("counter") == float(0x0002_0001)  # little: low word first


def test_bool_changes_too_soon_are_refused() -> None:
    c = core()
    start = write(0, 1, space="coils", time=T0)
    c.observe(start)
    assert c.value_of("pump_run") is True
    toggle = c.decide(write(0, 0, space="coils", time=T0 + 0.5))
    assert refused(toggle)[1:3] == (
        "pump_run.min_interval",
        "pump_run changes true to false 0.500 s after its last change, sooner than min_interval 2.0 s",
    )
    assert c.decide(write(0, 0, space="coils", time=T0 + 2)).verdict == "allow"
    assert c.decide(write(0, 1, space="coils", time=T0 + 0.5)).verdict == "allow"  # no change


def test_interlocks_judge_the_state_the_write_would_leave() -> None:
    c = core()
    unknown = c.decide(write(1, 1, space="coils"))
    assert refused(unknown)[1:3] == (
        "inlet-needs-pump",
        "inlet true cannot be checked against `pump_run and level < 90`: pump_run, level not yet known",
    )
    learn(c, "input_registers", 0, 450)
    learn(c, "coils", 0, 0, 0)
    assert c.decide(write(1, 1, space="coils")).reason == (
        "inlet true needs `pump_run and level < 90`: pump_run = false, level = 45.0 %"
    )
    both = write(0, 1, 1, space="coils", time=T0 + 5)  # start the pump, open the inlet: one request
    assert c.decide(both).verdict == "allow"
    c.observe(both)
    assert c.decide(write(1, 0, space="coils")).verdict == "allow"  # `when`: only opening
    learn(c, "input_registers", 0, 935)
    assert c.decide(write(1, 1, space="coils")).verdict == "allow"  # already open: `not current`
    learn(c, "coils", 0, 1, 0)
    assert "level = 93.5 %" in c.decide(write(1, 1, space="coils")).reason


def test_if_unknown_allow_lets_an_unknowable_condition_pass() -> None:
    c = core(TEXT + "    if_unknown: allow\n")
    assert c.decide(write(1, 1, space="coils")).verdict == "allow"


def test_windows_use_the_request_time() -> None:
    c = core()
    diag = request(Op.DIAGNOSTIC, address=None, client=ENG)
    thursday_22_30 = 1_767_303_000.0  # 2026-01-01T21:30Z = 22:30 at +01:00
    friday_01_30 = thursday_22_30 + 3 * 3600  # still inside: the window crosses midnight
    assert c.decide(replace(diag, time=thursday_22_30)).rule == "eng-diag"
    assert c.decide(replace(diag, time=friday_01_30)).rule == "eng-diag"
    assert c.decide(replace(diag, time=friday_01_30 + 3600)).rule == "default"
    assert c.decide(replace(diag, time=T0)).rule == "default"
    assert c.decide(replace(diag, time=1_769_904_000.0 + 10)).rule == "eng-diag"  # commissioning
    assert c.decide(replace(diag, time=math.nan)).rule == "default"
    for absurd in (sys.float_info.max, -sys.float_info.max, 1e300):  # no overflow, no window
        assert c.decide(replace(diag, time=absurd)).rule == "default"


def test_a_request_that_also_reads_needs_both_spans_allowed() -> None:
    c = core()
    both = write(0, 500, read_address=2, read_quantity=2)
    assert c.decide(both).verdict == "allow"
    assert c.decide(replace(both, read_quantity=10)).rule == "default"


def test_only_what_the_server_accepted_is_learnt() -> None:
    c = core()
    c.observe(request(Op.READ, "input_registers", 0, 1), (450,), ok=False)
    assert c.value_of("level") is None
    c.observe(write(0, 600), None, ok=False)
    assert c.value_of("level_sp") is None
    c.observe(write(0, 600))
    assert c.value_of("level_sp") == 60.0
    masked = replace(write(0), values=(), mask=(0xFF00, 0x0005))  # (600 & 0xff00) | 5 = 517
    c.observe(masked)
    assert c.value_of("level_sp") == 51.7
    c.reset()
    assert c.value_of("level_sp") is None


def test_the_client_table_is_bounded() -> None:
    c = core()
    for n in range(MAX_CLIENTS_REMEMBERED + 10):
        c.decide(request(client=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"))
    assert len(c.clients.known) <= MAX_CLIENTS_REMEMBERED
    assert c.decide(request(client="not an address")).rule == "default"


def test_malformed_requests_follow_the_policy_setting() -> None:
    bad = replace(request(), anomalies=("modbus.length_mismatch",))
    assert refused(core().decide(bad)) == (
        "block", "malformed", "malformed request (modbus.length_mismatch)", 3,
    )  # fmt: skip
    assert core(TEXT + "malformed: alert\n").decide(bad).verdict == "alert"
    assert core(TEXT + "malformed: allow\n").decide(bad).verdict == "allow"


def test_a_reloaded_policy_keeps_what_was_learnt_about_unchanged_tags() -> None:
    old = core()
    learn(old, "holding_registers", 0, 500)
    learn(old, "input_registers", 0, 450)
    moved = TEXT.replace(
        "{name: level, space: input_registers, address: 0,",
        "{name: level, space: input_registers, address: 5,",
    )
    new = core(moved)
    assert new.adopt_state(old) == len(new.slots) - 1
    assert new.value_of("level_sp") == 50.0  # same definition: carried over
    assert new.value_of("level") is None  # moved to another address: unknown again
    assert new.decide(write(0, 700, time=T0 + 60)).rule == "level_sp.max_step"


def test_which_decisions_may_be_reused_and_which_answers_teach() -> None:
    windowed = core()
    assert not windowed.timeless  # eng-diag has time windows: no decision may be reused
    assert not windowed.memoizable(request())
    timeless = core(TEXT.replace(", windows: [nightly, commissioning]", ""))
    assert timeless.memoizable(request())
    assert timeless.memoizable(request(Op.DIAGNOSTIC, address=None))
    assert not timeless.memoizable(write(0, 500))  # the state decides a write
    assert not timeless.memoizable(request(Op.WRITE, mask=(0xFF, 0)))
    assert timeless.teaches(request(address=0, quantity=2))  # level_sp
    assert timeless.teaches(request(address=3, quantity=2))  # flow_limit's second word
    assert not timeless.teaches(request(address=100, quantity=100))  # no tag there
    assert not timeless.teaches(request(space="discrete_inputs", quantity=50))
    assert not timeless.teaches(request(address=None))
    assert timeless.teaches(write(100, 1))  # a write is observed whatever it touches
    assert not timeless.teaches(replace(request(), unit=9))  # not an asset
    first, again = timeless.decide(request(address=100)), timeless.decide(request(address=100))
    assert first == again and first.verdict == "block"


def _learnt_the_long_way(c: DecisionCore, read: PolicyRequest, values: tuple[int, ...]) -> None:
    """What observing a read answer means, written out: every tag it overlaps gets the words
    the read gave it (the others kept), decoded, and ``set`` at the request's time."""
    space = c._asset(read).spaces[read.space]  # type: ignore[union-attr]
    for slot in space.touching(read.address or 0, len(values)):
        state = c.states[slot.index]
        words = written_words(slot, state, read.address or 0, values, None)
        state.set(words, decoded(slot, words), read.time)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["holding_registers", "coils", "input_registers"]),
            st.integers(0, 8),
            st.lists(st.integers(0, 3), min_size=1, max_size=6),  # few values: repeats
        ),
        max_size=30,
    )
)
def test_observing_reads_learns_what_setting_each_tag_would(
    reads: list[tuple[str, int, list[int]]],
) -> None:
    fast, slow = core(), core()
    for step, (space, address, values) in enumerate(reads):
        read = request(Op.READ, space, address, len(values), time=T0 + step)
        before, version = _known(fast), fast.version
        fast.observe(read, tuple(values))
        _learnt_the_long_way(slow, read, tuple(values))
        assert _known(fast) == _known(slow)
        if fast.version == version:  # the version stands still only when nothing changed
            assert _known(fast) == before


def _known(c: DecisionCore) -> list[tuple[object, ...]]:
    """Every tag's words, value (NaN made comparable) and when it changed."""
    return [(state.words, repr(state.value), state.changed_at) for state in c.states]


def test_the_same_words_read_again_change_nothing_and_keep_the_version() -> None:
    c = core()
    learn(c, "holding_registers", 0, 600, time=T0)
    state = c.states[c.slots["level_sp"].index]
    version = c.version
    learn(c, "holding_registers", 0, 600, time=T0 + 5)
    assert (state.value, state.changed_at, c.version) == (60.0, T0, version)
    learn(c, "holding_registers", 0, 610, time=T0 + 6)
    assert (state.value, state.changed_at) == (61.0, T0 + 6) and c.version > version
    version = c.version
    c.reset()
    assert c.version > version and c.value_of("level_sp") is None
    fresh = core()
    version = fresh.version
    fresh.adopt_state(c)  # a reload: what the old core knew comes over, the version moves
    assert fresh.version > version

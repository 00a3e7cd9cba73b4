"""The detector on hand-built transactions: outcomes, exclusions, rate minutes (up, down,
quiet spans), and state that stays bounded whatever comes in."""

from __future__ import annotations

import pytest

from detect.baseline.transactions import HMI, PLC, READ, WRITE, register, tx
from interlock.detect.baseline import Baseline, BaselineDetector, Learner, Settings
from interlock.detect.baseline.exclusions import Exclusion, HostMatch
from interlock.detect.hits import Hit
from interlock.model import Endpoint

T0 = 1_767_225_600.0 + 0.5


def polled(minutes: int, per_minute: int = 6, start: float = T0) -> list:
    """HMI reads one register and writes one, per_minute times a minute."""
    out = []
    step = 60 / per_minute
    for i in range(minutes * per_minute):
        ts = start + i * step
        out.append(tx(ts, READ, targets=(register(0, 2),), values=(10, 20), frame=2 * i))
        out.append(tx(ts + 1, WRITE, targets=(register(5),), values=(100,), frame=2 * i + 1))
    return out


def learned(transactions: list, **settings: float) -> Baseline:
    baseline = Baseline(settings=Settings(**settings))
    learner = Learner(baseline)
    learner.begin_capture("synthetic", "0" * 64)
    for t in transactions:
        learner.transaction(t)
    learner.end_capture()
    return learner.finish()


def run(baseline: Baseline, transactions: list) -> list[Hit]:
    detector = BaselineDetector(baseline)
    hits = [h for t in transactions for h in detector.transaction(t)]
    return hits + detector.finish()


def test_outcome_follows_the_response() -> None:
    baseline = learned(polled(3))
    stranger = Endpoint("10.20.0.9", 40001)
    cases = {"ok": "succeeded", "exception": "refused", "unanswered": "attempted",
             "unknown": "unknown"}  # fmt: skip
    for status, outcome in cases.items():
        [hit] = run(baseline, [tx(T0, client=stranger, status=status)])  # type: ignore[arg-type]
        assert hit.rule.id == "baseline.new_talker" and hit.outcome == outcome


def test_a_known_reader_writing_is_an_unauthorized_command() -> None:
    reads_only = [t for t in polled(3) if t.function == 3]
    hits = run(learned(reads_only), [tx(T0, WRITE, targets=(register(0),), values=(10,))])
    # Nothing was ever written there either; no value was ever written to compare with.
    assert sorted(h.rule.id for h in hits) == [
        "baseline.new_address_range", "baseline.unknown_client_command",
    ]  # fmt: skip
    hit = next(h for h in hits if h.rule.id == "baseline.unknown_client_command")
    assert hit.rule.techniques == ("T0855",) and hit.rule.severity == "high"
    assert hit.details["baseline_entry"] == "talker:10.20.0.1->10.10.0.5:modbus"
    assert hit.details["entry_learned"] is True


def test_values_are_checked_against_the_allowed_range_with_its_margin() -> None:
    baseline = learned(polled(3), margin_pct=10)
    point = baseline.values[("10.10.0.5", "modbus", 1, "holding_registers", "write")].points[5]
    assert (point.seen_min, point.seen_max, point.min, point.max) == (100, 100, 90, 110)
    inside = tx(T0, WRITE, targets=(register(5),), values=(110,))
    outside = tx(T0 + 1, WRITE, targets=(register(5),), values=(111,))
    hits = run(baseline, [inside, outside])
    assert [(h.rule.id, h.details["observed"]) for h in hits] == [
        ("baseline.value_out_of_range", 111)
    ]


def test_reported_values_are_low_severity_and_name_the_read_entry() -> None:
    baseline = learned(polled(3))
    [hit] = run(baseline, [tx(T0, READ, targets=(register(0, 2),), values=(10, 99))])
    assert hit.rule.severity == "low" and hit.rule.techniques == ()
    assert hit.details["baseline_entry"] == "value:10.10.0.5:modbus/1/holding_registers/1:read"


def test_one_hit_per_rule_per_message_lists_the_points() -> None:
    baseline = learned(polled(3))
    many = tx(T0, READ, targets=(register(0, 2), register(300, 4)), values=(99, 99, 1, 2, 3, 4))
    hits = run(baseline, [many])
    assert sorted(h.rule.id for h in hits) == [
        "baseline.new_address_range", "baseline.value_out_of_range",
    ]  # fmt: skip
    value = next(h for h in hits if h.rule.id == "baseline.value_out_of_range")
    assert value.details["points_total"] == 2
    where = next(h for h in hits if h.rule.id == "baseline.new_address_range")
    assert where.details["observed"] == [[300, 303]]


def test_exclusions_silence_their_rules_only() -> None:
    baseline = learned(polled(3))
    stranger = Endpoint("10.20.0.9", 40001)
    bad = tx(T0, WRITE, client=stranger, targets=(register(5),), values=(7,))
    assert {h.rule.id for h in run(baseline, [bad])} == {
        "baseline.unknown_client_command", "baseline.value_out_of_range",
    }  # fmt: skip
    baseline.exclusions = [
        Exclusion("exclusion:values", client=HostMatch.parse("10.20.0.0/24"),
                  rules=frozenset({"baseline.value_out_of_range"})),
    ]  # fmt: skip
    assert [h.rule.id for h in run(baseline, [bad])] == ["baseline.unknown_client_command"]
    baseline.exclusions = [Exclusion("exclusion:all", client=HostMatch.parse("10.20.0.9"))]
    assert run(baseline, [bad]) == []


def test_address_exclusions_cut_holes_in_ranges() -> None:
    baseline = learned(polled(3))
    baseline.exclusions = [Exclusion("exclusion:scratch", space="holding_registers",
                                     addresses=(100, 199))]  # fmt: skip
    [hit] = run(baseline, [tx(T0, READ, targets=(register(150, 100),), values=())])
    assert hit.details["observed"] == [[200, 249]]


def test_learning_skips_excluded_traffic() -> None:
    baseline = Baseline(exclusions=[Exclusion("exclusion:hmi", client=HostMatch.parse(HMI.ip))])
    learner = Learner(baseline)
    learner.begin_capture("synthetic", "0" * 64)
    for t in polled(2):
        learner.transaction(t)
    record = learner.end_capture()
    assert baseline.talkers == {} and record.learned == 0 and record.transactions == 24


def test_rates_up_and_down_per_full_minute() -> None:
    baseline = learned(polled(6))  # 6 a minute from 00:00.5 to 05:51.5: minutes 1-4 full
    rate = baseline.rates[(HMI.ip, PLC.ip, "modbus")][(3, None, "read_holding_registers", "read")]
    assert (rate.windows, rate.min, rate.max) == (4, 6, 6)
    busy = polled(2, per_minute=6) + polled(1, per_minute=30, start=T0 + 120)
    busy += polled(1, per_minute=6, start=T0 + 180) + polled(1, per_minute=1, start=T0 + 240)
    busy += polled(2, per_minute=6, start=T0 + 300)
    hits = [h for h in run(baseline, sorted(busy, key=lambda t: t.request_ts))]
    assert {(h.details["observed"]["change"], h.details["observed"]["from"][11:16],
             h.details["function"]) for h in hits} == {
        ("up", "00:02", "read_holding_registers[3]:read"),
        ("up", "00:02", "write_single_register[6]:write"),
        ("down", "00:04", "read_holding_registers[3]:read"),
        ("down", "00:04", "write_single_register[6]:write"),
    }  # fmt: skip
    up_write = next(h for h in hits if h.details["function"].startswith("write") and
                    h.details["observed"]["change"] == "up")  # fmt: skip
    assert up_write.rule.techniques == ("T0806",) and up_write.outcome == "unknown"


def test_quiet_spans_cost_the_same_whatever_their_length() -> None:
    baseline = learned(polled(6))
    shapes = []
    for hours in (10, 100):
        gap = polled(2) + polled(3, start=T0 + hours * 3600)
        hits = run(baseline, gap)
        assert all(h.details["observed"]["per_minute"] == 0 for h in hits)
        quiet = sum(h.details["observed"]["minutes"] for h in hits)
        assert quiet == 2 * (hours * 60 - 2)  # both functions, minutes 2 to the last quiet one
        shapes.append(len(hits))
    assert shapes[0] == shapes[1] <= 4


def test_the_first_and_last_minutes_are_never_compared() -> None:
    baseline = learned(polled(6))
    # 45 s of traffic at ten times the rate, inside one partial minute.
    assert run(baseline, polled(1, per_minute=60, start=T0 + 10)[:90]) == []


def test_a_storm_keeps_the_detector_small() -> None:
    baseline = learned(polled(3))
    detector = BaselineDetector(baseline)
    count = 0
    for i in range(20_000):
        client = Endpoint(f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", 1024 + i % 60000)
        count += len(detector.transaction(tx(T0 + i * 0.01, WRITE, client=client,
                                             targets=(register(i),), values=(i,))))  # fmt: skip
    assert count >= 20_000  # one command hit each, at least
    assert detector.rates.seen == {} and detector.rates.minutes.open == {}


@pytest.mark.parametrize("factor", [1.0, 10.0])
def test_the_rate_factor_is_the_files(factor: float) -> None:
    baseline = learned(polled(6), rate_factor=factor)
    hits = run(baseline, polled(2) + polled(2, per_minute=7, start=T0 + 120))
    assert bool(hits) == (factor == 1.0)

"""The learner stays bounded whatever the traffic: tables fill and say so, ranges and
histograms merge their closest parts instead of growing; periods and the Modbus coil
spelling are honoured."""

from __future__ import annotations

import pytest

from detect.baseline.transactions import PLC, READ, WRITE, register, tx
from interlock.detect.baseline import Baseline, Learner, parse_baseline, stats, to_yaml
from interlock.detect.baseline import learner as learner_module
from interlock.detect.baseline.model import Rate
from interlock.model import Endpoint, OperationClass, Target

T0 = 1_767_225_600.0 + 0.5


def learn(transactions: list, **period: float) -> Baseline:
    baseline = Baseline()
    learner = Learner(baseline, period.get("start"), period.get("end"))
    learner.begin_capture("synthetic", "0" * 64)
    for t in transactions:
        learner.transaction(t)
    learner.end_capture()
    return learner.finish()


def test_full_tables_keep_their_first_entries_and_count_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(learner_module.LIMITS, "talkers", 50)
    monkeypatch.setitem(learner_module.LIMITS, "values", 30)
    scan = [
        tx(T0 + i, WRITE, client=Endpoint(f"10.30.{i // 250}.{i % 250}", 5000),
           targets=(register(i),), values=(i,))
        for i in range(200)
    ]  # fmt: skip
    baseline = learn(scan)
    assert len(baseline.talkers) == 50 and baseline.dropped["talkers"] == 150
    assert baseline.value_count() == 30 and baseline.dropped["values"] == 170
    text = to_yaml(baseline)
    assert "dropped: {talkers: 150, values: 170}" in text
    reread = parse_baseline(text, "b.yaml")
    assert isinstance(reread, Baseline) and reread.dropped == baseline.dropped


def test_many_scattered_writes_become_a_few_wider_ranges() -> None:
    writes = [tx(T0 + i, WRITE, targets=(register(i * 10),), values=(1,)) for i in range(1000)]
    baseline = learn(writes)
    ranges = baseline.points[(PLC.ip, "modbus", 1, "holding_registers", "write")].ranges
    assert len(ranges) <= stats.MAX_RANGES
    for i in range(1000):
        assert stats.uncovered(ranges, i * 10, i * 10) == []
    assert baseline.dropped["range_joins"] == 1000 - stats.MAX_RANGES


def test_a_rate_histogram_stays_small_and_keeps_min_and_max() -> None:
    rate = Rate("a", "b", "modbus", (3, None, "read", "read"))
    for minute in range(10_000):
        count = (minute * 7919) % 5000
        if rate.windows == 0:
            rate.min = rate.max = count
        rate.min, rate.max = min(rate.min, count), max(rate.max, count)
        rate.windows += 1
        stats.add_to_histogram(rate.histogram, count)
    assert len(rate.histogram) <= stats.MAX_HISTOGRAM
    assert sum(rate.histogram.values()) == 10_000
    assert (rate.min, rate.max) == (0, 4999) and 2000 <= rate.median <= 3000


def test_ranges_join_touching_and_report_gaps() -> None:
    ranges: list[tuple[int, int]] = []
    for low, high in [(10, 19), (0, 4), (20, 25), (5, 9), (40, 41)]:
        stats.add_range(ranges, low, high)
    assert ranges == [(0, 25), (40, 41)]
    assert stats.uncovered(ranges, 20, 45) == [(26, 39), (42, 45)]
    assert stats.subtract([(0, 100)], [(10, 19), (50, 200)]) == [(0, 9), (20, 49)]


def test_only_the_learning_period_is_learned() -> None:
    transactions = [tx(T0 + i * 10, READ, targets=(register(i),), values=(i,)) for i in range(30)]
    baseline = learn(transactions, start=T0 + 100, end=T0 + 200)
    [record] = baseline.captures
    assert (record.transactions, record.learned) == (30, 11)
    assert (record.first_seen, record.last_seen) == (T0 + 100, T0 + 200)
    [points] = baseline.points.values()
    assert points.ranges == [(10, 20)]


def test_values_tie_to_points_only_when_they_line_up() -> None:
    class_poll = tx(T0, READ, targets=(Target(1, "class_data", 0, 0),), values=(1, 2, 3))
    read_write = tx(T0, (23, "read_write_multiple_registers", OperationClass.WRITE),
                    targets=(register(20, 2), register(0, 4)), values=(5, 6, 7, 8))  # fmt: skip
    coil = tx(T0, (5, "write_single_coil", OperationClass.WRITE),
              targets=(Target(1, "coils", 3, 1),), values=(0xFF00,))  # fmt: skip
    baseline = learn([class_poll, read_write, coil])
    assert list(baseline.values) == [(PLC.ip, "modbus", 1, "coils", "write")]
    assert baseline.values[(PLC.ip, "modbus", 1, "coils", "write")].points[3].max == 1

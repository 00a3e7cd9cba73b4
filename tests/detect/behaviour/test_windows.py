"""Bounded per-key state: LRU tables, distinct windows, rate estimates, escalation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interlock.detect.behaviour.windows import (
    DistinctWindow,
    Escalation,
    FirstSightings,
    LruTable,
    RateWindow,
    SeenRecently,
)


def test_lru_table_keeps_at_most_cap_keys_and_forgets_the_least_recent() -> None:
    table: LruTable[str, list[int]] = LruTable(3, list)
    for key in "abc":
        table.get(key).append(1)
    table.get("a")  # a is now the most recent
    table.get("d")
    assert list(table) == ["c", "a", "d"]
    assert table.peek("b") is None and table.evicted == 1
    assert len(table) == 3


def test_distinct_window_counts_distinct_items_and_drops_old_ones() -> None:
    window = DistinctWindow()
    assert window.add("h1", 0.0, 10.0, 100) == 1
    assert window.add("h1", 1.0, 10.0, 100) == 1
    assert window.add("h2", 2.0, 10.0, 100) == 2
    # h1 was last seen at 1.0: at 11.5 it is out of the 10 s window, h2 (2.0) is in.
    assert window.add("h3", 11.5, 10.0, 100) == 2
    assert list(window.items) == ["h2", "h3"]


def test_distinct_window_is_capped_and_late_timestamps_count_as_now() -> None:
    window = DistinctWindow()
    for i in range(50):
        window.add(i, float(i) / 100, 10.0, 8)
    assert len(window.items) == 8
    assert window.add("late", -100.0, 10.0, 8) == 8
    assert window.items["late"] == window.newest


def test_rate_window_follows_a_steady_rate_within_a_slot() -> None:
    rate = RateWindow()
    estimates = [rate.add(t * 0.1, 1.0) for t in range(100)]  # 10 per second
    # A window of one second ending at an event holds 10 or 11 events (both ends).
    assert all(10 <= round(e, 6) <= 11 for e in estimates[20:])
    assert [round(e) for e in estimates[:10]] == list(range(1, 11))


def test_rate_window_counts_a_burst_that_straddles_slots() -> None:
    rate = RateWindow()
    estimates = [rate.add(1_700_000_000 + i * 0.9, 30.0) for i in range(30)]
    assert [round(e) for e in estimates] == list(range(1, 31))


def test_rate_window_sees_a_burst_and_forgets_it_after_two_windows() -> None:
    rate = RateWindow()
    for i in range(40):
        burst = rate.add(100.0 + i * 0.0001, 1.0)
    assert burst == 40
    assert rate.add(102.5, 1.0) == 1


def test_escalation_reports_at_threshold_then_on_each_doubling_then_starts_over() -> None:
    esc = Escalation()
    reports = []
    for n in range(1, 50):
        if n >= 5:
            esc.over(float(n), 10.0)
        if esc.active and esc.due(n):
            reports.append(n)
    assert reports == [5, 10, 20, 40]
    assert not esc.ended(55.0, 10.0)  # last over at 49: 6 s ago
    assert esc.ended(60.0, 10.0)
    assert esc.over(61.0, 10.0) and esc.due(5)


def test_seen_recently_repeats_only_after_the_interval() -> None:
    seen = SeenRecently(10, 60.0)
    assert seen.first_in_a_while("k", 0.0)
    assert not seen.first_in_a_while("k", 59.0)
    assert seen.first_in_a_while("k", 60.0)
    assert not seen.first_in_a_while("k", 30.0)  # older, but within the interval
    always = SeenRecently(10, 0.0)
    assert always.first_in_a_while("k", 1.0) and always.first_in_a_while("k", 1.0)


@given(
    st.lists(st.floats(min_value=0, max_value=50, allow_nan=False), min_size=1, max_size=200),
    st.sampled_from([0.5, 1.0, 10.0]),
)
def test_rate_window_stays_within_one_slot_of_the_exact_count(
    times: list[float], window: float
) -> None:
    rate = RateWindow()
    seen: list[float] = []
    slot = window / RateWindow.SLOTS
    for ts in sorted(times):
        estimate = rate.add(1000.0 + ts, window)
        seen.append(ts)
        inner = sum(1 for t in seen if ts - window + slot <= t <= ts)
        outer = sum(1 for t in seen if ts - window - slot <= t <= ts)
        assert inner - 1e-6 <= estimate <= outer + 1e-6


def test_put_and_touch_keep_the_cap_and_the_recency_order() -> None:
    table: LruTable[str, int] = LruTable(2, int)
    table.put("a", 1)
    table.put("b", 2)
    assert table.touch("a") == 1  # a becomes the most recent
    assert table.touch("zzz") is None and "zzz" not in list(table)
    table.put("c", 3)  # over the cap: b, the least recent, goes
    assert list(table) == ["a", "c"] and table.evicted == 1
    table.put("a", 4)  # an update is no new key: nothing evicted
    assert table.peek("a") == 4 and table.evicted == 1


def test_first_sightings_hand_a_key_back_once_and_stay_within_the_cap() -> None:
    once: FirstSightings[str, int] = FirstSightings(4)
    once.put("a", 1)
    assert once.take("a") == 1 and once.take("a") is None
    for n, key in enumerate("bcdefgh"):
        once.put(key, n)
        assert len(once) <= 4
    # Generations of two: (b c) then (d e) went when (f g) filled; h is the young one.
    assert once.evicted == 4 and once.take("e") is None
    assert (once.take("f"), once.take("g"), once.take("h")) == (4, 5, 6)

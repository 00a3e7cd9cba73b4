"""Rates in a detection run: messages per capture minute of each learned rate, compared
with what was learned when the minute ends (docs/detect-baseline.md#the-file, Rates).

State: the counts of the minutes not ended yet, for learned rates only, and the learned
talkers seen so far; both bounded by the baseline, whatever the traffic. A run of quiet
minutes is compared once, as a span, however long it is.
"""

from __future__ import annotations

import math

from interlock.detect.baseline import rules
from interlock.detect.baseline.exclusions import ExclusionSet, silenced_rules
from interlock.detect.baseline.learner import function_key
from interlock.detect.baseline.minutes import WIDTH, MinuteCounter
from interlock.detect.baseline.model import (
    COMMAND_OPERATIONS,
    Baseline,
    Rate,
    RateKey,
    TalkerKey,
    function_label,
)
from interlock.detect.baseline.text import iso
from interlock.detect.hits import Hit
from interlock.model import Endpoint, Transaction


def details(
    baseline: str, entry: str, learned_entry: bool, learned: object, observed: object
) -> dict[str, object]:
    """The details every baseline hit has (docs/detect-baseline.md#deviations)."""
    return {
        "baseline": baseline,
        "baseline_entry": entry,
        "entry_learned": learned_entry,
        "learned": learned,
        "observed": observed,
    }


class RateWatch:
    def __init__(self, baseline: Baseline, exclusions: ExclusionSet, name: str) -> None:
        self.baseline = baseline
        self.exclusions = exclusions
        self.name = name
        self.minutes: MinuteCounter[RateKey] = MinuteCounter()
        self.first_frames: dict[RateKey, dict[int, int]] = {}
        self.seen: dict[TalkerKey, tuple[Endpoint, Endpoint, int]] = {}

    def tick(self, ts: float) -> list[Hit]:
        """Note a transaction's time; the deviations of the minutes that ended."""
        ended = self.minutes.tick(ts)
        return [] if ended is None else self._minutes_ended(*ended, end=None)

    def finish(self) -> list[Hit]:
        """The last minutes, those the capture covers whole."""
        newest = self.minutes.newest
        if newest is None:
            return []
        return self._minutes_ended(newest - 1, newest, end=self.minutes.last)

    def count(self, tx: Transaction, ts: float, frame: int) -> None:
        key: TalkerKey = (tx.client.ip, tx.server.ip, tx.protocol)
        rates = self.baseline.rates.get(key)
        if key not in self.baseline.talkers:
            return
        self.seen[key] = (tx.client, tx.server, frame)
        function = function_key(tx)
        if rates is None or function not in rates:
            return
        rate_key: RateKey = (*key, function)
        if self.minutes.count(rate_key, ts):
            frames = self.first_frames.setdefault(rate_key, {})
            frames.setdefault(math.floor(ts / WIDTH), frame)

    def _minutes_ended(self, first: int, last: int, end: float | None) -> list[Hit]:
        """Compare each full minute in [first, last] with the learned rates."""
        tracked = [
            rate
            for key in self.seen
            for rate in self.baseline.rates.get(key, {}).values()
            if rate.windows > 0 and not self._rate_silenced(rate)
        ]
        counts = {rate.key: dict(self.minutes.take(rate.key, last)) for rate in tracked}
        for key in list(self.minutes.open):
            self.minutes.take(key, last)
        busy = sorted({m for per in counts.values() for m in per if first <= m <= last})
        hits: list[Hit] = []
        cursor = first
        for minute in [*busy, last + 1]:
            quiet = self._full_span(cursor, minute - 1, end)
            if quiet is not None:
                for rate in tracked:
                    hits += self._compare(rate, 0, quiet[0], quiet[1])
            if minute <= last and self._full_span(minute, minute, end) is not None:
                for rate in tracked:
                    hits += self._compare(rate, counts[rate.key].get(minute, 0), minute, 1)
            cursor = minute + 1
        for rate in tracked:
            frames = self.first_frames.get(rate.key)
            if frames:
                for minute in [m for m in frames if m <= last]:
                    del frames[minute]
        return hits

    def _full_span(self, first: int, last: int, end: float | None) -> tuple[int, int] | None:
        """(first full minute, how many) of [first, last], or None."""
        if self.minutes.first is None:
            return None
        first = max(first, math.ceil(self.minutes.first / WIDTH))
        if end is not None:
            last = min(last, math.floor(end / WIDTH) - 1)
        return (first, last - first + 1) if last >= first else None

    def _rate_silenced(self, rate: Rate) -> bool:
        if not self.exclusions:
            return False
        code, _, name, operation = rate.function
        matched = self.exclusions.matching_fields(
            rate.client, rate.server, rate.protocol, code, name, operation
        )
        return rules.RATE_CHANGE in silenced_rules(matched, rules.EVERY_RULE)

    def _compare(self, rate: Rate, messages: int, minute: int, minutes: int) -> list[Hit]:
        factor = self.baseline.settings.rate_factor
        if messages > rate.max * factor:
            info = rules.RATE_UP_WRITES if rate.function[3] in COMMAND_OPERATIONS else rules.RATE_UP
            change = "up"
        elif messages < rate.min / factor:
            info, change = rules.RATE_DOWN, "down"
        else:
            return []
        client, server, last_frame = self.seen[rate.key[:3]]
        frame = self.first_frames.get(rate.key, {}).get(minute, last_frame)
        start = minute * WIDTH
        span = f"the minute from {iso(start)}" if minutes == 1 else (
            f"{minutes} minutes from {iso(start)}"
        )  # fmt: skip
        name = rate.function[2]
        message = (
            f"{name} from {rate.client} to {rate.server} ({rate.protocol}): {messages} "
            f"messages {'each ' if minutes > 1 else ''}in {span}; learned {rate.min} to "
            f"{rate.max} per minute (median {rate.median}), rate factor {factor:g}"
        )
        learned = {"min": rate.min, "median": rate.median, "max": rate.max,
                   "windows": rate.windows, "factor": factor}  # fmt: skip
        observed = {"per_minute": messages, "minutes": minutes, "from": iso(start),
                    "to": iso(start + minutes * WIDTH), "change": change}  # fmt: skip
        found = details(self.name, rate.id, True, learned, observed)
        found["function"] = function_label(rate.function)
        return [Hit(info, rate.protocol, client, server, start, frame, "unknown", message,
                    found)]  # fmt: skip

"""Deviations from a baseline, as detection hits (docs/detect-baseline.md).

    BaselineDetector(baseline).transaction(tx) -> hits; .finish() -> the last minutes' hits

One transaction gives at most one hit per rule: a storm of the same deviation is a stream
of hits for the aggregator to count, never state kept here. What this detector keeps is
bounded by the baseline itself: the per-minute counts of learned rates, and the learned
talkers seen so far. Time is capture time only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from interlock.detect.alert import Outcome
from interlock.detect.baseline import rules, stats
from interlock.detect.baseline.exclusions import (
    Exclusion,
    ExclusionSet,
    address_holes,
    silenced_rules,
)
from interlock.detect.baseline.learner import (
    ACCESS_OF,
    attributed,
    function_key,
    moment,
    space_key,
    target_range,
)
from interlock.detect.baseline.model import (
    COMMAND_OPERATIONS,
    Access,
    Baseline,
    FunctionKey,
    TalkerKey,
    address_order,
    function_label,
    points_id,
    talker_id,
    value_id,
)
from interlock.detect.baseline.ratewatch import RateWatch, details
from interlock.detect.baseline.text import ranges_text
from interlock.detect.hits import FlowSeen, Hit, RuleInfo
from interlock.model import Transaction

INDUSTRIAL: Final = frozenset(
    {"modbus", "dnp3", "enip", "s7comm", "s7comm-plus", "opcua", "bacnet", "iec104"}
)
"""Protocols whose writes and commands act on a device (unknown_client_command). Not MQTT:
a publish goes to a broker, and most are telemetry; a new publisher is a new talker."""
OUTCOMES: Final[dict[str, Outcome]] = {
    "ok": "succeeded",
    "exception": "refused",
    "unanswered": "attempted",
}
LISTED: Final = 8
"""Items a hit lists (entries, clients, points); the count says how many there were."""


class BaselineDetector:
    """Implements interlock.detect.hits.Detector."""

    def __init__(self, baseline: Baseline) -> None:
        self.baseline = baseline
        self.name = Path(baseline.source).name if baseline.source else ""
        self.exclusions = ExclusionSet(baseline.exclusions)
        self.pairs: set[tuple[str, str]] = set()
        self.exact: dict[TalkerKey, set[FunctionKey]] = {}
        commanders: dict[str, list[str]] = {}
        clients: dict[tuple[str, str], list[str]] = {}
        for talker in baseline.talkers.values():
            self.pairs.add((talker.client, talker.server))
            self.exact[talker.key] = {
                key for key in (f.exact_key() for f in talker.functions) if key is not None
            }
            clients.setdefault((talker.server, talker.protocol), []).append(talker.client)
            if talker.commands():
                commanders.setdefault(talker.server, []).append(talker.client)
        self.commanders = {server: frozenset(c) for server, c in commanders.items()}
        self.commanders_shown = {server: _shown(c) for server, c in commanders.items()}
        self.clients_shown = {key: _shown(c) for key, c in clients.items()}
        self.rates = RateWatch(baseline, self.exclusions, self.name)

    def transaction(self, tx: Transaction) -> list[Hit]:
        when = moment(tx)
        if when is None:
            return []
        ts, frame = when
        hits: list[Hit] = self.rates.tick(ts)
        matched = self.exclusions.matching(tx)
        silenced = silenced_rules(matched, rules.EVERY_RULE)
        if silenced == rules.EVERY_RULE:
            return hits
        found = [
            self._who(tx, ts, frame),
            self._where(tx, ts, frame, matched),
            self._what(tx, ts, frame, matched),
        ]
        hits += [h for h in found if h is not None and h.rule.id not in silenced]
        self.rates.count(tx, ts, frame)
        return hits

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return ()

    def finish(self) -> list[Hit]:
        return self.rates.finish()

    # who: talkers, functions, commands

    def _who(self, tx: Transaction, ts: float, frame: int) -> Hit | None:
        key: TalkerKey = (tx.client.ip, tx.server.ip, tx.protocol)
        talker = self.baseline.talkers.get(key)
        operation = tx.operation.value
        function = function_key(tx)
        observed = {"function": function_label(function), "operation": operation}
        if (
            operation in COMMAND_OPERATIONS
            and tx.protocol in INDUSTRIAL
            and tx.client.ip not in self.commanders.get(tx.server.ip, ())
        ):
            shown, total = self.commanders_shown.get(tx.server.ip, ([], 0))
            known = (tx.client.ip, tx.server.ip) in self.pairs
            info = rules.UNAUTHORIZED_COMMAND if known else rules.ROGUE_MASTER
            message = (
                f"{tx.client.ip} sent {tx.function_name} ({operation}) to {tx.server.ip} over "
                f"{tx.protocol}; the baseline never saw it command {tx.server.ip} "
                f"({_clients_text(shown, total, 'commanding it')})"
            )
            learned = {"commanders": shown, "commanders_total": total}
            return self._hit(info, tx, ts, frame, message, talker_id(key), talker is not None,
                             learned, observed)  # fmt: skip
        if talker is None:
            shown, total = self.clients_shown.get((tx.server.ip, tx.protocol), ([], 0))
            doing = f"talking {tx.protocol}"
            message = (
                f"{tx.client.ip} talked {tx.protocol} to {tx.server.ip} ({tx.function_name}), "
                f"a pair the baseline never saw ({_clients_text(shown, total, doing)})"
            )
            learned = {
                "talkers": [talker_id((c, tx.server.ip, tx.protocol)) for c in shown],
                "talkers_total": total,
            }
            info = rules.new_talker(operation, tx.function_name)
            return self._hit(info, tx, ts, frame, message, talker_id(key), False, learned,
                             observed)  # fmt: skip
        if function in self.exact.get(key, ()) or talker.function_for(function) is not None:
            return None
        labels = [spec.label() for spec in talker.functions]
        message = (
            f"{tx.client.ip} used {tx.function_name} ({operation}) on {tx.server.ip} over "
            f"{tx.protocol}, a function the baseline never saw between them "
            f"(learned: {_listed(labels, len(labels))})"
        )
        learned = {"functions": labels[: LISTED * 4], "functions_total": len(labels)}
        info = rules.new_function(operation, tx.function_name)
        return self._hit(info, tx, ts, frame, message, talker.id, True, learned, observed)

    # where: address ranges

    def _where(
        self, tx: Transaction, ts: float, frame: int, matched: list[Exclusion]
    ) -> Hit | None:
        access = ACCESS_OF.get(tx.operation)
        if access is None or not tx.targets:
            return None
        deviations: list[dict[str, Any]] = []
        for target in tx.targets:
            key = space_key(tx, target, access)
            points = self.baseline.points.get(key)
            low, high = target_range(target)
            gaps = [(low, high)] if points is None else stats.uncovered(points.ranges, low, high)
            if gaps:
                gaps = stats.subtract(gaps, address_holes(matched, target, rules.NEW_ADDRESS_RANGE))
            if gaps:
                deviations.append(
                    {
                        "entry": points_id(key),
                        "entry_learned": points is not None,
                        "unit": target.unit,
                        "space": target.space,
                        "learned": [list(r) for r in points.ranges[: LISTED * 4]] if points else [],
                        "observed": [list(g) for g in gaps],
                    }
                )
        if not deviations:
            return None
        first = deviations[0]
        verb = "wrote" if access == "write" else "read"
        learned = points_text(first["learned"]) if first["entry_learned"] else "none"
        message = (
            f"{tx.client.ip} {verb} {first['space']} {ranges_text(first['observed'])} on unit "
            f"{first['unit']} of {tx.server.ip} ({tx.protocol}), outside the learned ranges "
            f"({learned})"
        )
        info = rules.NEW_WRITE_RANGE if access == "write" else rules.NEW_READ_RANGE
        return self._hit(info, tx, ts, frame, message, first["entry"], first["entry_learned"],
                         first["learned"], first["observed"],
                         {"entries": deviations[:LISTED], "entries_total": len(deviations)})  # fmt: skip

    # what: values

    def _what(self, tx: Transaction, ts: float, frame: int, matched: list[Exclusion]) -> Hit | None:
        access: Access | None = ACCESS_OF.get(tx.operation)
        if access is None:
            return None
        outside: list[dict[str, Any]] = []
        total = 0
        for target, address, value in attributed(tx):
            key = space_key(tx, target, access)
            group = self.baseline.values.get(key)
            point = group.points.get(address) if group is not None else None
            if point is None or point.min is None or point.max is None:
                continue
            if point.min <= value <= point.max:
                continue
            holes = address_holes(matched, target, rules.VALUE_OUT_OF_RANGE)
            if stats.in_holes(address, holes):
                continue
            total += 1
            if len(outside) < LISTED:
                outside.append(
                    {
                        "entry": value_id(key, address),
                        "space": target.space,
                        "unit": target.unit,
                        "address": address,
                        "learned": {"min": point.min, "max": point.max},
                        "observed": value,
                    }
                )
        if not outside:
            return None
        first = outside[0]
        verb = "wrote" if access == "write" else "reported"
        message = (
            f"{tx.client.ip} {verb} {first['observed']} to {first['space']} {first['address']} "
            f"on unit {first['unit']} of {tx.server.ip}" if access == "write" else
            f"{tx.server.ip} {verb} {first['observed']} for {first['space']} {first['address']} "
            f"on unit {first['unit']}"
        )  # fmt: skip
        message += (
            f" ({tx.protocol}); learned range {first['learned']['min']}..{first['learned']['max']}"
        )
        if total > 1:
            message += f"; {total} values out of range in this message"
        info = rules.WRITTEN_VALUE if access == "write" else rules.REPORTED_VALUE
        return self._hit(info, tx, ts, frame, message, first["entry"], True, first["learned"],
                         first["observed"], {"points": outside, "points_total": total})  # fmt: skip

    # hits

    def _hit(
        self,
        info: RuleInfo,
        tx: Transaction,
        ts: float,
        frame: int,
        message: str,
        entry: str,
        entry_learned: bool,
        learned: Any,
        observed: Any,
        extra: dict[str, Any] | None = None,
    ) -> Hit:
        details = self._details(entry, entry_learned, learned, observed)
        details["function"] = function_label(function_key(tx))
        if extra:
            details.update(extra)
        outcome = OUTCOMES.get(tx.status, "unknown")
        return Hit(info, tx.protocol, tx.client, tx.server, ts, frame, outcome, message, details)

    def _details(
        self, entry: str, learned_entry: bool, learned: Any, observed: Any
    ) -> dict[str, Any]:
        return details(self.name, entry, learned_entry, learned, observed)


def points_text(ranges: list[list[int]]) -> str:
    return ranges_text(ranges) if ranges else "none"


def _shown(addresses: list[str]) -> tuple[list[str], int]:
    """The first few addresses in numeric order, and how many there are."""
    return sorted(addresses, key=address_order)[:LISTED], len(addresses)


def _listed(items: list[str], total: int) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {total - LISTED} more" if total > LISTED else "") or "none"


def _clients_text(clients: list[str], total: int, doing: str) -> str:
    if not clients:
        return f"it knows no client {doing}"
    return f"clients it knows {doing}: {_listed(clients, total)}"

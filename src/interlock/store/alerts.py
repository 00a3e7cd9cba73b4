"""Alerts and suppressions in the store.

Saving a run's alerts merges them with the stored ones: an alert of the same rule,
site, endpoints (client and server address, server port) and suppression whose first
hit is within the stored alert's window of the stored one's becomes part of it (count,
first/last seen, outcome, evidence up to EVIDENCE_KEPT frames, outcome counts), keeping
the stored id. So analyzing a capture that continues another one does not repeat its
alerts. Suppressions are soft-deleted (``removed``), so what they swallowed stays listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from operator import itemgetter
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Engine, delete, insert, select, update

from interlock.detect.aggregate import alert_order, stronger
from interlock.detect.alert import (
    EVIDENCE_KEPT,
    SEVERITIES,
    Alert,
    AlertEndpoint,
    FrameEvidence,
    Outcome,
    Severity,
)
from interlock.detect.pending import PendingAlert
from interlock.detect.suppress import Suppression, Swallowed
from interlock.errors import UsageError
from interlock.store import tables as t

INSERT_BATCH = 2000
RANK = {severity: n for n, severity in enumerate(SEVERITIES)}

MergeKey = tuple[str, str, str, str, int | None, int | None]


def save_alerts(
    c: Connection, alerts: list[PendingAlert], windows: dict[str, float]
) -> dict[int, Alert]:
    """Insert a run's alerts, or merge each into a stored one; the stored alerts that
    absorbed some, by the absorbed one's position in ``alerts``."""
    if not alerts:
        return {}
    stored = _candidates(c, alerts, max(windows.values(), default=0.0))
    if not stored:  # nothing stored to merge into (a first capture, or a distant one)
        _insert(c, (_row(alert, windows.get(alert.rule.id, 0.0)) for alert in alerts))
        return {}
    new_rows: list[tuple[Any, ...]] = []
    merged: dict[int, Alert] = {}
    for n, alert in enumerate(alerts):
        window = windows.get(alert.rule.id, 0.0)
        key = (alert.rule.id, alert.site, alert.src.ip, alert.dst.ip, alert.dst.port,
               alert.suppressed_by)  # fmt: skip
        found = next(
            (s for s, w in stored.get(key, []) if abs(s.first_seen - alert.first_seen) < w),
            None,
        )
        if found is None:
            new_rows.append(_row(alert, window))
            continue
        _merge_into(found, alert.alert())
        c.execute(update(t.alerts).where(t.alerts.c.id == found.id).values(**_changes(found)))
        merged[n] = found
    _insert(c, new_rows)
    return merged


def replace_alerts(engine: Engine, alerts: list[Alert], window: float) -> int:
    """Store alerts that are recomputed whole from their source each time (the gateway's
    audit log): a stored alert with the same id is replaced, so importing a log again, or
    after it grew, never counts a record twice. One transaction; the number stored."""
    rows = [_row(alert, window) for alert in alerts]
    ids = [row[0] for row in rows]
    with engine.begin() as c:
        for start in range(0, len(ids), INSERT_BATCH):
            c.execute(delete(t.alerts).where(t.alerts.c.id.in_(ids[start : start + INSERT_BATCH])))
        _insert(c, rows)
    return len(rows)


def _insert(c: Connection, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert alert rows (tuples in COLUMNS order) in batches, through the driver's
    executemany: the statement is compiled once by SQLAlchemy for the connection's
    dialect, and rows go as tuples in its parameter order (SQLAlchemy's per-row parameter
    processing was half the cost of storing a big capture's alerts, and the alert columns
    need no type conversion). Rows are taken a batch at a time, so a big run's rows never
    exist all at once."""
    compiled = insert(t.alerts).compile(dialect=c.dialect)
    order = compiled.positiontup
    if order is None:  # a named-parameter dialect: let SQLAlchemy bind them
        named = (dict(zip(COLUMNS, row, strict=True)) for row in rows)
        while named_batch := list(islice(named, INSERT_BATCH)):
            c.execute(insert(t.alerts), named_batch)
        return
    positions = [COLUMNS.index(name) for name in order]
    if positions != list(range(len(COLUMNS))):
        reorder = itemgetter(*positions)
        rows = (reorder(row) for row in rows)
    ordered = iter(rows)
    sql = str(compiled)
    while batch := list(islice(ordered, INSERT_BATCH)):
        c.exec_driver_sql(sql, batch)


def _key(alert: Alert) -> MergeKey:
    return (alert.rule, alert.site, alert.src.ip, alert.dst.ip, alert.dst.port, alert.suppressed_by)


def _candidates(
    c: Connection, alerts: list[PendingAlert], window: float
) -> dict[MergeKey, list[tuple[Alert, float]]]:
    """Stored alerts that could absorb one of these (same site and rules, close in time)."""
    low = min(a.first_seen for a in alerts) - window
    high = max(a.first_seen for a in alerts) + window
    query = select(t.alerts).where(
        t.alerts.c.first_seen > low,
        t.alerts.c.first_seen < high,
        t.alerts.c.site.in_(sorted({a.site for a in alerts})),
        t.alerts.c.rule.in_(sorted({a.rule.id for a in alerts})),
    )
    found: dict[MergeKey, list[tuple[Alert, float]]] = {}
    for row in c.execute(query).mappings():
        alert = _alert(row)
        found.setdefault(_key(alert), []).append((alert, float(row["window"])))
    return found


def _merge_into(stored: Alert, new: Alert) -> None:
    stored.count += new.count
    stored.first_seen = min(stored.first_seen, new.first_seen)
    stored.last_seen = max(stored.last_seen, new.last_seen)
    stored.outcome = stronger(stored.outcome, new.outcome)
    for evidence in new.evidence:
        if len(stored.evidence) < EVIDENCE_KEPT and evidence not in stored.evidence:
            stored.evidence.append(evidence)
    outcomes = dict(stored.details.get("outcomes", {}))
    for outcome, count in new.details.get("outcomes", {}).items():
        outcomes[outcome] = outcomes.get(outcome, 0) + count
    stored.details["outcomes"] = outcomes
    for side in ("src", "dst"):
        mine, theirs = getattr(stored, side), getattr(new, side)
        if mine.asset is None and theirs.asset is not None:
            setattr(stored, side, AlertEndpoint(mine.ip, mine.port, theirs.asset))


def _changes(alert: Alert) -> dict[str, Any]:
    return {
        "count": alert.count,
        "first_seen": alert.first_seen,
        "last_seen": alert.last_seen,
        "outcome": alert.outcome,
        "evidence": _json([e.as_dict() for e in alert.evidence]),
        "details": _json(alert.details),
        "src_asset": alert.src.asset,
        "dst_asset": alert.dst.asset,
    }


COLUMNS: Final = tuple(column.name for column in t.alerts.columns)
"""The order of ``_row``'s values: the table's."""


def _row(alert: Alert | PendingAlert, window: float) -> tuple[Any, ...]:
    """The alert's row, its values in COLUMNS order (built as a tuple: a dict per row,
    then picked apart again, was a third of storing a big run's alerts)."""
    if isinstance(alert, PendingAlert):
        rule, title, severity = alert.rule.id, alert.rule.title, alert.rule.severity
        techniques = alert.rule.techniques
        evidence, details = alert.evidence_json(), alert.details_json()
    else:
        rule, title, severity, techniques = (
            alert.rule,
            alert.title,
            alert.severity,
            alert.techniques,
        )
        # orjson writes a FrameEvidence (a dataclass) as FrameEvidence.as_dict does
        evidence, details = _json(alert.evidence), _json(alert.details)
    src, dst = alert.src, alert.dst
    return (
        alert.id, rule, title, severity, RANK[severity], _json(techniques), alert.outcome,
        alert.protocol, src.ip, src.port, src.asset, dst.ip, dst.port, dst.asset,
        alert.first_seen, alert.last_seen, alert.count, alert.site, alert.message, evidence,
        details, alert.suppressed_by, window,
    )  # fmt: skip


def _alert(row: Any) -> Alert:
    severity: Severity = row["severity"]
    outcome: Outcome = row["outcome"]
    return Alert(
        rule=row["rule"],
        title=row["title"],
        severity=severity,
        techniques=tuple(orjson.loads(row["techniques"])),
        outcome=outcome,
        src=AlertEndpoint(row["src_ip"], row["src_port"], row["src_asset"]),
        dst=AlertEndpoint(row["dst_ip"], row["dst_port"], row["dst_asset"]),
        protocol=row["protocol"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        site=row["site"],
        count=row["count"],
        evidence=[FrameEvidence(e["capture"], e["frame"]) for e in orjson.loads(row["evidence"])],
        message=row["message"],
        details=orjson.loads(row["details"]),
        suppressed_by=row["suppressed_by"],
        stored_id=row["id"],
    )


def load_alerts(
    engine: Engine,
    severity: Severity | None = None,
    rule: str | None = None,
    since: float | None = None,
    until: float | None = None,
    include_suppressed: bool = False,
) -> list[Alert]:
    """Stored alerts, oldest first; `since`/`until` keep those seen within the interval."""
    query = select(t.alerts)
    if severity is not None:
        query = query.where(t.alerts.c.severity_rank >= RANK[severity])
    if rule is not None:
        query = query.where(t.alerts.c.rule == rule)
    if since is not None:
        query = query.where(t.alerts.c.last_seen >= since)
    if until is not None:
        query = query.where(t.alerts.c.first_seen <= until)
    if not include_suppressed:
        query = query.where(t.alerts.c.suppressed_by.is_(None))
    with engine.connect() as c:
        alerts = [_alert(row) for row in c.execute(query).mappings()]
    return sorted(alerts, key=alert_order)


def add_suppression(
    engine: Engine,
    rule: str,
    asset_id: int | None,
    address: str | None,
    until: float,
    reason: str,
    created: float,
) -> Suppression:
    values = {
        "rule": rule, "asset_id": asset_id, "address": address, "until": until,
        "reason": reason, "created": created, "hits": 0,
    }  # fmt: skip
    with engine.begin() as c:
        new_id = c.execute(insert(t.suppressions).values(**values)).inserted_primary_key
    assert new_id is not None
    return Suppression(int(new_id[0]), rule, asset_id, address, until, reason, created)


def suppressions(engine: Engine) -> list[Suppression]:
    with engine.connect() as c:
        rows = c.execute(select(t.suppressions).order_by(t.suppressions.c.id)).mappings()
        return [_suppression(r) for r in rows]


def remove_suppression(engine: Engine, suppression_id: int, now: float) -> Suppression:
    """Mark a suppression removed (it stops applying; what it swallowed stays listed)."""
    with engine.begin() as c:
        row = (
            c.execute(select(t.suppressions).where(t.suppressions.c.id == suppression_id))
            .mappings()
            .first()
        )
        if row is None:
            raise UsageError(f"no suppression {suppression_id}")
        if row["removed"] is not None:
            raise UsageError(f"suppression {suppression_id} was already removed")
        c.execute(
            update(t.suppressions).where(t.suppressions.c.id == suppression_id).values(removed=now)
        )
    return _suppression({**row, "removed": now})


def record_swallowed(c: Connection, swallowed: dict[int, Swallowed]) -> None:
    """Add a run's suppressed hits to each suppression's count and first/last hit."""
    for suppression_id, counts in swallowed.items():
        row = (
            c.execute(select(t.suppressions).where(t.suppressions.c.id == suppression_id))
            .mappings()
            .first()
        )
        if row is None:
            continue
        first = [v for v in (row["first_hit"], counts.first) if v is not None]
        last = [v for v in (row["last_hit"], counts.last) if v is not None]
        c.execute(
            update(t.suppressions)
            .where(t.suppressions.c.id == suppression_id)
            .values(
                hits=row["hits"] + counts.hits,
                first_hit=min(first) if first else None,
                last_hit=max(last) if last else None,
            )
        )


def _suppression(row: Any) -> Suppression:
    return Suppression(
        row["id"], row["rule"], row["asset_id"], row["address"], row["until"], row["reason"],
        row["created"], row["removed"], row["hits"], row["first_hit"], row["last_hit"],
    )  # fmt: skip


def _json(value: Iterable[Any] | dict[str, Any]) -> str:
    return orjson.dumps(value).decode()

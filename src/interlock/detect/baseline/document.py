"""A baseline as a document: the YAML file people review and the JSON ``show --json``
prints share one shape (docs/detect-baseline.md).

Deterministic: entries in a fixed order (addresses in numeric order), no wall-clock time,
floats rounded, so learning the same captures twice writes the same bytes and a re-learn
shows up in ``git diff`` as the lines that changed. Small mappings and pairs are written
on one line each (a point's values, a range, a rate) to keep diffs line-sized. The YAML is
written entry by entry (``yamltext``): a large baseline is never held twice in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any, Final, TextIO

from interlock.detect.baseline.exclusions import Exclusion
from interlock.detect.baseline.model import (
    FORMAT_VERSION,
    KIND,
    Baseline,
    FunctionSpec,
    Points,
    PointValues,
    Rate,
    Talker,
    TalkerKey,
    ValueGroup,
    address_order,
    function_label,
    rates_id,
)
from interlock.detect.baseline.text import iso
from interlock.detect.baseline.yamltext import Flow, FlowList, Writer

HEADER: Final = """\
# Interlock baseline: what this network did while it was learned, for detection to
# compare traffic against. Review it and edit it: change a range, add a talker, add an
# exclusion. Mark an entry you changed `manual: true` and re-learning (--update) keeps
# it exactly as written. Comments are not kept; use `note:`. Format: docs/detect-baseline.md
"""


def sections(baseline: Baseline, flow: bool) -> Iterator[tuple[str, Any]]:
    """The document's top-level keys in order; the entry lists are generators."""
    fm: Any = Flow if flow else dict
    fl: Any = FlowList if flow else list
    settings = baseline.settings
    yield "version", FORMAT_VERSION
    yield "kind", KIND
    yield "settings", fm(margin_pct=_number(settings.margin_pct),
                         rate_factor=_number(settings.rate_factor))  # fmt: skip
    yield "periods", [fm(start=iso(a), end=iso(b)) for a, b in baseline.periods()]
    yield "captures", [
        {"name": c.name, "sha256": c.sha256, "first_seen": _time(c.first_seen),
         "last_seen": _time(c.last_seen), "transactions": c.transactions, "learned": c.learned}
        for c in baseline.captures
    ]  # fmt: skip
    yield "dropped", fm(sorted(baseline.dropped.items()))
    talkers = sorted(baseline.talkers.values(), key=_talker_order)
    yield "talkers", (_talker(t) for t in talkers)
    yield "points", (_points(p, fl) for p in sorted(baseline.points.values(), key=_space_order))
    yield "values", (_values(g, fm) for g in sorted(baseline.values.values(), key=_space_order))
    groups = sorted(baseline.rates, key=_key_order)
    yield "rates", (r for r in (_rates(k, baseline.rates[k], fm) for k in groups) if r)
    yield "exclusions", (_exclusion(e, fl) for e in baseline.exclusions)


def write_yaml(baseline: Baseline, stream: TextIO) -> None:
    writer = Writer()
    stream.write(HEADER)
    for key, value in sections(baseline, flow=True):
        if not isinstance(value, Iterator):
            stream.writelines(writer.mapping([(key, value)]))
            continue
        first = next(value, None)
        if first is None:
            stream.write(f"{key}: []\n")
            continue
        stream.write(f"{key}:\n")
        for entry in _chain(first, value):
            stream.writelines(writer.sequence([entry], 0))


def to_yaml(baseline: Baseline) -> str:
    stream = io.StringIO()
    write_yaml(baseline, stream)
    return stream.getvalue()


def to_json(baseline: Baseline) -> dict[str, Any]:
    """The same document as JSON data: integer keys (point addresses, histogram counts)
    become strings, as JSON keys are text."""
    doc = {key: list(value) if isinstance(value, Iterator) else value
           for key, value in sections(baseline, flow=False)}  # fmt: skip
    for group in doc["values"]:
        group["points"] = {str(a): v for a, v in group["points"].items()}
    for group in doc["rates"]:
        for rate in group["functions"].values():
            rate["histogram"] = {str(k): v for k, v in rate["histogram"].items()}
    return doc


def _chain(first: Any, rest: Iterable[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _talker(t: Talker) -> dict[str, Any]:
    out: dict[str, Any] = {"id": t.id, "client": t.client, "server": t.server,
                           "protocol": t.protocol}  # fmt: skip
    if t.count or not t.manual:
        out["count"] = t.count
    if t.first_seen is not None:
        out["first_seen"] = iso(t.first_seen)
    if t.last_seen is not None:
        out["last_seen"] = iso(t.last_seen)
    out["functions"] = {f.label(): f.count for f in sorted(t.functions, key=FunctionSpec.order)}
    return _marks(out, t.manual, t.note)


def _points(p: Points, fl: Any) -> dict[str, Any]:
    out = {"id": p.id, "server": p.server, "protocol": p.protocol, "unit": p.unit,
           "space": p.space, "access": p.access, "count": p.count,
           "ranges": [fl(r) for r in p.ranges]}  # fmt: skip
    return _marks(out, p.manual, p.note)


def _values(g: ValueGroup, fm: Any) -> dict[str, Any]:
    out = {"id": g.id, "server": g.server, "protocol": g.protocol, "unit": g.unit,
           "space": g.space, "access": g.access,
           "points": {a: _point(g.points[a], fm) for a in sorted(g.points)}}  # fmt: skip
    return _marks(out, False, g.note)


def _point(p: PointValues, fm: Any) -> dict[str, Any]:
    """min and max (what detection allows) always; what was seen when it says more."""
    out = fm(min=p.min, max=p.max)
    if p.count:
        out["count"] = p.count
        if (p.seen_min, p.seen_max) != (p.min, p.max):
            out.update(seen_min=p.seen_min, seen_max=p.seen_max)
        if p.seen_min != p.seen_max:
            out.update(mean=round(p.mean, 4), stdev=round(p.stdev, 4))
    if p.manual:
        out["manual"] = True
    return out  # type: ignore[no-any-return]


def _rates(key: TalkerKey, rates: dict[Any, Rate], fm: Any) -> dict[str, Any] | None:
    kept = [r for r in rates.values() if r.windows > 0 or r.manual]
    if not kept:
        return None
    client, server, protocol = key
    functions = {}
    for r in sorted(kept, key=lambda r: FunctionSpec(*r.function).order()):
        out = fm(minutes=r.windows, min=r.min, median=r.median, max=r.max,
                 histogram=fm(sorted(r.histogram.items())))  # fmt: skip
        functions[function_label(r.function)] = _marks(out, r.manual, r.note)
    return {"id": rates_id(key), "client": client, "server": server, "protocol": protocol,
            "functions": functions}  # fmt: skip


def _exclusion(e: Exclusion, fl: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id}
    if e.reason is not None:
        out["reason"] = e.reason
    for key in ("client", "server"):
        match = getattr(e, key)
        if match is not None:
            out[key] = match.text
    for key in ("protocol", "function", "operation", "unit", "space"):
        if getattr(e, key) is not None:
            out[key] = getattr(e, key)
    if e.addresses is not None:
        out["addresses"] = fl(e.addresses)
    if e.rules is not None:
        out["rules"] = fl(sorted(e.rules))
    return out


def _marks(out: dict[str, Any], manual: bool, note: str | None) -> dict[str, Any]:
    if manual:
        out["manual"] = True
    if note is not None:
        out["note"] = note
    return out


def _talker_order(t: Talker) -> tuple[Any, ...]:
    return _key_order(t.key)


def _key_order(key: TalkerKey) -> tuple[Any, ...]:
    client, server, protocol = key
    return (address_order(client), address_order(server), protocol)


def _space_order(p: Points | ValueGroup) -> tuple[Any, ...]:
    return (address_order(p.server), p.protocol, p.unit, p.space, p.access)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _time(ts: float | None) -> str | None:
    return None if ts is None else iso(ts)

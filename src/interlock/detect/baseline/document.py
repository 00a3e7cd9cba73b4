"""A baseline as a document: the YAML file people review and the JSON ``show --json``
prints share one shape (docs/detect-baseline.md).

Deterministic: entries in a fixed order (addresses in numeric order), no wall-clock time,
floats rounded, so learning the same captures twice writes the same bytes and a re-learn
shows up in ``git diff`` as the lines that changed. Small mappings and pairs are written
on one line each (a function, a range, a point's values) to keep diffs line-sized.
"""

from __future__ import annotations

from typing import Any, Final

import yaml

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
    ValueGroup,
    address_order,
)
from interlock.detect.baseline.text import iso

HEADER: Final = """\
# Interlock baseline: what this network did while it was learned, for detection to
# compare traffic against. Review it and edit it: change a range, add a talker, add an
# exclusion. Mark an entry you changed `manual: true` and re-learning (--update) keeps
# it exactly as written. Comments are not kept; use `note:`. Format: docs/detect-baseline.md
"""


class Flow(dict[Any, Any]):
    """A mapping written on one line."""


class FlowList(list[Any]):
    """A list written on one line."""


def to_document(baseline: Baseline, flow: bool = False) -> dict[str, Any]:
    """The baseline as plain data; flow marks what YAML writes on one line."""
    fm: Any = Flow if flow else dict
    fl: Any = FlowList if flow else list
    settings = baseline.settings
    return {
        "version": FORMAT_VERSION,
        "kind": KIND,
        "settings": {
            "margin_pct": _number(settings.margin_pct),
            "rate_factor": _number(settings.rate_factor),
        },
        "periods": [fm(start=iso(a), end=iso(b)) for a, b in baseline.periods()],
        "captures": [
            {
                "name": c.name,
                "sha256": c.sha256,
                "first_seen": _time(c.first_seen),
                "last_seen": _time(c.last_seen),
                "transactions": c.transactions,
                "learned": c.learned,
            }
            for c in baseline.captures
        ],
        "dropped": fm(sorted(baseline.dropped.items())),
        "talkers": [_talker(t, fm) for t in sorted(baseline.talkers.values(), key=_talker_order)],
        "points": [_points(p, fl) for p in sorted(baseline.points.values(), key=_space_order)],
        "values": [_values(g, fm) for g in sorted(baseline.values.values(), key=_space_order)],
        "rates": [
            _rate(r, fm)
            for r in sorted(
                (r for rates in baseline.rates.values() for r in rates.values()), key=_rate_order
            )
            if r.windows > 0 or r.manual
        ],
        "exclusions": [_exclusion(e, fl) for e in baseline.exclusions],
    }


def to_yaml(baseline: Baseline) -> str:
    doc = to_document(baseline, flow=True)
    body: str = yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1 << 16,
        allow_unicode=True,
    )  # fmt: skip
    return HEADER + body


def to_json(baseline: Baseline) -> dict[str, Any]:
    """The same document for JSON: point addresses become strings (JSON keys are text)."""
    doc = to_document(baseline)
    for group in doc["values"]:
        group["points"] = {str(a): v for a, v in group["points"].items()}
    for rate in doc["rates"]:
        rate["histogram"] = {str(k): v for k, v in rate["histogram"].items()}
    return doc


def _talker(t: Talker, fm: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": t.id, "client": t.client, "server": t.server,
                           "protocol": t.protocol}  # fmt: skip
    if t.count or not t.manual:
        out["count"] = t.count
    if t.first_seen is not None:
        out["first_seen"] = iso(t.first_seen)
    if t.last_seen is not None:
        out["last_seen"] = iso(t.last_seen)
    out["functions"] = [_function(f, fm) for f in sorted(t.functions, key=FunctionSpec.order)]
    return _marks(out, t.manual, t.note)


def _function(f: FunctionSpec, fm: Any) -> dict[str, Any]:
    out = fm()
    for key in ("code", "sub", "name", "operation"):
        if getattr(f, key) is not None:
            out[key] = getattr(f, key)
    out["count"] = f.count
    return out  # type: ignore[no-any-return]


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


def _rate(r: Rate, fm: Any) -> dict[str, Any]:
    code, sub, name, operation = r.function
    function = fm(code=code)
    if sub is not None:
        function["sub"] = sub
    function.update(name=name, operation=operation)
    out = {"id": r.id, "client": r.client, "server": r.server, "protocol": r.protocol,
           "function": function, "windows": r.windows,
           "per_minute": fm(min=r.min, median=r.median, max=r.max),
           "histogram": fm(sorted(r.histogram.items()))}  # fmt: skip
    return _marks(out, r.manual, r.note)


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
    return (address_order(t.client), address_order(t.server), t.protocol)


def _space_order(p: Points | ValueGroup) -> tuple[Any, ...]:
    return (address_order(p.server), p.protocol, p.unit, p.space, p.access)


def _rate_order(r: Rate) -> tuple[Any, ...]:
    code, sub, name, operation = r.function
    return (address_order(r.client), address_order(r.server), r.protocol, code,
            -1 if sub is None else sub, name, operation)  # fmt: skip


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _time(ts: float | None) -> str | None:
    return None if ts is None else iso(ts)


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _flow_mapping(dumper: yaml.SafeDumper, data: Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _flow_list(dumper: yaml.SafeDumper, data: FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(Flow, _flow_mapping)
_Dumper.add_representer(FlowList, _flow_list)

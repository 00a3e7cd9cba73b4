"""The entries of a baseline file, each read from its nodes into the model: every error
recorded at its line, None (or nothing) for an entry that is wrong.

Beyond types, it checks what a person editing the file can get wrong: an ``id`` that does
not match its entry's fields (ids are derived, so a typo in an address would silently
stop matching), an entry listed twice, a range or value range upside down, an exclusion
that matches everything or names an unknown rule.
"""

from __future__ import annotations

import re
from typing import Any, Final

import yaml

from interlock.detect.baseline import stats
from interlock.detect.baseline.exclusions import Exclusion, HostMatch
from interlock.detect.baseline.model import (
    ACCESSES,
    Access,
    CaptureRecord,
    FunctionSpec,
    Points,
    PointValues,
    Rate,
    Settings,
    SpaceKey,
    Talker,
    ValueGroup,
    parse_label,
    rates_id,
)
from interlock.detect.baseline.reader import OPERATIONS, EntryReader, is_null
from interlock.detect.baseline.rules import RULE_IDS
from interlock.zones.nodes import INT, suggest

SHA256: Final = re.compile(r"[0-9a-f]{64}")
MARKS = ("id", "manual", "note")
TALKER = ("client", "server", "protocol", "functions"), (*MARKS, "count", "first_seen",
                                                         "last_seen")  # fmt: skip
SPACE = ("server", "protocol", "unit", "space", "access")
POINTS = (*SPACE, "ranges"), (*MARKS, "count")
VALUES = (*SPACE, "points"), ("id", "note")
POINT = ("min", "max"), ("count", "seen_min", "seen_max", "mean", "stdev", "manual")
RATES = ("client", "server", "protocol", "functions"), ("id",)
RATE = ("min", "max"), ("minutes", "median", "histogram", "manual", "note")
CAPTURE = ("name", "sha256"), ("first_seen", "last_seen", "transactions", "learned")
EXCLUSION = ("id",), ("reason", "client", "server", "protocol", "function", "operation",
                      "unit", "space", "addresses", "rules")  # fmt: skip


def settings_of(reader: EntryReader, node: yaml.Node) -> Settings:
    fields = reader.mapping(node, "`settings`", (), ("margin_pct", "rate_factor")) or {}
    margin = rate = None
    if "margin_pct" in fields:
        margin = reader.number(fields["margin_pct"], "settings: margin_pct", 0, 1000)
    if "rate_factor" in fields:
        rate = reader.number(fields["rate_factor"], "settings: rate_factor", 1, 1_000_000)
    default = Settings()
    return Settings(
        default.margin_pct if margin is None else margin,
        default.rate_factor if rate is None else rate,
    )


def capture_of(reader: EntryReader, node: yaml.Node, what: str) -> CaptureRecord | None:
    fields = reader.mapping(node, what, *CAPTURE)
    if fields is None or len(fields) < 2:
        return None
    name = reader.text(fields["name"], f"{what}: name")
    digest = reader.text(fields["sha256"], f"{what}: sha256")
    if digest is not None and not SHA256.fullmatch(digest):
        reader.error(fields["sha256"], f"{what}: sha256 must be 64 lowercase hex digits")
    return CaptureRecord(
        name or "",
        digest or "",
        reader.optional_time(fields, "first_seen", f"{what}: first_seen"),
        reader.optional_time(fields, "last_seen", f"{what}: last_seen"),
        reader.count(fields, "transactions", what),
        reader.count(fields, "learned", what),
    )


def talker_of(reader: EntryReader, node: yaml.Node, what: str) -> Talker | None:
    fields = reader.mapping(node, what, *TALKER)
    if fields is None:
        return None
    client, server, protocol = (reader.word(fields, k, what) for k in TALKER[0][:3])
    functions = []
    for label_node, count_node in reader.labels(fields, "functions", what):
        where = f"{what}: function {label_node.value!r}"
        spec = _function(reader, label_node, where)
        count = reader.integer(count_node, f"{where}: count", 0, None)
        if spec is not None and count is not None:
            spec.count = count
            functions.append(spec)
    manual, note = reader.marks(fields, what)
    if client is None or server is None or protocol is None:
        return None
    talker = Talker(client, server, protocol, functions, reader.count(fields, "count", what),
                    reader.optional_time(fields, "first_seen", f"{what}: first_seen"),
                    reader.optional_time(fields, "last_seen", f"{what}: last_seen"),
                    manual, note)  # fmt: skip
    return talker if reader.check_id(fields, talker.id, what) else None


def _function(reader: EntryReader, node: yaml.Node, what: str) -> FunctionSpec | None:
    """A function label: NAME[CODE.SUB]:OPERATION, any part left out meaning any."""
    label = reader.text(node, what)
    parts = parse_label(label) if label is not None else None
    if label is None:
        return None
    if parts is None or parts == (None, None, None, None):
        reader.error(node, f"{what} is not a function such as read_holding_registers[3]:read")
        return None
    code, sub, name, operation = parts
    if operation is not None and operation not in OPERATIONS:
        reader.error(node, f"{what}: operation is `{operation}`{suggest(operation, OPERATIONS)}")
        return None
    return FunctionSpec(code, sub, name, operation)


def _space(reader: EntryReader, fields: dict[str, yaml.Node], what: str) -> SpaceKey | None:
    server, protocol = reader.word(fields, "server", what), reader.word(fields, "protocol", what)
    unit = None
    if "unit" in fields:
        unit = reader.integer(fields["unit"], f"{what}: unit", -(2**63), 2**63)
    space = reader.word(fields, "space", what)
    access: Access | None = None
    if "access" in fields:
        chosen = reader.choice(fields["access"], f"{what}: access", ACCESSES)
        access = "read" if chosen == "read" else "write" if chosen == "write" else None
    if server is None or protocol is None or unit is None or space is None or access is None:
        return None
    return server, protocol, unit, space, access


def points_of(reader: EntryReader, node: yaml.Node, what: str) -> Points | None:
    fields = reader.mapping(node, what, *POINTS)
    if fields is None:
        return None
    space = _space(reader, fields, what)
    ranges: list[tuple[int, int]] = []
    for item in (
        reader.sequence(fields["ranges"], f"{what}: ranges") or [] if "ranges" in fields else []
    ):
        pair = _pair(reader, item, f"{what}: a range")
        if pair is not None:
            stats.add_range(ranges, *pair)
    manual, note = reader.marks(fields, what)
    if space is None:
        return None
    server, protocol, unit, name, access = space
    count = reader.count(fields, "count", what)
    points = Points(server, protocol, unit, name, access, ranges, count, manual, note)
    return points if reader.check_id(fields, points.id, what) else None


def _pair(reader: EntryReader, node: yaml.Node, what: str) -> tuple[int, int] | None:
    items = reader.sequence(node, what)
    if items is None:
        return None
    if len(items) != 2:
        reader.error(node, f"{what} must be [low, high]")
        return None
    low = reader.integer(items[0], f"{what}'s low end", -(2**63), 2**63)
    high = reader.integer(items[1], f"{what}'s high end", -(2**63), 2**63)
    if low is None or high is None:
        return None
    if low > high:
        reader.error(node, f"{what} [{low}, {high}] is upside down")
        return None
    return low, high


def values_of(reader: EntryReader, node: yaml.Node, what: str) -> ValueGroup | None:
    fields = reader.mapping(node, what, *VALUES)
    if fields is None:
        return None
    space = _space(reader, fields, what)
    points: dict[int, PointValues] = {}
    if "points" in fields:
        points_node = fields["points"]
        if not isinstance(points_node, yaml.MappingNode):
            reader.error(points_node, f"{what}: points must be a mapping of address to range")
        else:
            for key_node, value_node in points_node.value:
                address = reader.integer(key_node, f"{what}: a point's address", -(2**63), 2**63)
                if address is not None and address in points:
                    reader.error(key_node, f"{what}: point {address} is listed twice")
                    continue
                point = _point(reader, value_node, f"{what}: point {address}")
                if address is not None and point is not None:
                    points[address] = point
    note = reader.string(fields["note"], f"{what}: note") if "note" in fields else None
    if space is None:
        return None
    server, protocol, unit, name, access = space
    group = ValueGroup(server, protocol, unit, name, access, points, note)
    return group if reader.check_id(fields, group.id, what) else None


def _point(reader: EntryReader, node: yaml.Node, what: str) -> PointValues | None:
    fields = reader.mapping(node, what, *POINT)
    if fields is None or "min" not in fields or "max" not in fields:
        return None
    big = 2**63
    low = reader.integer(fields["min"], f"{what}: min", -big, big)
    high = reader.integer(fields["max"], f"{what}: max", -big, big)
    if low is not None and high is not None and low > high:
        reader.error(node, f"{what}: min {low} is above max {high}")
        return None
    point = PointValues(min=low, max=high, count=reader.count(fields, "count", what))
    seen_min = _optional_int(reader, fields, "seen_min", what)
    seen_max = _optional_int(reader, fields, "seen_max", what)
    point.seen_min = (low or 0) if seen_min is None else seen_min
    point.seen_max = (high or 0) if seen_max is None else seen_max
    mean = stdev = None
    if "mean" in fields:
        mean = reader.number(fields["mean"], f"{what}: mean", -big, big)
    if "stdev" in fields:
        stdev = reader.number(fields["stdev"], f"{what}: stdev", 0, None)
    point.mean = point.seen_min if mean is None else mean
    point.m2 = (stdev or 0.0) ** 2 * point.count
    if "manual" in fields:
        point.manual = reader.flag(fields["manual"], f"{what}: manual")
    return point if low is not None and high is not None else None


def _optional_int(
    reader: EntryReader, fields: dict[str, yaml.Node], key: str, what: str
) -> int | None:
    if key not in fields:
        return None
    return reader.integer(fields[key], f"{what}: {key}", -(2**63), 2**63)


def rates_of(reader: EntryReader, node: yaml.Node, what: str) -> list[Rate] | None:
    fields = reader.mapping(node, what, *RATES)
    if fields is None:
        return None
    client, server, protocol = (reader.word(fields, k, what) for k in RATES[0][:3])
    found = []
    for label_node, rate_node in reader.labels(fields, "functions", what):
        where = f"{what}: function {label_node.value!r}"
        spec = _function(reader, label_node, where)
        key = spec.exact_key() if spec is not None else None
        if spec is not None and key is None:
            reader.error(label_node, f"{where} needs its name, code and operation")
        rate = _rate(reader, rate_node, where)
        if rate is not None and key is not None:
            rate.function = key
            found.append(rate)
    if client is None or server is None or protocol is None:
        return None
    if not reader.check_id(fields, rates_id((client, server, protocol)), what):
        return None
    for rate in found:
        rate.client, rate.server, rate.protocol = client, server, protocol
    return found


def _rate(reader: EntryReader, node: yaml.Node, what: str) -> Rate | None:
    fields = reader.mapping(node, what, *RATE)
    if fields is None or "min" not in fields or "max" not in fields:
        return None
    low = reader.integer(fields["min"], f"{what}: min", 0, None)
    high = reader.integer(fields["max"], f"{what}: max", 0, None)
    if "median" in fields:
        reader.integer(fields["median"], f"{what}: median", 0, None)
    if low is not None and high is not None and low > high:
        reader.error(node, f"{what}: min {low} is above max {high}")
        return None
    histogram = _histogram(reader, fields.get("histogram"), what)
    manual, note = reader.marks(fields, what)
    if low is None or high is None:
        return None
    minutes = reader.count(fields, "minutes", what)
    return Rate("", "", "", (0, None, "", ""), minutes, low, high, histogram, manual, note)


def _histogram(reader: EntryReader, node: yaml.Node | None, what: str) -> dict[int, int]:
    histogram: dict[int, int] = {}
    if node is None or is_null(node):
        return histogram
    if not isinstance(node, yaml.MappingNode):
        reader.error(node, f"{what}: histogram must be a mapping of messages to minutes")
        return histogram
    for key_node, value_node in node.value:
        messages = reader.integer(key_node, f"{what}: histogram messages", 0, None)
        minutes = reader.integer(value_node, f"{what}: histogram minutes", 1, None)
        if messages is not None and minutes is not None:
            stats.add_to_histogram(histogram, messages, minutes)
    return histogram


def exclusion_of(reader: EntryReader, node: yaml.Node, what: str) -> Exclusion | None:
    fields = reader.mapping(node, what, *EXCLUSION)
    if fields is None or "id" not in fields:
        return None
    ident = reader.text(fields["id"], f"{what}: id")
    values: dict[str, Any] = {}
    for key in ("client", "server"):
        if key in fields:
            text = reader.text(fields[key], f"{what}: {key}")
            values[key] = None if text is None else _host(reader, fields[key], text, what)
    for key in ("protocol", "space"):
        if key in fields:
            values[key] = reader.text(fields[key], f"{what}: {key}")
    if "reason" in fields:
        values["reason"] = reader.string(fields["reason"], f"{what}: reason")
    if "function" in fields:
        values["function"] = _function_ref(reader, fields["function"], what)
    if "operation" in fields:
        values["operation"] = reader.choice(fields["operation"], f"{what}: operation", OPERATIONS)
    if "unit" in fields:
        values["unit"] = reader.integer(fields["unit"], f"{what}: unit", -(2**63), 2**63)
    if "addresses" in fields:
        values["addresses"] = _pair(reader, fields["addresses"], f"{what}: addresses")
    if "rules" in fields:
        values["rules"] = _rules(reader, fields["rules"], what)
    matching = [k for k in EXCLUSION[1] if k not in ("reason", "rules") and k in fields]
    if not matching:
        reader.error(node, f"{what} matches everything: name a client, server, protocol, "
                           "function, operation, unit, space or addresses")  # fmt: skip
        return None
    if ident is None or any(values.get(k) is None for k in fields if k not in ("id",)):
        return None
    first = reader.claim(fields["id"], "exclusion", ident, what)
    if first is not None:
        reader.error(
            fields["id"], f"{what}: exclusion `{ident}` is already defined at line {first[1]}"
        )
        return None
    return Exclusion(ident, **values)


def _host(reader: EntryReader, node: yaml.Node, text: str, what: str) -> HostMatch | None:
    match = HostMatch.parse(text)
    if match.network is None and any(c in text for c in "/.") and ":" not in text:
        reader.error(node, f"{what}: `{text}` is not an address or CIDR (such as 10.0.0.0/24)")
        return None
    return match


def _function_ref(reader: EntryReader, node: yaml.Node, what: str) -> int | str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == INT:
        return reader.integer(node, f"{what}: function", -(2**31), 2**31)
    return reader.text(node, f"{what}: function")


def _rules(reader: EntryReader, node: yaml.Node, what: str) -> frozenset[str] | None:
    items = reader.sequence(node, f"{what}: rules")
    if items is None:
        return None
    if not items:
        reader.error(node, f"{what}: rules must name at least one baseline rule")
        return None
    names = [reader.choice(item, f"{what}: a rule", RULE_IDS) for item in items]
    return None if None in names else frozenset(n for n in names if n is not None)

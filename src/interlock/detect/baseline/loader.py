"""Reading a baseline file (docs/detect-baseline.md): YAML text in, a Baseline or every
error out, each at its line. Nothing is half-loaded: one error means no baseline.

Beyond types, it checks what a person editing the file can get wrong: an ``id`` that does
not match its entry's fields (ids are derived, so a typo in an address would silently
stop matching), an entry listed twice, a range or value range upside down, an exclusion
that matches everything or names an unknown rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import yaml

from interlock.detect.baseline import stats
from interlock.detect.baseline.exclusions import Exclusion, HostMatch
from interlock.detect.baseline.learner import LIMITS
from interlock.detect.baseline.model import (
    ACCESSES,
    FORMAT_VERSION,
    KIND,
    Access,
    Baseline,
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
from interlock.detect.baseline.rules import RULE_IDS
from interlock.detect.baseline.text import parse_iso
from interlock.detect.baseline.yamlstream import Document, Items
from interlock.errors import ConfigError, UsageError
from interlock.model import OperationClass
from interlock.zones.model import LoadError
from interlock.zones.nodes import INT, NULL, NodeReader, kind_of, suggest

FLOAT: Final = "tag:yaml.org,2002:float"
BOOL: Final = "tag:yaml.org,2002:bool"
TIMESTAMP: Final = "tag:yaml.org,2002:timestamp"
SHA256: Final = re.compile(r"[0-9a-f]{64}")
OPERATIONS: Final = tuple(op.value for op in OperationClass)
DROPPED_KEYS: Final = (*LIMITS, "range_joins")

TOP = ("version",), ("kind", "settings", "periods", "captures", "dropped", "talkers",
                     "points", "values", "rates", "exclusions")  # fmt: skip
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


class BaselineError(ConfigError):
    """A baseline file that cannot be used; ``errors`` has every problem with its line."""

    code = "baseline"

    def __init__(self, source: str, errors: list[LoadError]) -> None:
        self.source = source
        self.errors = errors
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        lines = "\n".join(f"  {e}" for e in errors)
        super().__init__(f"{source}: not a usable baseline ({count}):\n{lines}")


def load_baseline(path: str | Path) -> Baseline:
    """The baseline in a file; raises BaselineError listing every error (or UsageError)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such baseline file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read it ({err})") from None
    result = parse_baseline(text, str(path))
    if isinstance(result, list):
        raise BaselineError(str(path), result)
    return result


def parse_baseline(text: str, source: str) -> Baseline | list[LoadError]:
    reader = _Reader(source)
    baseline = Baseline(source=source)
    document = Document(text)
    try:
        _read_document(reader, document, baseline)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        reader.errors.append(
            LoadError(source, line, f"not valid YAML: {err.problem or err.context}")
        )
    except yaml.YAMLError as err:
        reader.errors.append(LoadError(source, 1, f"not valid YAML: {err}"))
    finally:
        document.close()
    if reader.errors:
        return sorted(set(reader.errors), key=lambda e: (e.line, e.message))
    return baseline


LISTS: Final = frozenset({"periods", "captures", "talkers", "points", "values", "rates",
                          "exclusions"})  # fmt: skip


def _read_document(reader: _Reader, document: Document, baseline: Baseline) -> None:
    """The root mapping key by key, each list entry by entry (see yamlstream)."""
    root = document.root()
    if root is None:
        reader.errors.append(LoadError(reader.source, 1, "the file is empty: expected a "
                                       "mapping with `version`"))  # fmt: skip
        return
    if not isinstance(root, yaml.MappingNode):
        reader.mapping(root, "the baseline file", *TOP)
        return
    seen: set[str] = set()
    allowed = TOP[0] + TOP[1]
    for key_node, value in document.pairs(LISTS):
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            reader.error(key_node, "the baseline file's keys must be plain words")
        elif key in seen:
            reader.error(key_node, f"duplicate key `{key}` in the baseline file")
        elif key not in allowed:
            reader.error(key_node, f"unknown key `{key}` in the baseline file"
                                   f"{suggest(key, allowed)}")  # fmt: skip
        else:
            seen.add(key)
            _read_section(reader, key, value, baseline)
    if "version" not in seen:
        reader.error(root, "the baseline file has no `version`")


def _read_section(reader: _Reader, key: str, value: yaml.Node | Items, baseline: Baseline) -> None:
    if key in LISTS:
        for index, node in enumerate(_entries(reader, key, value)):
            _read_entry(reader, key, node, f"{key}[{index}]", baseline)
        return
    assert isinstance(value, yaml.Node)
    if key == "version":
        reader.integer(value, "version", FORMAT_VERSION, FORMAT_VERSION)
    elif key == "kind":
        if reader.string(value, "kind") not in (None, KIND):
            reader.error(value, f"kind must be `{KIND}`")
    elif key == "settings":
        baseline.settings = _settings(reader, value)
    elif key == "dropped":
        fields = reader.mapping(value, "`dropped`", (), DROPPED_KEYS) or {}
        for name, node in fields.items():
            count = reader.integer(node, f"dropped {name}", 0, None)
            if count:
                baseline.dropped[name] = count


def _entries(reader: _Reader, key: str, value: yaml.Node | Items) -> Iterable[yaml.Node]:
    if isinstance(value, Items):
        return value
    if _is_null(value):
        return []
    return reader.sequence(value, f"`{key}`") or []


def _read_entry(reader: _Reader, key: str, node: yaml.Node, what: str, baseline: Baseline) -> None:
    if key == "periods":
        fields = reader.mapping(node, what, ("start", "end"), ())
        for name, value in (fields or {}).items():
            reader.time(value, f"{what}: {name}")
    elif key == "captures":
        capture = _capture(reader, node, what)
        if capture is not None:
            baseline.captures.append(capture)
    elif key == "talkers":
        talker = _talker(reader, node, what)
        if talker is not None:
            baseline.talkers[talker.key] = talker
    elif key == "points":
        points = _points(reader, node, what)
        if points is not None:
            baseline.points[points.key] = points
    elif key == "values":
        group = _values(reader, node, what)
        if group is not None:
            baseline.values[group.key] = group
    elif key == "rates":
        for rate in _rates(reader, node, what) or []:
            baseline.rates.setdefault(rate.key[:3], {})[rate.function] = rate
    else:
        exclusion = _exclusion(reader, node, what)
        if exclusion is not None:
            baseline.exclusions.append(exclusion)


class _Reader(NodeReader):
    """NodeReader plus the scalars a baseline has: numbers, flags, times, entry ids."""

    def labels(
        self, fields: dict[str, yaml.Node], key: str, what: str
    ) -> list[tuple[yaml.Node, yaml.Node]]:
        """The (key, value) node pairs of a mapping keyed by function labels."""
        node = fields.get(key)
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what}: {key} must be a mapping of function to "
                             f"{'count' if key == 'functions' else 'rate'}, not {kind_of(node)}")  # fmt: skip
            return []
        seen: set[str] = set()
        pairs = []
        for label_node, value_node in node.value:
            label = str(label_node.value)
            if label in seen:
                self.error(label_node, f"{what}: function {label!r} is listed twice")
                continue
            seen.add(label)
            pairs.append((label_node, value_node))
        return pairs

    def number(self, node: yaml.Node, what: str, low: float, high: float | None) -> float | None:
        value = None
        if isinstance(node, yaml.ScalarNode) and node.tag in (INT, FLOAT):
            value = float(yaml.safe_load(node.value))
        if value is None or value != value:
            self.error(node, f"{what} must be a number, not {kind_of(node)}")
            return None
        if value < low or (high is not None and value > high):
            span = f"{low:g}..{high:g}" if high is not None else f">= {low:g}"
            self.error(node, f"{what} is {value:g}, out of range ({span})")
            return None
        return value

    def flag(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return bool(yaml.safe_load(node.value))
        self.error(node, f"{what} must be true or false, not {kind_of(node)}")
        return False

    def time(self, node: yaml.Node, what: str) -> float | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (TIMESTAMP, "tag:yaml.org,2002:str"):
            try:
                return parse_iso(str(node.value))
            except ValueError:
                pass
        self.error(node, f"{what} must be a time such as 2026-01-01T00:00:00.000Z, "
                         f"not {kind_of(node)}")  # fmt: skip
        return None

    def optional_time(self, fields: dict[str, yaml.Node], key: str, what: str) -> float | None:
        if key not in fields or _is_null(fields[key]):
            return None
        return self.time(fields[key], what)

    def count(self, fields: dict[str, yaml.Node], key: str, what: str) -> int:
        if key not in fields:
            return 0
        return self.integer(fields[key], f"{what}: {key}", 0, None) or 0

    def word(self, fields: dict[str, yaml.Node], key: str, what: str) -> str | None:
        """A required text field: addresses, protocols, spaces (numbers read as written)."""
        if key not in fields:
            return None
        return self.text(fields[key], f"{what}: {key}")

    def choice(self, node: yaml.Node, what: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(node, what)
        if value is not None and value not in choices:
            self.error(node, f"{what} is `{value}`{suggest(value, choices)}")
            return None
        return value

    def marks(self, fields: dict[str, yaml.Node], what: str) -> tuple[bool, str | None]:
        manual = self.flag(fields["manual"], f"{what}: manual") if "manual" in fields else False
        note = self.string(fields["note"], f"{what}: note") if "note" in fields else None
        return manual, note

    def check_id(self, fields: dict[str, yaml.Node], expected: str, what: str) -> bool:
        """An entry's id, when written, must be the one its fields give; unique either way."""
        node = fields.get("id")
        matches = True
        if node is not None:
            written = self.text(node, f"{what}: id")
            if written is not None and written != expected:
                self.error(node, f"{what}: id `{written}` does not match its fields "
                                 f"(they give `{expected}`)")  # fmt: skip
                matches = False
        where = node if node is not None else next(iter(fields.values()))
        first = self.claim(where, "entry", expected, what)
        if first is not None:
            self.error(where, f"{what}: `{expected}` is already defined at line {first[1]}")
            return False
        return matches


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL


def _settings(reader: _Reader, node: yaml.Node) -> Settings:
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


def _capture(reader: _Reader, node: yaml.Node, what: str) -> CaptureRecord | None:
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


def _talker(reader: _Reader, node: yaml.Node, what: str) -> Talker | None:
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


def _function(reader: _Reader, node: yaml.Node, what: str) -> FunctionSpec | None:
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


def _space(reader: _Reader, fields: dict[str, yaml.Node], what: str) -> SpaceKey | None:
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


def _points(reader: _Reader, node: yaml.Node, what: str) -> Points | None:
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


def _pair(reader: _Reader, node: yaml.Node, what: str) -> tuple[int, int] | None:
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


def _values(reader: _Reader, node: yaml.Node, what: str) -> ValueGroup | None:
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


def _point(reader: _Reader, node: yaml.Node, what: str) -> PointValues | None:
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


def _optional_int(reader: _Reader, fields: dict[str, yaml.Node], key: str, what: str) -> int | None:
    if key not in fields:
        return None
    return reader.integer(fields[key], f"{what}: {key}", -(2**63), 2**63)


def _rates(reader: _Reader, node: yaml.Node, what: str) -> list[Rate] | None:
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


def _rate(reader: _Reader, node: yaml.Node, what: str) -> Rate | None:
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


def _histogram(reader: _Reader, node: yaml.Node | None, what: str) -> dict[int, int]:
    histogram: dict[int, int] = {}
    if node is None or _is_null(node):
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


def _exclusion(reader: _Reader, node: yaml.Node, what: str) -> Exclusion | None:
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


def _host(reader: _Reader, node: yaml.Node, text: str, what: str) -> HostMatch | None:
    match = HostMatch.parse(text)
    if match.network is None and any(c in text for c in "/.") and ":" not in text:
        reader.error(node, f"{what}: `{text}` is not an address or CIDR (such as 10.0.0.0/24)")
        return None
    return match


def _function_ref(reader: _Reader, node: yaml.Node, what: str) -> int | str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == INT:
        return reader.integer(node, f"{what}: function", -(2**31), 2**31)
    return reader.text(node, f"{what}: function")


def _rules(reader: _Reader, node: yaml.Node, what: str) -> frozenset[str] | None:
    items = reader.sequence(node, f"{what}: rules")
    if items is None:
        return None
    if not items:
        reader.error(node, f"{what}: rules must name at least one baseline rule")
        return None
    names = [reader.choice(item, f"{what}: a rule", RULE_IDS) for item in items]
    return None if None in names else frozenset(n for n in names if n is not None)

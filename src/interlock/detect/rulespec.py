"""One rule of a pack, read and checked: the common keys, then its `match:` or `detector:`.

Common keys: id (stable, lower-case dotted), title, severity (low|medium|high|critical),
techniques (ATT&CK for ICS v18.1 ids), and optionally description, enabled (default
true), message (a template, see ``interlock.detect.match``) and window (seconds).
Then EITHER ``match:`` OR ``detector: <kind>`` with ``params:``.
"""

from __future__ import annotations

import re
from typing import Any, Final

import yaml

from interlock.detect.alert import SEVERITIES, Severity
from interlock.detect.attack import TECHNIQUES, V19_CROSSWALK
from interlock.detect.hits import RuleInfo
from interlock.detect.kinds import DETECTOR_KINDS, RuleParamError
from interlock.detect.match import (
    DETAIL_OPERATORS,
    MESSAGE_FIELDS,
    PLACEHOLDER,
    DetailCondition,
    MatchSpec,
    compile_rule,
)
from interlock.detect.nodes import RuleReader, line_of
from interlock.detect.ruleset import DEFAULT_WINDOW, Rule
from interlock.model import OperationClass
from interlock.zones.nodes import suggest

RULE_KEYS: Final = (
    ("id", "title", "severity", "techniques"),
    ("description", "enabled", "match", "detector", "params", "message", "window"),
)
MATCH_KEYS: Final = (
    ("protocol",),
    (
        "function",
        "function_name",
        "sub_function",
        "operation",
        "status",
        "details",
        "target_space",
        "anomaly",
        "not_anomaly",
    ),
)
RULE_ID: Final = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")
STATUSES: Final = ("ok", "exception", "unanswered", "unsolicited", "unknown")
OPERATIONS: Final = tuple(op.value for op in OperationClass)


class EmptyContext:
    """The plant as a pack check sees it: nothing known (factories must cope with that)."""

    def asset_at(self, ip: str) -> None:
        return None

    def conduit_allows(
        self, client_ip: str, server_ip: str, protocol: str, operation: str
    ) -> bool | None:
        return None


def read_rule(reader: RuleReader, node: yaml.Node, protocols: frozenset[str]) -> Rule | None:
    """The rule, or None when anything about it is wrong (its errors are in the reader)."""
    fields = reader.mapping(node, "a rule", *RULE_KEYS)
    if fields is None:
        return None
    before = len(reader.errors)
    rule_id = _rule_id(reader, fields)
    title = reader.string(fields["title"], "title") if "title" in fields else None
    severity = _severity(reader, fields["severity"]) if "severity" in fields else None
    techniques = _techniques(reader, fields["techniques"]) if "techniques" in fields else ()
    description = ""
    if "description" in fields:
        description = reader.string(fields["description"], "description") or ""
    enabled = reader.boolean(fields["enabled"], "enabled") if "enabled" in fields else True
    window = DEFAULT_WINDOW
    if "window" in fields:
        window = reader.number(fields["window"], "window (seconds)", 1.0) or DEFAULT_WINDOW
    message = _message(reader, fields.get("message"))
    if "match" in fields and "detector" in fields:
        reader.error(node, "a rule has either `match:` or `detector:` (with `params:`), not both")
    elif "match" not in fields and "detector" not in fields:
        reader.error(node, "a rule needs `match:` or `detector:` (with `params:`)")
    if "params" in fields and "detector" not in fields:
        reader.error(fields["params"], "`params:` belong to a `detector:` rule")
    spec = _match(reader, fields["match"], protocols) if "match" in fields else None
    if spec is not None and "detector" in fields:
        _kind(reader, fields["detector"])  # its errors too, while at it
    if len(reader.errors) > before or rule_id is None or title is None or severity is None:
        return None
    info = RuleInfo(rule_id, title, severity, techniques, description)
    source, line = reader.source, line_of(node)
    if spec is not None:
        template = message or f"{title}: {{client}} -> {{server}} ({{function_name}})"
        compiled = compile_rule(info, spec, template)
        return Rule(info, source, line, bool(enabled), window, match=compiled)
    return _behavioural(reader, node, fields, info, bool(enabled), window)


def _rule_id(reader: RuleReader, fields: dict[str, yaml.Node]) -> str | None:
    if "id" not in fields:
        return None
    value = reader.string(fields["id"], "id")
    if value is not None and not RULE_ID.match(value):
        reader.error(
            fields["id"],
            f"rule id `{value}` must be lower-case dotted words (such as ics.modbus.restart)",
        )
        return None
    return value


def _severity(reader: RuleReader, node: yaml.Node) -> Severity | None:
    value = reader.string(node, "severity")
    for severity in SEVERITIES:
        if value == severity:
            return severity
    if value is not None:
        reader.error(node, f"unknown severity `{value}`{suggest(value, SEVERITIES)}")
    return None


def _techniques(reader: RuleReader, node: yaml.Node) -> tuple[str, ...]:
    items = reader.sequence(node, "techniques")
    if items is None:
        return ()
    if not items:
        reader.error(node, "a rule names at least one ATT&CK for ICS technique")
    found: list[str] = []
    v19 = {new: old for old, (new, _name) in V19_CROSSWALK.items()}
    for item in items:
        value = reader.string(item, "a technique id")
        if value is None:
            continue
        if value in v19:
            reader.error(item, f"{value} is a v19 id; rules name v18.1 ids ({v19[value]})")
        elif value not in TECHNIQUES:
            hint = suggest(value, sorted(TECHNIQUES)) if value.startswith("T0") else ""
            reader.error(item, f"{value} is not an ATT&CK for ICS v18.1 technique{hint}")
        elif value in found:
            reader.error(item, f"technique {value} is listed twice")
        else:
            found.append(value)
    return tuple(found)


def _message(reader: RuleReader, node: yaml.Node | None) -> str | None:
    if node is None:
        return None
    text = reader.string(node, "message")
    if text is None:
        return None
    for name in PLACEHOLDER.findall(text):
        root = name.split(".")[0]
        if root not in MESSAGE_FIELDS:
            reader.error(node, f"unknown placeholder {{{name}}}{suggest(root, MESSAGE_FIELDS)}")
    return text


def _match(reader: RuleReader, node: yaml.Node, protocols: frozenset[str]) -> MatchSpec | None:
    fields = reader.mapping(node, "`match`", *MATCH_KEYS)
    if fields is None or "protocol" not in fields:
        return None
    names = reader.strings(fields["protocol"], "a protocol")
    for item, name in zip(reader.one_or_many(fields["protocol"]), names):
        if name not in protocols:
            reader.error(item, f"unknown protocol `{name}`{suggest(name, sorted(protocols))}")

    def choices(key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if key not in fields:
            return ()
        values = reader.strings(fields[key], key)
        for item, value in zip(reader.one_or_many(fields[key]), values):
            if value not in allowed:
                reader.error(item, f"unknown {key} `{value}`{suggest(value, allowed)}")
        return values

    get = fields.get
    spec = MatchSpec(
        protocols=names,
        functions=reader.ints(fields["function"], "function") if "function" in fields else (),
        function_names=reader.strings(get("function_name"), "function_name")
        if "function_name" in fields
        else (),
        sub_functions=reader.ints(fields["sub_function"], "sub_function")
        if "sub_function" in fields
        else (),
        operations=choices("operation", OPERATIONS),
        statuses=choices("status", STATUSES),
        details=_details(reader, fields["details"]) if "details" in fields else (),
        target_spaces=reader.strings(fields["target_space"], "target_space")
        if "target_space" in fields
        else (),
        anomalies=reader.strings(fields["anomaly"], "anomaly") if "anomaly" in fields else (),
        not_anomalies=reader.strings(fields["not_anomaly"], "not_anomaly")
        if "not_anomaly" in fields
        else (),
    )
    if spec.not_anomalies and not spec.anomalies:
        reader.error(fields["not_anomaly"], "`not_anomaly` narrows an `anomaly:` condition")
    return spec


def _details(reader: RuleReader, node: yaml.Node) -> tuple[DetailCondition, ...]:
    if not isinstance(node, yaml.MappingNode):
        reader.error(node, "`details` must be a mapping of detail path -> condition")
        return ()
    conditions: list[DetailCondition] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        path = reader.string(key_node, "a detail path")
        if path is None:
            continue
        if path in seen:
            reader.error(key_node, f"duplicate detail path `{path}`")
        seen.add(path)
        condition = _detail(reader, tuple(path.split(".")), value_node)
        if condition is not None:
            conditions.append(condition)
    return tuple(conditions)


def _detail(reader: RuleReader, path: tuple[str, ...], node: yaml.Node) -> DetailCondition | None:
    what = f"the condition on `{'.'.join(path)}`"
    if isinstance(node, yaml.SequenceNode):
        values = [reader.scalar(item, f"a value of {what}") for item in reader.one_or_many(node)]
        return DetailCondition(path, "in", values)
    if not isinstance(node, yaml.MappingNode):
        return DetailCondition(path, "eq", reader.scalar(node, what))
    if len(node.value) != 1 or node.value[0][0].value not in DETAIL_OPERATORS:
        operators = ", ".join(DETAIL_OPERATORS)
        reader.error(node, f"{what} is a value, a list, or one operator ({operators})")
        return None
    operator, argument = node.value[0][0].value, node.value[0][1]
    value: Any = reader.plain(argument)
    if operator == "exists" and not isinstance(value, bool):
        reader.error(argument, f"`exists` in {what} is true or false")
    elif operator == "range" and not _pair_of_numbers(value):
        reader.error(argument, f"`range` in {what} is [low, high], two numbers, low <= high")
    elif operator == "prefix" and not isinstance(value, str):
        reader.error(argument, f"`prefix` in {what} is a string")
    elif operator == "not" and isinstance(value, dict):
        reader.error(argument, f"`not` in {what} is a value or a list")
    return DetailCondition(path, operator, value)


def _pair_of_numbers(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and value[0] <= value[1]
    )


def _kind(reader: RuleReader, node: yaml.Node) -> str | None:
    kind = reader.string(node, "detector")
    if kind is not None and kind not in DETECTOR_KINDS:
        known = sorted(DETECTOR_KINDS)
        hint = suggest(kind, known) if known else " (no detector kinds are installed)"
        reader.error(node, f"unknown detector kind `{kind}`{hint}")
    return kind


def _behavioural(
    reader: RuleReader,
    node: yaml.Node,
    fields: dict[str, yaml.Node],
    info: RuleInfo,
    enabled: bool,
    window: float,
) -> Rule | None:
    kind = _kind(reader, fields["detector"])
    factory = DETECTOR_KINDS.get(kind) if kind is not None else None
    if kind is None or factory is None:
        return None
    params_node = fields.get("params")
    params = reader.plain(params_node) if params_node is not None else {}
    if params is None:
        params = {}
    if not isinstance(params, dict):
        reader.error(params_node or node, "`params` must be a mapping")
        return None
    try:
        factory(info, dict(params), EmptyContext())
    except RuleParamError as err:
        at = reader.find(params_node, err.key) if params_node and err.key else None
        reader.error(at or params_node or node, f"params of `{kind}`: {err.message}")
        return None
    return Rule(
        info, reader.source, line_of(node), enabled, window,
        kind=kind, factory=factory, params=dict(params),
    )  # fmt: skip

"""Reading the `rules` (who may do what, where, when) and the `interlocks` (conditions
across tags that a write must satisfy) of a policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from interlock.model import OperationClass
from interlock.policy.expr import Expr, ExprError, check_types, parse
from interlock.policy.model import (
    ACTIONS,
    BUILTIN_RULES,
    MODES,
    UNKNOWN_ACTIONS,
    AccessRule,
    AddressRange,
    Asset,
    Interlock,
    IpNetwork,
    Mode,
    Tag,
    UnknownAction,
)
from interlock.policy.reader import RULE_NAME_PATTERN, PolicyReader
from interlock.policy.spaces import SPACES
from interlock.zones.nodes import line_of, suggest

RULE_KEYS = ("name",), (
    "action", "clients", "operations", "functions", "assets", "tags", "ranges", "windows",
    "mode", "exception", "description",
)  # fmt: skip
RANGE_KEYS = ("space", "start"), ("asset", "end")
INTERLOCK_KEYS = ("name", "require"), (
    "tag", "tags", "when", "if_unknown", "mode", "exception", "description",
)  # fmt: skip
OPERATIONS = tuple(op.value for op in OperationClass)
ANY = "any"


def read_rules(
    reader: PolicyReader,
    nodes: list[yaml.Node],
    names: Mapping[str, Any],
    tags: Mapping[str, Tag],
    mode: Mode,
) -> list[AccessRule]:
    rules = [_rule(reader, node, names, tags, mode) for node in nodes]
    return [rule for rule in rules if rule is not None]


def _rule_name(reader: PolicyReader, node: yaml.Node, kind: str) -> str | None:
    name = reader.name(node, f"a {kind}'s name", RULE_NAME_PATTERN)
    if name is None:
        return None
    if name in BUILTIN_RULES:
        reader.error(node, f"`{name}` names a built-in rule: choose another name")
    first = reader.claim(node, "rule", name, name)
    if first is not None:
        reader.error(node, f"a rule or interlock `{name}` is already defined (line {first[1]})")
    return name


def _common(
    reader: PolicyReader, fields: dict[str, yaml.Node], where: str, mode: Mode
) -> tuple[Mode, int | None, str]:
    if "mode" in fields:
        mode = reader.choice(fields["mode"], f"the mode of {where}", MODES) or mode
    exception = None
    if "exception" in fields:
        exception = reader.integer(fields["exception"], f"the exception code of {where}", 1, 255)
    text = ""
    if "description" in fields:
        text = reader.string(fields["description"], "description") or ""
    return mode, exception, text


def _rule(
    reader: PolicyReader,
    node: yaml.Node,
    names: Mapping[str, Any],
    tags: Mapping[str, Tag],
    mode: Mode,
) -> AccessRule | None:
    fields = reader.mapping(node, "a rule", *RULE_KEYS)
    if fields is None or "name" not in fields:
        return None
    name = _rule_name(reader, fields["name"], "rule")
    where = f"rule `{name}`"
    action = "allow"
    if "action" in fields:
        action = reader.choice(fields["action"], f"the action of {where}", ACTIONS) or "allow"
    clients = _clients(reader, fields, names["clients"], where)
    operations = _operations(reader, fields, where)
    functions = _functions(reader, fields, where)
    assets = _defined(reader, fields, "assets", names["assets"], where)
    rule_tags = _defined(reader, fields, "tags", tags, where)
    windows = _defined(reader, fields, "windows", names["windows"], where)
    ranges = _ranges(reader, fields, names["assets"], where)
    rule_mode, exception, text = _common(reader, fields, where, mode)
    if name is None:
        return None
    return AccessRule(
        name, action, clients, operations, functions, assets, rule_tags, ranges, windows,  # type: ignore[arg-type]
        rule_mode, exception, text, line_of(node),
    )  # fmt: skip


def _clients(
    reader: PolicyReader,
    fields: dict[str, yaml.Node],
    groups: Mapping[str, tuple[IpNetwork, ...]],
    where: str,
) -> tuple[IpNetwork, ...] | None:
    from interlock.policy.loader import network_of

    if "clients" not in fields:
        return None
    entries = reader.strings(fields["clients"], f"the clients of {where}")
    if any(text == ANY for _, text in entries):
        return None
    networks: list[IpNetwork] = []
    for item, text in entries:
        if text in groups:
            networks.extend(groups[text])
        elif text[:1].isdigit() or ":" in text:
            network = network_of(reader, item, text)
            if network is not None:
                networks.append(network)
        else:
            hint = suggest(text, sorted(groups)) if groups else " (no client groups are defined)"
            reader.error(item, f"{where} names client group `{text}`, which is not defined{hint}")
    return tuple(networks)


def _operations(
    reader: PolicyReader, fields: dict[str, yaml.Node], where: str
) -> frozenset[str] | None:
    if "operations" not in fields:
        return None
    entries = reader.strings(fields["operations"], f"the operations of {where}")
    if any(text == ANY for _, text in entries):
        return None
    found = set()
    for item, text in entries:
        if text in OPERATIONS:
            found.add(text)
        else:
            hint = suggest(text, OPERATIONS)
            reader.error(item, f"unknown operation class `{text}` in {where}{hint}")
    return frozenset(found)


def _functions(
    reader: PolicyReader, fields: dict[str, yaml.Node], where: str
) -> frozenset[int] | None:
    if "functions" not in fields:
        return None
    items = reader.sequence(fields["functions"], f"the functions of {where}") or []
    codes = [reader.integer(item, f"a function code of {where}", 0, 255) for item in items]
    return frozenset(code for code in codes if code is not None)


def _defined(
    reader: PolicyReader, fields: dict[str, yaml.Node], key: str, known: Any, where: str
) -> tuple[str, ...]:
    if key not in fields:
        return ()
    found = []
    kind = key.removesuffix("s")
    for item, text in reader.strings(fields[key], f"the {key} of {where}"):
        if text in known:
            found.append(text)
        elif not reader.declared(kind, text):  # a wrong definition was reported already
            hint = suggest(text, sorted(known)) if known else f" (no valid {kind}s are defined)"
            reader.error(item, f"{where} names {kind} `{text}`, which is not defined{hint}")
    return tuple(found)


def _ranges(
    reader: PolicyReader, fields: dict[str, yaml.Node], assets: Mapping[str, Asset], where: str
) -> tuple[AddressRange, ...]:
    if "ranges" not in fields:
        return ()
    found = []
    for node in reader.sequence(fields["ranges"], f"the ranges of {where}") or []:
        span = _range(reader, node, assets, where)
        if span is not None:
            found.append(span)
    return tuple(found)


def _range(
    reader: PolicyReader, node: yaml.Node, assets: Mapping[str, Asset], where: str
) -> AddressRange | None:
    fields = reader.mapping(node, f"a range of {where}", *RANGE_KEYS)
    if fields is None:
        return None
    asset: Asset | None = None
    if "asset" in fields:
        name = reader.string(fields["asset"], f"the asset of a range of {where}")
        asset = assets.get(name or "")
        if name is not None and asset is None and not reader.declared("asset", name):
            reader.error(
                fields["asset"], f"a range of {where} names asset `{name}`, which is not defined"
            )
    elif len(assets) == 1:
        asset = next(iter(assets.values()))
    else:
        reader.error(
            node, f"a range of {where} must name its `asset` (the policy has {len(assets)})"
        )
    space = None
    if asset is not None and "space" in fields:
        space = reader.choice(
            fields["space"], f"the space of a range of {where}", list(SPACES[asset.protocol])
        )
    start = (
        reader.integer(fields["start"], f"the start of a range of {where}", 0, 65535)
        if "start" in fields
        else None
    )
    end = start
    if "end" in fields:
        end = reader.integer(fields["end"], f"the end of a range of {where}", 0, 65535)
    if start is not None and end is not None and end < start:
        reader.error(fields["end"], f"a range of {where} ends ({end}) before it starts ({start})")
        return None
    if asset is None or space is None or start is None or end is None:
        return None
    return AddressRange(asset.name, space, start, end)


def read_interlocks(
    reader: PolicyReader, nodes: list[yaml.Node], tags: Mapping[str, Tag], mode: Mode
) -> list[Interlock]:
    found = [_interlock(reader, node, tags, mode) for node in nodes]
    return [interlock for interlock in found if interlock is not None]


def _interlock(
    reader: PolicyReader, node: yaml.Node, tags: Mapping[str, Tag], mode: Mode
) -> Interlock | None:
    fields = reader.mapping(node, "an interlock", *INTERLOCK_KEYS)
    if fields is None or "name" not in fields:
        return None
    name = _rule_name(reader, fields["name"], "interlock")
    where = f"interlock `{name}`"
    guarded = _guarded(reader, fields, node, tags, where)
    types = {tag.name: _type_of(tag) for tag in tags.values()}
    kinds = {_type_of(tags[t]) for t in guarded}
    if len(kinds) == 1:
        types["value"] = types["current"] = kinds.pop()
    when = _expression(reader, fields, "when", types, where) if "when" in fields else None
    require = _expression(reader, fields, "require", types, where) if "require" in fields else None
    if_unknown: UnknownAction = "block"
    if "if_unknown" in fields:
        if_unknown = (
            reader.choice(fields["if_unknown"], f"`if_unknown` of {where}", UNKNOWN_ACTIONS)
            or "block"
        )
    rule_mode, exception, text = _common(reader, fields, where, mode)
    if name is None or require is None or not guarded:
        return None
    return Interlock(
        name,
        guarded,
        when,
        require,
        if_unknown,
        rule_mode,
        exception,
        text,
        line_of(node),
    )


def _guarded(
    reader: PolicyReader,
    fields: dict[str, yaml.Node],
    node: yaml.Node,
    tags: Mapping[str, Tag],
    where: str,
) -> tuple[str, ...]:
    if ("tag" in fields) == ("tags" in fields):
        reader.error(
            node, f"{where} guards writes to one `tag` or a list of `tags` (give one of them)"
        )
        return ()
    key = "tag" if "tag" in fields else "tags"
    if key == "tag" and not isinstance(fields["tag"], yaml.ScalarNode):
        reader.error(fields["tag"], f"{where}: `tag` is one name; use `tags` for a list")
        return ()
    return _defined(reader, fields, key, tags, where)


def _type_of(tag: Tag) -> str:
    return "bool" if tag.type == "bool" else "number"


def _expression(
    reader: PolicyReader, fields: dict[str, yaml.Node], key: str, types: dict[str, str], where: str
) -> Expr | None:
    text = reader.text(fields[key], f"`{key}` of {where}")
    if text is None:
        return None
    try:
        expr = parse(text)
        if check_types(expr.root, types) != "bool":
            raise ExprError("the condition must be true or false, not a number", 1)
    except ExprError as err:
        hint = ""
        if err.message.startswith("unknown name"):
            word = err.message.split("`")[1]
            if reader.declared("tag", word):
                return None  # the tag's own definition is wrong, and said so
            hint = suggest(word, sorted(types))
            if word in ("value", "current"):
                hint = " (`value` needs the guarded tags to share one type)"
        reader.error(fields[key], f"`{key}` of {where}, column {err.column}: {err.message}{hint}")
        return None
    return expr

"""Loading a policy file (docs/policy.md): YAML text in, a Policy or every error out, each
at its line. Nothing is half-loaded: one error means no policy.

Checked beyond types: names unique (assets, tags, rules and interlocks), tags of one asset
do not overlap, every name a rule or interlock uses is defined, interlock expressions parse
and their types fit, `default` is stated.

Pure: the caller reads the file (``load_policy`` in ``interlock.policy`` does).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime

import yaml

from interlock.policy.errors import PolicyIssue
from interlock.policy.model import (
    ACTIONS,
    CRITICALITIES,
    FAIL_MODES,
    FORMAT_VERSION,
    MALFORMED_ACTIONS,
    MODES,
    Asset,
    IpNetwork,
    Policy,
    Window,
)
from interlock.policy.reader import RULE_NAME_PATTERN, PolicyReader
from interlock.policy.rules import read_interlocks, read_rules
from interlock.policy.spaces import MAX_UNIT, SPACES
from interlock.policy.tags import read_tags
from interlock.policy.windows import DAYS
from interlock.zones.nodes import compose, line_of, strict_network

TOP_KEYS = ("default",), (
    "version", "description", "mode", "malformed", "failure_mode",
    "clients", "windows", "assets", "tags", "rules", "interlocks",
)  # fmt: skip
ASSET_KEYS = ("name", "protocol", "unit"), ("address", "criticality", "failure_mode", "description")
WINDOW_KEYS = ("name", "start", "end"), ("days", "utc_offset", "description")


def parse_policy(text: str, source: str) -> Policy | list[PolicyIssue]:
    """The policy of a file's text, or all its errors sorted by line."""
    if not text.strip():
        return [PolicyIssue(source, 1, "the file is empty: a policy states at least `default`")]
    root = compose(text, source)
    if not isinstance(root, yaml.Node):
        return [PolicyIssue(root.source, root.line, root.message)]
    reader = PolicyReader(source)
    policy = _policy(reader, root, source)
    if reader.errors or policy is None:
        return sorted({PolicyIssue(e.source, e.line, e.message) for e in reader.errors})
    return policy


def _policy(reader: PolicyReader, root: yaml.Node, source: str) -> Policy | None:
    top = reader.mapping(root, "the policy", *TOP_KEYS)
    if top is None:
        return None
    if "version" in top:
        reader.integer(top["version"], "version", FORMAT_VERSION, FORMAT_VERSION)
    default = reader.choice(top["default"], "`default`", ACTIONS) if "default" in top else None
    mode = reader.choice(top["mode"], "`mode`", MODES) if "mode" in top else "enforce"
    malformed = (
        reader.choice(top["malformed"], "`malformed`", MALFORMED_ACTIONS)
        if "malformed" in top
        else "block"
    )
    fail = (
        reader.choice(top["failure_mode"], "`failure_mode`", FAIL_MODES)
        if "failure_mode" in top
        else "closed"
    )
    clients = _clients(reader, top["clients"]) if "clients" in top else {}
    windows = [w for w in (_window(reader, n) for n in _items(reader, top, "windows")) if w]
    assets = [
        a for a in (_asset(reader, n, fail or "closed") for n in _items(reader, top, "assets")) if a
    ]
    by_name = {a.name: a for a in assets}
    tags = read_tags(reader, _items(reader, top, "tags"), by_name)
    names = {"clients": clients, "windows": {w.name for w in windows}, "assets": by_name}
    rules = read_rules(
        reader, _items(reader, top, "rules"), names, {t.name: t for t in tags}, mode or "enforce"
    )
    interlocks = read_interlocks(
        reader, _items(reader, top, "interlocks"), {t.name: t for t in tags}, mode or "enforce"
    )
    if default is None or mode is None or malformed is None or fail is None:
        return None
    description = (
        reader.string(top["description"], "description") or "" if "description" in top else ""
    )
    return Policy(
        source, description, default, mode, malformed, fail, clients, tuple(windows),
        tuple(assets), tuple(tags), tuple(rules), tuple(interlocks),
    )  # fmt: skip


def _items(reader: PolicyReader, top: dict[str, yaml.Node], key: str) -> list[yaml.Node]:
    if key not in top:
        return []
    return reader.sequence(top[key], f"`{key}`") or []


def _clients(reader: PolicyReader, node: yaml.Node) -> dict[str, tuple[IpNetwork, ...]]:
    """`clients`: named groups of addresses and networks, for rules to refer to."""
    if not isinstance(node, yaml.MappingNode):
        reader.error(node, "`clients` must be a mapping of group names to addresses")
        return {}
    groups: dict[str, tuple[IpNetwork, ...]] = {}
    for key, value in node.value:
        name = reader.name(key, "a client group's name", RULE_NAME_PATTERN)
        if name is None:
            continue
        if name in groups:
            reader.error(key, f"client group `{name}` is defined twice")
        networks = [
            network_of(reader, item, text)
            for item, text in reader.strings(value, f"client group `{name}`")
        ]
        groups[name] = tuple(n for n in networks if n is not None)
    return groups


def network_of(reader: PolicyReader, node: yaml.Node, text: str) -> IpNetwork | None:
    """An address (a /32 or /128) or a network written without host bits."""
    return strict_network(reader, node, text, "an IP address or network (such as 10.20.0.0/24)")


def _asset(reader: PolicyReader, node: yaml.Node, fail_default: str) -> Asset | None:
    fields = reader.mapping(node, "an asset", *ASSET_KEYS)
    if fields is None or "name" not in fields:
        return None
    name = reader.name(fields["name"], "an asset's name", RULE_NAME_PATTERN)
    where = f"asset `{name}`"
    if name is not None and (first := reader.claim(fields["name"], "asset", name, name)):
        reader.error(fields["name"], f"asset `{name}` is already defined (line {first[1]})")
    protocol = None
    if "protocol" in fields:
        protocol = reader.choice(fields["protocol"], f"the protocol of {where}", sorted(SPACES))
    unit = None
    if "unit" in fields and protocol is not None:
        unit = reader.integer(fields["unit"], f"the unit of {where}", 0, MAX_UNIT[protocol])
    address = None
    if "address" in fields and (text := reader.text(fields["address"], f"the address of {where}")):
        try:
            address = str(ipaddress.ip_address(text))
        except ValueError:
            reader.error(fields["address"], f"the address of {where} `{text}` is not an IP address")
    if protocol is not None and unit is not None:
        key = f"{protocol} unit {unit}" + (f" at {address}" if address else "")
        if first := reader.claim(node, "device", key, name or ""):
            reader.error(node, f"{where} is {key}, already asset `{first[0]}` (line {first[1]})")
    criticality = "medium"
    if "criticality" in fields:
        criticality = (
            reader.choice(fields["criticality"], f"the criticality of {where}", CRITICALITIES)
            or "medium"
        )
    fail = fail_default
    if "failure_mode" in fields:
        fail = (
            reader.choice(fields["failure_mode"], f"the failure mode of {where}", FAIL_MODES)
            or fail
        )
    text = (
        reader.string(fields["description"], "description") or "" if "description" in fields else ""
    )
    if name is None or protocol is None:
        return None  # possibly with errors recorded: then it only serves to check references
    return Asset(name, protocol, unit, address, criticality, fail, text, line_of(node))  # type: ignore[arg-type]


def _window(reader: PolicyReader, node: yaml.Node) -> Window | None:
    """Weekly (`days` with `start`/`end` as HH:MM) or one span (ISO 8601 timestamps)."""
    fields = reader.mapping(node, "a maintenance window", *WINDOW_KEYS)
    if fields is None or "name" not in fields:
        return None
    name = reader.name(fields["name"], "a window's name", RULE_NAME_PATTERN)
    where = f"window `{name}`"
    if name is not None and (first := reader.claim(fields["name"], "window", name, name)):
        reader.error(fields["name"], f"window `{name}` is already defined (line {first[1]})")
    days: frozenset[int] = frozenset()
    if "days" in fields:
        days = frozenset(
            _day(reader, item, text, where)
            for item, text in reader.strings(fields["days"], f"the days of {where}")
        )
    weekly = "days" in fields
    parse = _minute if weekly else _timestamp
    start = parse(reader, fields["start"], f"the start of {where}") if "start" in fields else None
    end = parse(reader, fields["end"], f"the end of {where}") if "end" in fields else None
    offset = _offset(reader, fields["utc_offset"], where) if "utc_offset" in fields else 0
    if "utc_offset" in fields and not weekly:
        reader.error(
            fields["utc_offset"],
            f"{where} is one span in UTC: `utc_offset` applies to weekly windows",
        )
    if not weekly and start is not None and end is not None and end <= start:
        reader.error(fields["end"], f"{where} ends before it starts")
    if weekly and start is not None and start == end:
        reader.error(fields["end"], f"{where} starts and ends at the same time")
    text = (
        reader.string(fields["description"], "description") or "" if "description" in fields else ""
    )
    if name is None:
        return None
    days = frozenset(d for d in days if d >= 0)
    return Window(name, days, start or 0.0, end or 0.0, offset, text, line_of(node))


def _day(reader: PolicyReader, node: yaml.Node, text: str, where: str) -> int:
    word = text.lower()[:3]
    if word in DAYS and text.lower() in (word, _full_day(word)):
        return DAYS.index(word)
    reader.error(node, f"`{text}` in {where} is not a day (mon, tue, wed, thu, fri, sat, sun)")
    return -1


def _full_day(word: str) -> str:
    return {"mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday",
            "fri": "friday", "sat": "saturday", "sun": "sunday"}[word]  # fmt: skip


def _minute(reader: PolicyReader, node: yaml.Node, what: str) -> float | None:
    text = reader.text(node, what)
    hours, sep, minutes = (text or "").partition(":")
    if text is None:
        return None
    if sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
        value = int(hours) * 60 + int(minutes)
        if int(minutes) < 60 and value <= 24 * 60:
            return float(value)
    reader.error(node, f'{what} `{text}` is not a time of day HH:MM (quote it: "02:00")')
    return None


def _timestamp(reader: PolicyReader, node: yaml.Node, what: str) -> float | None:
    text = reader.text(node, what)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        reader.error(
            node,
            f"{what} `{text}` is not an ISO 8601 time with a zone (2026-03-01T02:00:00Z); for a weekly window add `days`",
        )
        return None
    return moment.timestamp()


def _offset(reader: PolicyReader, node: yaml.Node, where: str) -> int:
    text = reader.text(node, f"the UTC offset of {where}") or ""
    sign, rest = (text[0], text[1:]) if text[:1] in "+-" and text else ("", "")
    hours, sep, minutes = rest.partition(":")
    if (
        sign
        and sep
        and hours.isdigit()
        and minutes.isdigit()
        and int(hours) <= 14
        and int(minutes) < 60
    ):
        value = int(hours) * 60 + int(minutes)
        return -value if sign == "-" else value
    if text:
        reader.error(node, f"the UTC offset of {where} `{text}` is not +HH:MM or -HH:MM")
    return 0

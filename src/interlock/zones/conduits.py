"""Reading the conduits of a zones file: which zones they join, who may initiate, and the
protocols (with their operation classes) they allow."""

from __future__ import annotations

import yaml

from interlock.zones.levels import description, security_level
from interlock.zones.model import ANY, Conduit, ProtocolRule
from interlock.zones.nodes import NodeReader, kind_of, line_of, suggest
from interlock.zones.protocols import KNOWN_PROTOCOLS, OPERATION_CLASSES

CONDUIT_KEYS = ("name", "zones", "protocols"), ("description", "initiator", "security_level")


def conduit_of(reader: NodeReader, node: yaml.Node, zones: frozenset[str]) -> Conduit | None:
    """The conduit, or None when it is wrong (its errors recorded in the reader)."""
    fields = reader.mapping(node, "a conduit", *CONDUIT_KEYS)
    if fields is None:
        return None
    before = len(reader.errors)
    name = reader.string(fields["name"], "a conduit's name") if "name" in fields else None
    if name is not None:
        first = reader.claim(fields["name"], "conduit", name, name)
        if first is not None:
            reader.error(fields["name"], f"conduit `{name}` is already defined (line {first[1]})")
    where = f"conduit `{name}`" if name else "a conduit"
    pair = _pair(reader, fields["zones"], where, zones) if "zones" in fields else None
    initiator = None
    if "initiator" in fields:
        initiator = reader.string(fields["initiator"], f"the initiator of {where}")
        if initiator is not None and pair is not None and initiator not in pair:
            choices = ", ".join(sorted(set(pair)))
            reader.error(
                fields["initiator"],
                f"the initiator of {where} must be one of its zones ({choices})",
            )
    level = None
    if "security_level" in fields:
        level = security_level(reader, fields["security_level"], where)
    rules = _rules(reader, fields["protocols"], where) if "protocols" in fields else ()
    if len(reader.errors) > before or name is None or pair is None:
        return None
    text = description(reader, fields)
    return Conduit(name, text, pair, initiator, rules, level, line_of(node))


def _pair(
    reader: NodeReader, node: yaml.Node, where: str, zones: frozenset[str]
) -> tuple[str, str] | None:
    items = reader.sequence(node, f"the zones of {where}")
    if items is None:
        return None
    if not 1 <= len(items) <= 2:
        reader.error(node, f"{where} joins one zone (to itself) or two, not {len(items)}")
        return None
    names = [reader.string(item, "a zone name") for item in items]
    for item, zone in zip(items, names, strict=True):
        if zone is not None and zone not in zones:
            reader.error(item, f"{where} names zone `{zone}`, which is not defined")
    if names[0] is None or names[-1] is None:
        return None
    return (names[0], names[-1])


def _rules(reader: NodeReader, node: yaml.Node, where: str) -> tuple[ProtocolRule, ...]:
    """`protocols`: a list of names and/or {name: operations}, or one mapping name -> operations."""
    entries: list[tuple[yaml.Node, yaml.Node | None]] = []
    if isinstance(node, yaml.MappingNode):
        entries = list(node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
                entries.append(item.value[0])
            elif isinstance(item, yaml.MappingNode):
                reader.error(item, f"each protocol of {where} is `name` or `name: [operations]`")
            else:
                entries.append((item, None))
    else:
        reader.error(node, f"the protocols of {where} must be a list or a mapping")
        return ()
    if not node.value:
        reader.error(node, f"{where} allows no protocol")
    rules: list[ProtocolRule] = []
    seen: set[str] = set()
    for key, value in entries:
        protocol = reader.string(key, f"a protocol of {where}")
        if value is None:
            operations = None
        else:
            operations = _operations(reader, value, f"{protocol or 'a protocol'} in {where}")
        if protocol is None:
            continue
        if protocol != ANY and protocol not in KNOWN_PROTOCOLS:
            hint = suggest(protocol, sorted(KNOWN_PROTOCOLS))
            reader.error(key, f"unknown protocol `{protocol}` in {where}{hint}")
        elif protocol in seen:
            reader.error(key, f"protocol `{protocol}` is listed twice in {where}")
        seen.add(protocol)
        rules.append(ProtocolRule(protocol, operations))
    return tuple(rules)


def _operations(reader: NodeReader, node: yaml.Node, where: str) -> frozenset[str] | None:
    """The operation classes allowed; None for `any`."""
    if isinstance(node, yaml.ScalarNode) and node.value == ANY:
        return None
    if not isinstance(node, yaml.SequenceNode):
        kind = kind_of(node)
        reader.error(node, f"the operations of {where} must be a list or `any`, not {kind}")
        return None
    items = list(node.value)
    found: set[str] = set()
    for item in items:
        op = reader.string(item, "an operation class")
        if op is not None and op not in OPERATION_CLASSES:
            reader.error(
                item, f"unknown operation class `{op}` for {where}{suggest(op, OPERATION_CLASSES)}"
            )
        elif op is not None:
            found.add(op)
    return frozenset(found)

"""Loading a zones file (docs/inventory-zones.md): YAML text in, a ZoneModel or every error
out, each with its line. Nothing is returned half-checked: one error means no model.

Rules checked beyond types: names unique; an address range, asset id, MAC or hostname
belongs to one zone only (nested ranges in different zones are fine: the most specific
prefix wins, see ``interlock.zones.assign``); conduits name defined zones.

Pure: the caller reads the file; this module only sees its text and name.
"""

from __future__ import annotations

import yaml

from interlock.zones.conduits import conduit_of
from interlock.zones.levels import description, security_level
from interlock.zones.model import (
    Conduit,
    IpNetwork,
    LoadError,
    Members,
    SecurityLevel,
    Zone,
    ZoneModel,
)
from interlock.zones.nodes import NodeReader, compose, line_of, strict_network

FORMAT_VERSION = 1
TOP_KEYS = ("zones",), ("version", "description", "conduits")
ZONE_KEYS = ("name", "security_level"), ("description", "members")
MEMBER_KEYS = (), ("cidrs", "assets", "macs", "hostnames")
HEX = frozenset("0123456789abcdef")
UNKNOWN_LEVEL = SecurityLevel((0,) * 7)
"""Stands in for a wrong level so that the rest of the zone is still checked."""


def load_zones(text: str, source: str) -> ZoneModel | list[LoadError]:
    """The model of a zones file, or all its errors sorted by line."""
    root = compose(text, source)
    if isinstance(root, LoadError):
        return [root]
    reader = NodeReader(source)
    top = reader.mapping(root, "the zones file", *TOP_KEYS)
    zones: list[Zone] = []
    conduits: list[Conduit] = []
    if top is not None:
        if "version" in top:
            reader.integer(top["version"], "version", FORMAT_VERSION, FORMAT_VERSION)
        if "description" in top:
            reader.string(top["description"], "description")
        zones = [z for z in (_zone(reader, n) for n in _items(reader, top, "zones")) if z]
        names = frozenset(z.name for z in zones)
        for node in _items(reader, top, "conduits"):
            conduit = conduit_of(reader, node, names)
            if conduit is not None:
                conduits.append(conduit)
    if reader.errors:
        return sorted(set(reader.errors))
    return ZoneModel(source, tuple(zones), tuple(conduits))


def _items(reader: NodeReader, top: dict[str, yaml.Node], key: str) -> list[yaml.Node]:
    if key not in top:
        return []
    return reader.sequence(top[key], f"`{key}`") or []


def _zone(reader: NodeReader, node: yaml.Node) -> Zone | None:
    """The zone (partial if some of it is wrong: the errors are recorded), None without a name."""
    fields = reader.mapping(node, "a zone", *ZONE_KEYS)
    if fields is None or "name" not in fields:
        return None
    name = reader.string(fields["name"], "a zone's name")
    if name is None:
        return None
    first = reader.claim(fields["name"], "zone", name, name)
    if first is not None:
        reader.error(fields["name"], f"zone `{name}` is already defined (line {first[1]})")
    where = f"zone `{name}`"
    level = UNKNOWN_LEVEL
    if "security_level" in fields:
        level = security_level(reader, fields["security_level"], where) or UNKNOWN_LEVEL
    members = Members()
    if "members" in fields:
        members = _members(reader, fields["members"], where)
    return Zone(name, description(reader, fields), level, members, line_of(node))


def _members(reader: NodeReader, node: yaml.Node, where: str) -> Members:
    fields = reader.mapping(node, f"the members of {where}", *MEMBER_KEYS)
    if fields is None:
        return Members()
    lists = {k: reader.sequence(v, f"`{k}` of {where}") or [] for k, v in fields.items()}
    networks, ids, macs, hosts = [], [], [], []
    for item in lists.get("cidrs", []):
        network = _network(reader, item)
        if network is not None and _unique(reader, item, "address range", str(network), where):
            networks.append(network)
    for item in lists.get("assets", []):
        asset_id = reader.integer(item, "an asset id", 1, None)
        if asset_id is not None and _unique(reader, item, "asset", str(asset_id), where):
            ids.append(asset_id)
    for item in lists.get("macs", []):
        mac = _mac(reader, item)
        if mac is not None and _unique(reader, item, "MAC address", mac, where):
            macs.append(mac)
    for item in lists.get("hostnames", []):
        host = reader.text(item, "a hostname")
        if host is not None and _unique(reader, item, "hostname", host.lower(), where):
            hosts.append(host.lower())
    return Members(tuple(networks), tuple(ids), tuple(macs), tuple(hosts))


def _unique(reader: NodeReader, node: yaml.Node, kind: str, key: str, where: str) -> bool:
    first = reader.claim(node, kind, key, where)
    if first is None:
        return True
    owner, line = first
    if owner == where:
        reader.error(node, f"{kind} {key} is listed twice in {where} (line {line})")
    else:
        reader.error(node, f"{kind} {key} is in {owner} (line {line}) and in {where}")
    return False


def _network(reader: NodeReader, node: yaml.Node) -> IpNetwork | None:
    text = reader.text(node, "a CIDR")
    if text is None:
        return None
    return strict_network(reader, node, text, "an IPv4 or IPv6 CIDR (such as 10.10.0.0/24)")


def _mac(reader: NodeReader, node: yaml.Node) -> str | None:
    text = reader.text(node, "a MAC address")
    if text is None:
        return None
    digits = "".join(c for c in text.lower() if c not in ":-.")
    if len(digits) != 12 or not set(digits) <= HEX:
        reader.error(node, f"`{text}` is not a MAC address (such as 00:1b:1b:23:eb:3b)")
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))

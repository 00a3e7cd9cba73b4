"""Reading the `tags` of a policy: where each value lives, its data type and engineering
units, and the envelope a write to it must stay inside."""

from __future__ import annotations

import dataclasses
import itertools

import yaml

from interlock.policy.model import MODES, TAG_TYPES, Asset, Envelope, Tag, TagType, WordOrder
from interlock.policy.reader import PolicyReader
from interlock.policy.spaces import SPACES
from interlock.zones.nodes import line_of, suggest

TAG_KEYS = ("name", "space", "address"), (
    "asset", "type", "word_order", "scale", "offset", "units", "description", "envelope",
)  # fmt: skip
ENVELOPE_KEYS = (), ("min", "max", "max_step", "max_rate", "min_interval", "mode", "exception")
RESERVED = frozenset({"value", "current", "and", "or", "not", "true", "false", "abs", "min", "max"})
WORD_ORDERS: tuple[WordOrder, ...] = ("big", "little")


def read_tags(reader: PolicyReader, nodes: list[yaml.Node], assets: dict[str, Asset]) -> list[Tag]:
    tags = [t for t in (_tag(reader, node, assets) for node in nodes) if t is not None]
    _check_overlaps(reader, tags)
    return tags


def _tag(reader: PolicyReader, node: yaml.Node, assets: dict[str, Asset]) -> Tag | None:
    fields = reader.mapping(node, "a tag", *TAG_KEYS)
    if fields is None:
        return None
    name = reader.name(fields["name"], "a tag's name") if "name" in fields else None
    if name in RESERVED:
        reader.error(
            fields["name"], f"`{name}` is a word of the interlock language, not a tag name"
        )
    if name is not None and (first := reader.claim(fields["name"], "tag", name, name)):
        reader.error(fields["name"], f"tag `{name}` is already defined (line {first[1]})")
    where = f"tag `{name}`" if name else "a tag"
    asset = _asset(reader, fields, node, assets, where)
    space = address = None
    if asset is not None and "space" in fields:
        space = reader.choice(
            fields["space"], f"the space of {where}", list(SPACES[asset.protocol])
        )
    if "address" in fields:
        address = reader.integer(fields["address"], f"the address of {where}", 0, 65535)
    kind = _type(reader, fields, asset, space, where)
    tag = Tag(
        name=name or "",
        asset=asset.name if asset else "",
        space=space or "",
        address=address or 0,
        type=kind,
        word_order=_word_order(reader, fields, where),
        scale=_scale(reader, fields, "scale", where, 1.0),
        offset=_scale(reader, fields, "offset", where, 0.0),
        units=_text(reader, fields, "units", where),
        description=_text(reader, fields, "description", where),
        envelope=None,
        line=line_of(node),
    )
    if address is not None and address + tag.size > 65536:
        reader.error(fields["address"], f"{where} ({kind}) runs past address 65535")
    if "envelope" in fields:
        tag = _with_envelope(reader, fields["envelope"], tag, asset, space, where)
    if name is None or asset is None or space is None or address is None:
        return None
    return tag  # possibly with errors recorded: then it only serves to check references


def _asset(
    reader: PolicyReader,
    fields: dict[str, yaml.Node],
    node: yaml.Node,
    assets: dict[str, Asset],
    where: str,
) -> Asset | None:
    if "asset" not in fields:
        if len(assets) == 1:
            return next(iter(assets.values()))
        reader.error(node, f"{where} must name its `asset` (the policy has {len(assets)})")
        return None
    name = reader.string(fields["asset"], f"the asset of {where}")
    if name is not None and name not in assets and reader.declared("asset", name):
        return None  # the asset itself is wrong, and said so
    if name is not None and name not in assets:
        reader.error(
            fields["asset"],
            f"{where} names asset `{name}`, which is not defined{_hint(name, assets)}",
        )
        return None
    return assets.get(name or "")


def _hint(name: str, assets: dict[str, Asset]) -> str:
    return suggest(name, sorted(assets)) if assets else " (no valid assets are defined)"


def _type(
    reader: PolicyReader,
    fields: dict[str, yaml.Node],
    asset: Asset | None,
    space: str | None,
    where: str,
) -> TagType:
    bits = asset is not None and space is not None and SPACES[asset.protocol][space].bits
    if "type" not in fields:
        return "bool" if bits else "uint16"
    kind = reader.choice(fields["type"], f"the type of {where}", list(TAG_TYPES))
    if kind is None:
        return "uint16"
    if bits and kind != "bool":
        reader.error(
            fields["type"], f"{where} is in {space}, which holds bits: its type must be bool"
        )
    return kind


def _text(reader: PolicyReader, fields: dict[str, yaml.Node], key: str, where: str) -> str:
    if key not in fields:
        return ""
    return reader.string(fields[key], f"the {key} of {where}") or ""


def _word_order(reader: PolicyReader, fields: dict[str, yaml.Node], where: str) -> WordOrder:
    if "word_order" not in fields:
        return "big"
    return reader.choice(fields["word_order"], f"the word order of {where}", WORD_ORDERS) or "big"


def _scale(
    reader: PolicyReader, fields: dict[str, yaml.Node], key: str, where: str, default: float
) -> float:
    if key not in fields:
        return default
    value = reader.number(fields[key], f"the {key} of {where}")
    if key == "scale" and value == 0:
        reader.error(fields[key], f"the scale of {where} cannot be 0")
    return default if value is None else value


def _with_envelope(
    reader: PolicyReader,
    node: yaml.Node,
    tag: Tag,
    asset: Asset | None,
    space: str | None,
    where: str,
) -> Tag:
    fields = reader.mapping(node, f"the envelope of {where}", *ENVELOPE_KEYS)
    if fields is None:
        return tag
    if asset is not None and space is not None and not SPACES[asset.protocol][space].writable:
        reader.error(
            node, f"{where} is in {space}, which cannot be written: an envelope would never apply"
        )
    numeric = ("min", "max", "max_step", "max_rate")
    if tag.type == "bool":
        for key in numeric:
            if key in fields:
                reader.error(
                    fields[key], f"{where} is a bool: `{key}` does not apply (use min_interval)"
                )
    limits: dict[str, float | None] = {}
    for key in (*numeric, "min_interval"):
        if key in fields:
            positive = key not in ("min", "max")
            limits[key] = reader.number(fields[key], f"`{key}` of {where}", positive=positive)
    low, high = limits.get("min"), limits.get("max")
    if low is not None and high is not None and low > high:
        reader.error(fields["min"], f"the envelope of {where} has min {low:g} above max {high:g}")
    mode = (
        reader.choice(fields["mode"], f"the mode of the envelope of {where}", MODES)
        if "mode" in fields
        else None
    )
    exception = (
        reader.integer(fields["exception"], f"the exception code of {where}", 1, 255)
        if "exception" in fields
        else None
    )
    envelope = Envelope(
        low, high, limits.get("max_step"), limits.get("max_rate"), limits.get("min_interval"),
        mode or "enforce", exception, line_of(node),
    )  # fmt: skip
    return dataclasses.replace(tag, envelope=envelope)


def _check_overlaps(reader: PolicyReader, tags: list[Tag]) -> None:
    ordered = sorted(tags, key=lambda t: (t.asset, t.space, t.address, t.line))
    for before, after in itertools.pairwise(ordered):
        same_place = (before.asset, before.space) == (after.asset, after.space)
        if same_place and after.address < before.end:
            reader.error_at(
                after.line,
                f"tag `{after.name}` ({after.space} {after.address}) overlaps tag "
                f"`{before.name}` ({before.space} {before.address}-{before.end - 1}, "
                f"line {before.line})",
            )

"""Reading the fields zones and conduits share: descriptions and target security levels."""

from __future__ import annotations

import yaml

from interlock.zones.model import FOUNDATIONAL_REQUIREMENTS, SecurityLevel
from interlock.zones.nodes import NodeReader


def description(reader: NodeReader, fields: dict[str, yaml.Node]) -> str:
    if "description" not in fields:
        return ""
    return reader.string(fields["description"], "description") or ""


def security_level(reader: NodeReader, node: yaml.Node, where: str) -> SecurityLevel | None:
    """SL-T: one level 0..4, or a mapping over the seven FRs of IEC 62443-3-3."""
    what = f"the target security level (SL-T) of {where}"
    if not isinstance(node, yaml.MappingNode):
        level = reader.integer(node, what, 0, 4)
        return None if level is None else SecurityLevel((level,) * 7)
    fields = reader.mapping(node, what, FOUNDATIONAL_REQUIREMENTS, ())
    if fields is None:
        return None
    by_fr = {fr: reader.integer(v, f"SL-T {fr} of {where}", 0, 4) for fr, v in fields.items()}
    vector = tuple(by_fr.get(fr) for fr in FOUNDATIONAL_REQUIREMENTS)
    if any(v is None for v in vector):
        return None
    return SecurityLevel(vector)  # type: ignore[arg-type]  # seven ints, checked above

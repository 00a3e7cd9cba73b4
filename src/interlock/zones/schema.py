"""The JSON Schema (draft 2020-12) of the zones file, generated from the loader's own key
lists and protocol names so that it cannot drift; published as docs/zones.schema.json.

Regenerate: ``PYTHONPATH=src python -m interlock.zones.schema > docs/zones.schema.json``.
The schema checks shapes and names; rules across the file (unique names, one zone per
range, conduits naming defined zones) are the loader's.
"""

from __future__ import annotations

import json
from typing import Any

from interlock.schema_shapes import list_shape as _list
from interlock.schema_shapes import object_shape as _object
from interlock.zones.conduits import CONDUIT_KEYS
from interlock.zones.loader import FORMAT_VERSION, MEMBER_KEYS, TOP_KEYS, ZONE_KEYS
from interlock.zones.model import ANY, FOUNDATIONAL_REQUIREMENTS
from interlock.zones.protocols import KNOWN_PROTOCOLS, OPERATION_CLASSES

LEVEL: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": 4}
MAC_PATTERN = "^[0-9A-Fa-f]{2}([:.-]?[0-9A-Fa-f]{2}){5}$"
NAME: dict[str, Any] = {"$ref": "#/$defs/name"}


def json_schema() -> dict[str, Any]:
    top = _object(*TOP_KEYS, {
        "version": {"const": FORMAT_VERSION},
        "description": {"type": "string"},
        "zones": _list({"$ref": "#/$defs/zone"}),
        "conduits": _list({"$ref": "#/$defs/conduit"}),
    })  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Interlock zones and conduits (IEC 62443-3-2)",
        "description": "See docs/inventory-zones.md.",
        **top,
        "$defs": {
            "name": {"type": "string", "minLength": 1},
            "security_level": _security_level(),
            "members": _members(),
            "zone": _zone(),
            "conduit": _conduit(),
        },
    }


def _security_level() -> dict[str, Any]:
    per_fr = dict.fromkeys(FOUNDATIONAL_REQUIREMENTS, LEVEL)
    return {
        "description": "SL-T (IEC 62443-3-3): one level, or one per foundational requirement",
        "oneOf": [LEVEL, _object(FOUNDATIONAL_REQUIREMENTS, (), per_fr)],
    }


def _members() -> dict[str, Any]:
    return _object(*MEMBER_KEYS, {
        "cidrs": _list({"type": "string"}),
        "assets": _list({"type": "integer", "minimum": 1}),
        "macs": _list({"type": "string", "pattern": MAC_PATTERN}),
        "hostnames": _list({"type": "string", "minLength": 1}),
    })  # fmt: skip


def _zone() -> dict[str, Any]:
    return _object(*ZONE_KEYS, {
        "name": NAME,
        "description": {"type": "string"},
        "security_level": {"$ref": "#/$defs/security_level"},
        "members": {"$ref": "#/$defs/members"},
    })  # fmt: skip


def _conduit() -> dict[str, Any]:
    operations = {
        "oneOf": [
            {"const": ANY},
            {"type": "array", "items": {"enum": list(OPERATION_CLASSES)}, "uniqueItems": True},
        ]
    }
    protocol = {"enum": sorted(KNOWN_PROTOCOLS | {ANY})}
    by_protocol = {
        "type": "object",
        "propertyNames": protocol,
        "additionalProperties": operations,
        "minProperties": 1,
    }
    listed = {"oneOf": [protocol, {**by_protocol, "maxProperties": 1}]}
    return _object(*CONDUIT_KEYS, {
        "name": NAME,
        "description": {"type": "string"},
        "zones": {"type": "array", "items": NAME, "minItems": 1, "maxItems": 2},
        "initiator": NAME,
        "security_level": {"$ref": "#/$defs/security_level"},
        "protocols": {"oneOf": [by_protocol, {"type": "array", "minItems": 1, "items": listed}]},
    })  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2))

"""The JSON Schema (draft 2020-12) of the policy file, generated from the loader's own key
lists and vocabularies so that it cannot drift; published as docs/policy.schema.json.

Regenerate: ``PYTHONPATH=src python -m interlock.policy.schema > docs/policy.schema.json``.
The schema checks shapes and words (editors use it to complete and underline); the rules
across the file (names defined and unique, tags not overlapping, expressions that parse
and type-check) are the loader's.
"""

from __future__ import annotations

import json
from typing import Any

from interlock.policy.loader import ASSET_KEYS, TOP_KEYS, WINDOW_KEYS
from interlock.policy.model import (
    ACTIONS,
    CRITICALITIES,
    FAIL_MODES,
    FORMAT_VERSION,
    MALFORMED_ACTIONS,
    MODES,
    TAG_TYPES,
    UNKNOWN_ACTIONS,
)
from interlock.policy.rules import ANY, INTERLOCK_KEYS, OPERATIONS, RANGE_KEYS, RULE_KEYS
from interlock.policy.spaces import MAX_UNIT, SPACES
from interlock.policy.tags import ENVELOPE_KEYS, TAG_KEYS, WORD_ORDERS
from interlock.policy.windows import DAYS
from interlock.schema_shapes import list_shape as _list
from interlock.schema_shapes import object_shape as _object

NAME: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.:-]*$"}
TAG_NAME: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}
TEXT: dict[str, Any] = {"type": "string"}
NUMBER: dict[str, Any] = {"type": "number"}
POSITIVE: dict[str, Any] = {"type": "number", "exclusiveMinimum": 0}
ADDRESS: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": 65535}
EXCEPTION: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 255}
SPACE_NAMES = sorted({space for spaces in SPACES.values() for space in spaces})


def json_schema() -> dict[str, Any]:
    top = _object(*TOP_KEYS, {
        "version": {"const": FORMAT_VERSION},
        "description": TEXT,
        "default": {"enum": list(ACTIONS), "description": "what no rule allows or denies"},
        "mode": {"enum": list(MODES)},
        "malformed": {"enum": list(MALFORMED_ACTIONS)},
        "failure_mode": {"enum": list(FAIL_MODES)},
        "clients": {"type": "object", "additionalProperties": _names({"type": "string"})},
        "windows": _list({"$ref": "#/$defs/window"}),
        "assets": _list({"$ref": "#/$defs/asset"}),
        "tags": _list({"$ref": "#/$defs/tag"}),
        "rules": _list({"$ref": "#/$defs/rule"}),
        "interlocks": _list({"$ref": "#/$defs/interlock"}),
    })  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Interlock physics-first policy",
        "description": "See docs/policy.md.",
        **top,
        "$defs": {
            "window": _window(),
            "asset": _asset(),
            "tag": _tag(),
            "envelope": _envelope(),
            "rule": _rule(),
            "range": _range(),
            "interlock": _interlock(),
        },
    }


def _window() -> dict[str, Any]:
    day = {"enum": [*DAYS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                    "sunday"]}  # fmt: skip
    return _object(*WINDOW_KEYS, {
        "name": NAME,
        "start": {"type": "string", "description": "HH:MM (weekly) or ISO 8601 with a zone"},
        "end": {"type": "string", "description": "HH:MM (weekly) or ISO 8601 with a zone"},
        "days": _names(day),
        "utc_offset": {"type": "string", "pattern": "^[+-][0-9]{1,2}:[0-5][0-9]$"},
        "description": TEXT,
    })  # fmt: skip


def _asset() -> dict[str, Any]:
    return _object(*ASSET_KEYS, {
        "name": NAME,
        "protocol": {"enum": sorted(SPACES)},
        "unit": {"type": "integer", "minimum": 0, "maximum": max(MAX_UNIT.values())},
        "address": {"type": "string", "description": "the server's IP address"},
        "criticality": {"enum": list(CRITICALITIES)},
        "failure_mode": {"enum": list(FAIL_MODES)},
        "description": TEXT,
    })  # fmt: skip


def _tag() -> dict[str, Any]:
    return _object(*TAG_KEYS, {
        "name": TAG_NAME,
        "asset": NAME,
        "space": {"enum": SPACE_NAMES},
        "address": ADDRESS,
        "type": {"enum": list(TAG_TYPES)},
        "word_order": {"enum": list(WORD_ORDERS)},
        "scale": {"type": "number", "not": {"const": 0}},
        "offset": NUMBER,
        "units": TEXT,
        "description": TEXT,
        "envelope": {"$ref": "#/$defs/envelope"},
    })  # fmt: skip


def _envelope() -> dict[str, Any]:
    return _object(*ENVELOPE_KEYS, {
        "min": NUMBER,
        "max": NUMBER,
        "max_step": POSITIVE,
        "max_rate": {**POSITIVE, "description": "engineering units per second"},
        "min_interval": {**POSITIVE, "description": "seconds between two changes"},
        "mode": {"enum": list(MODES)},
        "exception": EXCEPTION,
    })  # fmt: skip


def _rule() -> dict[str, Any]:
    operations = {"oneOf": [{"const": ANY}, _names({"enum": [*OPERATIONS, ANY]})]}
    return _object(*RULE_KEYS, {
        "name": NAME,
        "action": {"enum": list(ACTIONS)},
        "clients": _names({"type": "string"}),
        "operations": operations,
        "functions": _list({"type": "integer", "minimum": 0, "maximum": 255}),
        "assets": _names(NAME),
        "tags": _names(TAG_NAME),
        "ranges": _list({"$ref": "#/$defs/range"}),
        "windows": _names(NAME),
        "mode": {"enum": list(MODES)},
        "exception": EXCEPTION,
        "description": TEXT,
    })  # fmt: skip


def _range() -> dict[str, Any]:
    return _object(*RANGE_KEYS, {
        "asset": NAME, "space": {"enum": SPACE_NAMES}, "start": ADDRESS, "end": ADDRESS,
    })  # fmt: skip


def _interlock() -> dict[str, Any]:
    expression = {"type": ["string", "boolean"], "description": "docs/policy.md, Interlocks"}
    return _object(*INTERLOCK_KEYS, {
        "name": NAME,
        "tag": TAG_NAME,
        "tags": _list(TAG_NAME),
        "when": expression,
        "require": expression,
        "if_unknown": {"enum": list(UNKNOWN_ACTIONS)},
        "mode": {"enum": list(MODES)},
        "exception": EXCEPTION,
        "description": TEXT,
    })  # fmt: skip


def _names(items: dict[str, Any]) -> dict[str, Any]:
    """A list of names, or one name standing for a list of one."""
    return {"oneOf": [items, {"type": "array", "items": items}]}


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2))

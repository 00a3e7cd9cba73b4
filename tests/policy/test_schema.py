"""The published JSON Schema (docs/policy.schema.json) is the one the loader's key lists
generate; it accepts the example policy and a drafted one, and rejects bad shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from interlock.policy.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "policy.schema.json"
EXAMPLE = ROOT / "docs" / "examples" / "tank.policy.yaml"


def test_the_published_schema_is_the_generated_one() -> None:
    # Regenerate: PYTHONPATH=src python -m interlock.policy.schema > docs/policy.schema.json
    assert json.loads(PUBLISHED.read_text()) == json_schema()


def test_the_schema_names_the_vocabularies() -> None:
    defs = json_schema()["$defs"]
    assert set(defs["tag"]["properties"]["type"]["enum"]) >= {"bool", "uint16", "float32", "int32"}
    assert "holding_registers" in defs["tag"]["properties"]["space"]["enum"]
    assert "restart" in json.dumps(defs["rule"]["properties"]["operations"])
    assert json_schema()["required"] == ["default"]


MINIMAL: dict[str, Any] = {"default": "deny"}


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"default": "maybe"},
        {**MINIMAL, "colour": "red"},
        {**MINIMAL, "tags": [{"name": "t", "space": "registers", "address": 0}]},
        {**MINIMAL, "tags": [{"name": "t", "space": "coils", "address": 70000}]},
        {
            **MINIMAL,
            "tags": [{"name": "t", "space": "coils", "address": 0, "envelope": {"max_step": 0}}],
        },
        {**MINIMAL, "rules": [{"name": "r", "operations": ["wrte"]}]},
        {**MINIMAL, "interlocks": [{"name": "i", "tag": "t"}]},
        {**MINIMAL, "assets": [{"name": "a", "protocol": "modbus", "unit": 256}]},
    ],
)
def test_jsonschema_accepts_the_example_and_rejects_bad_shapes(bad: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(EXAMPLE.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)

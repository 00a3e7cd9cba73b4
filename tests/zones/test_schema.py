"""The published JSON Schema (docs/zones.schema.json) is the one the loader's key lists
generate, and (where the `jsonschema` package is installed) it accepts the example and
rejects what the loader rejects for shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from interlock.zones.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "zones.schema.json"
EXAMPLE = ROOT / "docs" / "examples" / "zones.yaml"


def test_the_published_schema_is_the_generated_one() -> None:
    # Regenerate: PYTHONPATH=src python -m interlock.zones.schema > docs/zones.schema.json
    assert json.loads(PUBLISHED.read_text()) == json_schema()


def test_the_schema_names_every_protocol_and_operation_class() -> None:
    defs = json_schema()["$defs"]
    protocols = defs["conduit"]["properties"]["protocols"]["oneOf"][0]["propertyNames"]["enum"]
    assert {"modbus", "s7comm", "s7comm-plus", "dnp3", "tls", "any"} <= set(protocols)
    operations = defs["conduit"]["properties"]["protocols"]["oneOf"][0]["additionalProperties"]
    assert "program" in operations["oneOf"][1]["items"]["enum"]


@pytest.mark.parametrize(
    "bad",
    [
        {"zones": [{"name": "a", "security_level": 5}]},
        {"zones": [{"name": "a", "security_level": 1, "colour": "red"}]},
        {"zones": [], "conduits": [{"name": "c", "zones": ["a"], "protocols": ["modbuss"]}]},
        {
            "zones": [],
            "conduits": [{"name": "c", "zones": ["a"], "protocols": {"modbus": ["wrte"]}}],
        },
        {"zones": [], "conduits": [{"name": "c", "zones": ["a", "b", "c"], "protocols": ["dns"]}]},
    ],
)
def test_jsonschema_accepts_the_example_and_rejects_bad_shapes(bad: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")  # not in the shared venv today
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(EXAMPLE.read_text()), schema)
    jsonschema.validate(EVERY_FORM, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


EVERY_FORM = {
    "version": 1,
    "zones": [
        {
            "name": "a",
            "security_level": {"IAC": 1, "UC": 1, "SI": 1, "DC": 1, "RDF": 1, "TRE": 1, "RA": 1},
            "members": {"macs": ["001b.1b23.eb3d"], "assets": [3], "hostnames": ["plc-1"]},
        }
    ],
    "conduits": [
        {"name": "c", "zones": ["a"], "protocols": ["dns", {"modbus": ["read"]}, "any"]},
        {"name": "d", "zones": ["a", "a"], "initiator": "a", "protocols": {"s7comm-plus": "any"}},
    ],
}

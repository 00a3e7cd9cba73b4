"""JSON Schema shapes shared by the schemas generated from our YAML loaders (zones, policy)."""

from __future__ import annotations

from typing import Any


def object_shape(
    required: tuple[str, ...], optional: tuple[str, ...], properties: dict[str, Any]
) -> dict[str, Any]:
    """A closed object: exactly the loader's keys (asserted), the required ones required."""
    assert set(properties) == set(required + optional), "schema and loader keys differ"
    shape: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        shape["required"] = list(required)
    shape["additionalProperties"] = False
    return shape


def list_shape(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}

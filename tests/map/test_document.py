"""Contract: the JSON shape of `interlock map --format json` (docs/inventory-map.md)."""

from __future__ import annotations

import orjson

from interlock.map import build_map, map_document
from map.test_build import small_plant

NODE_KEYS = {"id", "kind", "asset_id", "name", "addresses", "roles", "purdue_level", "group",
             "children"}  # fmt: skip
CHILD_KEYS = {"asset_id", "kind", "key", "name"}
EDGE_KEYS = {"client", "server", "protocol", "kind", "operations", "worst_operation",
             "transactions", "remote_access", "packets", "bytes", "connections", "first_seen",
             "last_seen"}  # fmt: skip
GROUP_KEYS = {"id", "label", "nodes"}


def test_document_shape_is_pinned() -> None:
    doc = orjson.loads(orjson.dumps(map_document(build_map(small_plant()))))
    assert set(doc) == {"nodes", "edges", "groups"}
    ids = {n["id"] for n in doc["nodes"]}
    for node in doc["nodes"]:
        assert set(node) == NODE_KEYS
        assert node["kind"] in ("asset", "address")
        assert all(set(c) == CHILD_KEYS for c in node["children"])
    for edge in doc["edges"]:
        assert set(edge) == EDGE_KEYS
        assert edge["client"] in ids and edge["server"] in ids
        assert edge["kind"] in ("operations", "flow")
        assert edge["transactions"] == sum(edge["operations"].values())
    grouped = [n for g in doc["groups"] for n in g["nodes"]]
    assert all(set(g) == GROUP_KEYS for g in doc["groups"])
    assert sorted(grouped) == sorted(ids)  # every node in exactly one group
    gateway = next(n for n in doc["nodes"] if n["id"] == "asset:2")
    assert gateway == {
        "id": "asset:2", "kind": "asset", "asset_id": 2, "name": "Acme",
        "addresses": ["10.0.1.5"], "roles": ["plc", "protocol_gateway"], "purdue_level": 1.0,
        "group": "level-1",
        "children": [{"asset_id": 3, "kind": "modbus_unit", "key": "7", "name": "Pump drive"}],
    }  # fmt: skip
    modbus = next(e for e in doc["edges"] if e["protocol"] == "modbus" and e["client"] == "asset:1")
    assert modbus["operations"] == {"read": 45, "write": 3}
    assert modbus["worst_operation"] == "write" and modbus["bytes"] == 1000

"""The plant a rule test case describes, for rules whose detector asks the plant context.

    plant:
      assets:                                   # address -> what the inventory knows
        10.10.0.5: {purdue_level: 1, zone: cell-a, roles: [plc]}
      conduits:                                 # verdicts conduit_allows returns
        - {client: 10.30.0.9, server: 10.10.0.5, allows: false}
        - {client: 10.20.0.7, server: 10.10.0.5, protocol: modbus, operation: write, allows: true}

Asset ids are given in order (1, 2, ...). A conduit entry without protocol or operation
applies to all; an address pair with no entry gets ``None`` (no opinion), as an address
outside every zone does. Without ``plant:`` a case runs with nothing known.
"""

from __future__ import annotations

from typing import Final

import yaml

from interlock.detect.hits import AssetView
from interlock.detect.nodes import RuleReader

PLANT_KEYS: Final = (), ("assets", "conduits")
ASSET_KEYS: Final = (), ("purdue_level", "zone", "roles")
CONDUIT_KEYS: Final = ("client", "server", "allows"), ("protocol", "operation")

Verdict = tuple[str, str, str | None, str | None, bool]
"""client, server, protocol (None: any), operation (None: any), allows."""


class TablePlant:
    def __init__(self, assets: dict[str, AssetView], conduits: list[Verdict]) -> None:
        self.assets = assets
        self.conduits = conduits

    def asset_at(self, ip: str) -> AssetView | None:
        return self.assets.get(ip)

    def conduit_allows(
        self, client_ip: str, server_ip: str, protocol: str, operation: str
    ) -> bool | None:
        for client, server, proto, op, allows in self.conduits:
            pair = (client, server) == (client_ip, server_ip)
            if pair and proto in (None, protocol) and op in (None, operation):
                return allows
        return None


def parse_plant(reader: RuleReader, node: yaml.Node) -> TablePlant | None:
    fields = reader.mapping(node, "`plant`", *PLANT_KEYS)
    if fields is None:
        return None
    before = len(reader.errors)
    assets: dict[str, AssetView] = {}
    if "assets" in fields:
        for key_node, value in _pairs(reader, fields["assets"]):
            address = reader.string(key_node, "an asset's address")
            view = _asset(reader, value, len(assets) + 1)
            if address is not None and address in assets:
                reader.error(key_node, f"address {address} is listed twice in `plant.assets`")
            elif address is not None and view is not None:
                assets[address] = view
    conduits: list[Verdict] = []
    if "conduits" in fields:
        for item in reader.sequence(fields["conduits"], "`plant.conduits`") or []:
            verdict = _conduit(reader, item)
            if verdict is not None:
                conduits.append(verdict)
    if len(reader.errors) > before:
        return None
    return TablePlant(assets, conduits)


def _pairs(reader: RuleReader, node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        reader.error(node, "`plant.assets` must map addresses to assets")
        return []
    return list(node.value)


def _asset(reader: RuleReader, node: yaml.Node, asset_id: int) -> AssetView | None:
    fields = reader.mapping(node, "an asset", *ASSET_KEYS)
    if fields is None:
        return None
    level = None
    if "purdue_level" in fields:
        level = reader.number(fields["purdue_level"], "purdue_level", 0)
    zone = reader.string(fields["zone"], "zone") if "zone" in fields else None
    roles = reader.strings(fields["roles"], "a role") if "roles" in fields else ()
    return AssetView(asset_id, level, zone, roles)


def _conduit(reader: RuleReader, node: yaml.Node) -> Verdict | None:
    fields = reader.mapping(node, "a conduit verdict", *CONDUIT_KEYS)
    if fields is None or any(key not in fields for key in CONDUIT_KEYS[0]):
        return None
    client = reader.string(fields["client"], "client")
    server = reader.string(fields["server"], "server")
    allows = reader.boolean(fields["allows"], "allows")
    protocol = reader.string(fields["protocol"], "protocol") if "protocol" in fields else None
    operation = reader.string(fields["operation"], "operation") if "operation" in fields else None
    if client is None or server is None or allows is None:
        return None
    return client, server, protocol, operation, allows

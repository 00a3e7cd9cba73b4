"""Kind ``conduit_violation``: commands between zones that no conduit allows (T0855).

Asks the plant context whether a conduit admits (client, server, protocol, operation
class) for every request of the chosen operation classes (writes, program transfers,
mode changes and restarts by default). ``False`` is a hit; ``None`` (an end outside every
zone, or no zones file) means the zones have no opinion and nothing is reported.
Decisions are cached per (client, server, protocol, operation) in a bounded table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from interlock.detect.behaviour.evidence import is_request, tx_hit
from interlock.detect.behaviour.params import Params
from interlock.detect.behaviour.plant import asset_details
from interlock.detect.behaviour.windows import LruTable
from interlock.detect.hits import AssetView, FlowSeen, Hit, PlantContext, RuleInfo, Screen
from interlock.model import Transaction

NOTHING: Final[tuple[Hit, ...]] = ()
COMMANDS: Final = ("write", "program", "mode_change", "restart")


class ConduitViolation:
    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(params, ("operations", "protocols", "max_pairs"))
        self.rule = rule
        self.context = context
        self.operations = p.operations("operations", COMMANDS)
        self.protocols = frozenset(p.protocols("protocols", ())) if "protocols" in params else None
        self.watches = self.protocols
        """Protocols whose transactions can make it fire (None: every protocol)."""
        self.screen = Screen(operations=self.operations)
        if not getattr(context, "judges_conduits", True):
            # No zones: every answer would be None, so no transaction can make it fire.
            self.watches = frozenset()
        self.decisions: LruTable[tuple[str, str, str, str], list[bool | None]] = LruTable(
            p.integer("max_pairs", 10_000), lambda: []
        )

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        operation = tx.operation.value
        if operation not in self.operations or not is_request(tx):
            return NOTHING
        if self.protocols is not None and tx.protocol not in self.protocols:
            return NOTHING
        cached = self.decisions.get((tx.client.ip, tx.server.ip, tx.protocol, operation))
        if not cached:
            cached.append(
                self.context.conduit_allows(tx.client.ip, tx.server.ip, tx.protocol, operation)
            )
        if cached[0] is not False:
            return NOTHING
        client = self.context.asset_at(tx.client.ip)
        server = self.context.asset_at(tx.server.ip)
        where = _zones(client, server)
        message = (
            f"{tx.function_name} ({operation}) over {tx.protocol} from {tx.client.ip} "
            f"to {tx.server.ip}{where}: no conduit allows it"
        )
        details: dict[str, Any] = {
            "operation": operation,
            "function": tx.function_name,
            "client": asset_details(client),
            "server": asset_details(server),
        }
        return (tx_hit(self.rule, tx, message, details),)

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return NOTHING

    def finish(self) -> Iterable[Hit]:
        return NOTHING


def _zones(client: AssetView | None, server: AssetView | None) -> str:
    if client is None or server is None or client.zone is None or server.zone is None:
        return ""
    return f" (zone {client.zone} to zone {server.zone})"

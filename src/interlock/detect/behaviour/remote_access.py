"""Kind ``remote_access``: interactive remote sessions where they do not belong.

``scope: control_levels`` (T0886): a remote-access session (SSH, RDP, VNC, Telnet,
TeamViewer, AnyDesk; SMB only when it connects an administrative share such as ADMIN$ or
C$) whose server the inventory places at Purdue level ``max_level`` or below. TeamViewer
and AnyDesk reach a host through an outbound connection to their relays, so for them the
plant end may be the client.

``scope: external`` (T0822): such a session from a globally routable address to one
inside the plant's private address space, whatever the inventory knows.

One hit per connection and outcome (a Telnet connection with a refused then an accepted
login makes two); the outcome is the paired response's (an SSH key exchange answered is
``succeeded``: the login itself is encrypted and not seen).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from interlock.detect.alert import Outcome
from interlock.detect.behaviour.addresses import is_external
from interlock.detect.behaviour.evidence import outcome_of, tx_hit
from interlock.detect.behaviour.params import Params
from interlock.detect.behaviour.plant import asset_details, placement
from interlock.detect.behaviour.windows import LruTable
from interlock.detect.hits import AssetView, FlowSeen, Hit, PlantContext, RuleInfo
from interlock.model import Transaction

NOTHING: Final[tuple[Hit, ...]] = ()
REMOTE_ACCESS: Final = ("ssh", "rdp", "vnc", "telnet", "teamviewer", "anydesk")
RELAYED: Final = frozenset({"teamviewer", "anydesk"})
NAMES: Final = {
    "ssh": "SSH",
    "rdp": "RDP",
    "vnc": "VNC",
    "telnet": "Telnet",
    "teamviewer": "TeamViewer",
    "anydesk": "AnyDesk",
    "smb": "SMB administrative-share",
    "ftp": "FTP",
}
SHOWN: Final = ("auth_method", "encrypted", "weak_security", "selected_protocol", "path")


class RemoteAccess:
    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(params, ("scope", "protocols", "max_level", "max_sessions"))
        self.rule = rule
        self.context = context
        self.scope = p.choice("scope", "control_levels", ("control_levels", "external"))
        self.protocols = frozenset(p.protocols("protocols", REMOTE_ACCESS))
        self.watches = self.protocols
        self.max_level = p.level("max_level", 2)
        self.sessions: LruTable[tuple[str, int, str, int, Outcome], bool] = LruTable(
            p.integer("max_sessions", 10_000), lambda: False
        )

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        if tx.protocol not in self.protocols or not _is_session(tx):
            return NOTHING
        key = (tx.client.ip, tx.client.port, tx.server.ip, tx.server.port, outcome_of(tx))
        if self.sessions.peek(key) is not None:
            return NOTHING
        hit = self._external(tx) if self.scope == "external" else self._control_levels(tx)
        if hit is None:
            return NOTHING
        self.sessions.get(key)
        return (hit,)

    def _control_levels(self, tx: Transaction) -> Hit | None:
        server = self.context.asset_at(tx.server.ip)
        inside = _at_or_below(server, self.max_level)
        ip, asset = tx.server.ip, server
        if not inside and tx.protocol in RELAYED:
            client = self.context.asset_at(tx.client.ip)
            if _at_or_below(client, self.max_level):
                inside, ip, asset = True, tx.client.ip, client
        if not inside:
            return None
        message = (
            f"{_session(tx)} from {tx.client.ip} to {tx.server.ip}: remote access to "
            f"{ip} ({placement(asset)})"
        )
        return tx_hit(self.rule, tx, message, self._details(tx, asset, ip))

    def _external(self, tx: Transaction) -> Hit | None:
        if not is_external(tx.client.ip) or is_external(tx.server.ip):
            return None
        asset = self.context.asset_at(tx.server.ip)
        message = (
            f"{_session(tx)} from the outside address {tx.client.ip} to {tx.server.ip} "
            f"({placement(asset)})"
        )
        return tx_hit(self.rule, tx, message, self._details(tx, asset, tx.server.ip))

    def _details(self, tx: Transaction, asset: AssetView | None, ip: str) -> dict[str, Any]:
        details: dict[str, Any] = {"function": tx.function_name, "plant_end": ip}
        details.update(asset_details(asset))
        for key in SHOWN:
            if tx.details.get(key) is not None:
                details[key] = tx.details[key]
        details["username_present"] = bool(tx.details.get("username"))
        return details

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return NOTHING

    def finish(self) -> Iterable[Hit]:
        return NOTHING


def _session(tx: Transaction) -> str:
    name = NAMES.get(tx.protocol, tx.protocol)
    return {
        "succeeded": f"{name} session",
        "refused": f"{name} connection refused",
        "attempted": f"{name} connection attempt (not answered)",
    }.get(outcome_of(tx), f"{name} connection")


def _is_session(tx: Transaction) -> bool:
    if tx.protocol == "smb":
        # IPC$ carries every named-pipe call (browsing, licensing, printing): not a login
        # to the host's disks, so only ADMIN$ and drive shares (C$, D$...) count.
        path = tx.details.get("path")
        share = path.rsplit("\\", 1)[-1].upper() if isinstance(path, str) else ""
        tree_connect = tx.function_name.replace(" ", "_").upper().startswith("TREE_CONNECT")
        return tree_connect and tx.details.get("admin_share") is True and share != "IPC$"
    return tx.details.get("remote_access") is True


def _at_or_below(asset: AssetView | None, level: float) -> bool:
    return asset is not None and asset.purdue_level is not None and asset.purdue_level <= level

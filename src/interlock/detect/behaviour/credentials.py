"""Kind ``cleartext_credentials``: logins anyone on the path can read (T0859).

What each dissector already flags, without ever keeping the secret:
- MQTT CONNECT carrying a password (``details.cleartext_credentials``, ``password_len``);
- HTTP Basic (or Proxy) authorization (anomaly ``http.cleartext_credentials``);
- FTP PASS outside TLS; Telnet logins (always cleartext);
- SNMP v1/v2c community strings (``details.cleartext_community``, ``community_length``);
- any other protocol whose transactions set ``details.cleartext_credentials``.

Hits carry presence and lengths only: never a password, community or user name. One
hit per (client, server, protocol) every ``repeat_after`` seconds, since an SNMP manager
sends its community with every poll.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from interlock.detect.alert import Outcome
from interlock.detect.behaviour.evidence import outcome_of, time_of, tx_hit
from interlock.detect.behaviour.params import Params
from interlock.detect.behaviour.windows import SeenRecently
from interlock.detect.hits import FlowSeen, Hit, PlantContext, RuleInfo
from interlock.model import Transaction

NOTHING: Final[tuple[Hit, ...]] = ()
DEFAULT_PROTOCOLS: Final = ("mqtt", "http", "ftp", "telnet", "snmp")
WHAT: Final = {
    "mqtt": "MQTT password",
    "http": "HTTP Basic credentials",
    "ftp": "FTP password",
    "telnet": "Telnet login",
    "snmp": "SNMP community string",
}
VERDICT: Final = {
    "succeeded": "accepted",
    "refused": "refused",
    "attempted": "no answer seen",
    "unknown": "answer not seen",
}


def exposes_credentials(tx: Transaction) -> bool:
    """Whether this transaction put a credential on the wire in cleartext."""
    details = tx.details
    if tx.protocol == "snmp":
        return details.get("cleartext_community") is True
    if tx.protocol == "http":
        return "http.cleartext_credentials" in tx.anomalies
    if tx.protocol == "ftp":
        return tx.function_name.upper() == "PASS" and details.get("cleartext_credentials") is True
    if tx.protocol == "mqtt":
        return tx.function_name == "connect" and details.get("cleartext_credentials") is True
    return details.get("cleartext_credentials") is True


SNMP_AUTHORIZATION_ERROR: Final = 16
"""SNMPv2 error-status authorizationError (RFC 3416); v1 agents drop a wrong community."""


def credential_outcome(tx: Transaction) -> Outcome:
    """Whether the credential was accepted. For SNMP any answer but authorizationError
    means the community was (a failed SET still got past it); elsewhere the login's own
    response decides."""
    if tx.protocol == "snmp" and tx.status in ("ok", "exception"):
        refused = tx.details.get("error_status") == SNMP_AUTHORIZATION_ERROR
        return "refused" if refused else "succeeded"
    return outcome_of(tx)


def credential_details(tx: Transaction) -> dict[str, Any]:
    """Presence and lengths only."""
    details = tx.details
    out: dict[str, Any] = {"function": tx.function_name}
    if tx.protocol == "snmp":
        out["snmp_version"] = details.get("version")
        out["community_length"] = details.get("community_length")
    elif tx.protocol == "mqtt":
        out["username_present"] = bool(details.get("username_present"))
        out["password_length"] = details.get("password_len")
    elif tx.protocol == "http":
        out["scheme"] = details.get("authorization_scheme") or "Basic"
    else:
        out["username_present"] = bool(details.get("username"))
    for key in ("auth_method", "encrypted"):
        if key in details:
            out[key] = details[key]
    return out


class CleartextCredentials:
    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(params, ("protocols", "repeat_after", "max_pairs"))
        self.rule = rule
        self.protocols = frozenset(p.protocols("protocols", DEFAULT_PROTOCOLS))
        self.watches = self.protocols
        self.repeat_after = p.seconds("repeat_after", 3600.0, allow_zero=True)
        self.reported = SeenRecently(p.integer("max_pairs", 10_000), self.repeat_after)

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        if tx.protocol not in self.protocols or not exposes_credentials(tx):
            return NOTHING
        key = (tx.client.ip, tx.server.ip, tx.protocol)
        if not self.reported.first_in_a_while(key, time_of(tx)):
            return NOTHING
        what = WHAT.get(tx.protocol, f"{tx.protocol} credentials")
        outcome = credential_outcome(tx)
        message = (
            f"{what} sent in cleartext from {tx.client.ip} to {tx.server.ip} ({VERDICT[outcome]})"
        )
        details = credential_details(tx)
        details["repeat_after_seconds"] = self.repeat_after
        return (tx_hit(self.rule, tx, message, details, outcome),)

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return NOTHING

    def finish(self) -> Iterable[Hit]:
        return NOTHING

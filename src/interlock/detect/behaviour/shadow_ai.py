"""Kinds ``ai_service`` and ``local_ai_server``: AI use seen from the OT network.

``ai_service``: a DNS query, TLS SNI or HTTP Host naming a cloud AI endpoint from the
shipped catalogue, from a client the plant context places in OT (a zone, or Purdue
level ``max_level`` and below). ``local_ai_server``: HTTP to a model server's API paths
(Ollama, LM Studio, vLLM, any OpenAI-compatible server), or a conversation with a port
only such servers use (Ollama's 11434), with either end in OT.

When the inventory knows nothing of the host, the hit is still made at
``unknown_severity`` and its message says the zone is unknown; hosts placed above
``max_level`` (IT) are not reported. No ATT&CK for ICS technique describes this; the
shipped rules name the closest (T0882 for cloud services, T0867 for local servers) and
say so in their descriptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, cast

from interlock.detect.alert import SEVERITIES, Severity
from interlock.detect.behaviour.ai_catalogue import (
    CATEGORIES,
    AiService,
    DomainMatch,
    DomainMatcher,
    LocalServer,
    domain_error,
    shipped,
)
from interlock.detect.behaviour.evidence import time_of, tx_hit, with_severity
from interlock.detect.behaviour.params import REQUIRED, Params, bad_param
from interlock.detect.behaviour.plant import Standing, asset_details, placement, standing_of
from interlock.detect.behaviour.windows import SeenRecently
from interlock.detect.hits import AssetView, FlowSeen, Hit, PlantContext, RuleInfo
from interlock.model import Transaction

NOTHING: Final[tuple[Hit, ...]] = ()
SOURCES: Final = ("dns", "tls", "http")
DNS_PROTOCOLS: Final = frozenset({"dns", "dns-tcp"})
UNKNOWN_NOTE: Final = "; zone unknown: place the host in the inventory or zones to judge"


def _severity(p: Params) -> Severity:
    return cast(Severity, p.choice("unknown_severity", "low", SEVERITIES))


class AiServiceUse:
    watches: Final = DNS_PROTOCOLS | {"tls", "http"}

    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(
            params,
            (
                "sources",
                "categories",
                "extra_domains",
                "max_level",
                "unknown_severity",
                "repeat_after",
                "max_pairs",
            ),
        )
        self.rule = rule
        self.context = context
        self.sources = frozenset(p.names("sources", SOURCES, SOURCES, "source"))
        categories = frozenset(p.names("categories", CATEGORIES, CATEGORIES, "category"))
        services = [s for s in shipped().services if s.category in categories]
        if "extra_domains" in params:
            extra = p.names("extra_domains", REQUIRED, what="domain")
            for domain in extra:
                problem = domain_error(domain)
                if problem is not None:
                    raise bad_param("extra_domains", problem)
            services.append(
                AiService(
                    "site-list",
                    "site list",
                    "AI service on the site's list",
                    "cloud_api",
                    extra,
                    "",
                )
            )
        self.matcher = DomainMatcher(tuple(services))
        self.max_level = p.level("max_level", 3)
        self.unknown_rule = with_severity(rule, _severity(p))
        self.reported = SeenRecently(
            p.integer("max_pairs", 10_000), p.seconds("repeat_after", 3600.0, allow_zero=True)
        )

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        named = self._name(tx)
        if named is None:
            return NOTHING
        source, name = named
        found = self.matcher.match(name)
        if found is None:
            return NOTHING
        standing, asset = standing_of(self.context, tx.client.ip, self.max_level)
        if standing == "it":
            return NOTHING
        if not self.reported.first_in_a_while((tx.client.ip, found.service.id), time_of(tx)):
            return NOTHING
        return (self._hit(tx, source, name, found, standing, asset),)

    def _name(self, tx: Transaction) -> tuple[str, str] | None:
        if tx.protocol in DNS_PROTOCOLS:
            if "dns" not in self.sources or tx.request_frame is None:
                return None
            name = tx.details.get("query_name")
            return ("dns", name) if isinstance(name, str) else None
        if tx.protocol == "tls" and "tls" in self.sources:
            name = tx.details.get("sni")
            return ("tls", name) if isinstance(name, str) else None
        if tx.protocol == "http" and "http" in self.sources:
            host = tx.details.get("host")
            if not isinstance(host, str):
                return None
            return "http", host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return None

    def _hit(
        self,
        tx: Transaction,
        source: str,
        name: str,
        found: DomainMatch,
        standing: Standing,
        asset: AssetView | None,
    ) -> Hit:
        service = found.service
        verb = {"dns": "looked up", "tls": "opened TLS to", "http": "sent HTTP to"}[source]
        message = (
            f"{tx.client.ip} ({placement(asset)}) {verb} {name}: {service.service} "
            f"({service.vendor})"
        )
        if standing == "unknown":
            message += UNKNOWN_NOTE
        details: dict[str, Any] = {
            "source": source,
            "name": name,
            "service": service.id,
            "vendor": service.vendor,
            "category": service.category,
            "pattern": found.pattern,
            "catalogue_reviewed": service.reviewed,
            "zone_known": standing == "ot",
        }
        details.update(asset_details(asset))
        rule = self.rule if standing == "ot" else self.unknown_rule
        return tx_hit(rule, tx, message, details)

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return NOTHING

    def finish(self) -> Iterable[Hit]:
        return NOTHING


class LocalAiServer:
    watches: Final = frozenset({"http"})

    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(
            params,
            ("max_level", "unknown_severity", "repeat_after", "flows", "min_packets", "max_pairs"),
        )
        self.rule = rule
        self.context = context
        self.servers = shipped().local_servers
        self.alone = {port: s for s in self.servers if s.port_alone for port in s.ports}
        self.max_level = p.level("max_level", 3)
        self.unknown_rule = with_severity(rule, _severity(p))
        self.flows = p.boolean("flows", True)
        self.min_packets = p.integer("min_packets", 6)
        self.reported = SeenRecently(
            p.integer("max_pairs", 10_000), p.seconds("repeat_after", 3600.0, allow_zero=True)
        )

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        if tx.protocol != "http" or tx.request_frame is None:
            return NOTHING
        uri = tx.details.get("uri")
        if not isinstance(uri, str):
            return NOTHING
        path = uri.split("?", 1)[0]
        server = self._server(tx.server.port, path)
        if server is None:
            return NOTHING
        judged = self._judge(tx.client.ip, tx.server.ip, tx.server.port, time_of(tx))
        if judged is None:
            return NOTHING
        rule, standing, ip, asset = judged
        message = (
            f"{tx.client.ip} called {server.product} API {path} on "
            f"{tx.server.ip}:{tx.server.port}; {ip} is {placement(asset)}"
        )
        details = self._details(server, standing, ip, asset)
        details.update(path=path, method=tx.details.get("method"))
        return (
            tx_hit(rule, tx, message + (UNKNOWN_NOTE if standing == "unknown" else ""), details),
        )

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        server = self.alone.get(flow.server.port)
        if not self.flows or server is None or flow.transport != "tcp":
            return NOTHING
        if flow.packets < self.min_packets:
            return NOTHING
        judged = self._judge(flow.client.ip, flow.server.ip, flow.server.port, flow.first_seen)
        if judged is None:
            return NOTHING
        rule, standing, ip, asset = judged
        message = (
            f"{flow.client.ip} talked to {flow.server.ip} on port {flow.server.port}, "
            f"{server.product}'s port; {ip} is {placement(asset)}"
        )
        if standing == "unknown":
            message += UNKNOWN_NOTE
        details = self._details(server, standing, ip, asset)
        details.update(packets=flow.packets, octets=flow.octets, seen_in="flow")
        return (
            Hit(
                rule,
                flow.protocol or flow.transport,
                flow.client,
                flow.server,
                flow.first_seen,
                flow.first_frame,
                "unknown",
                message,
                details,
            ),
        )

    def finish(self) -> Iterable[Hit]:
        return NOTHING

    def _server(self, port: int, path: str) -> LocalServer | None:
        for wanted_port in (True, False):
            for server in self.servers:
                if bool(server.ports) != wanted_port or (server.ports and port not in server.ports):
                    continue
                if any(path.startswith(prefix) for prefix in server.paths):
                    return server
        return None

    def _judge(
        self, client: str, server: str, port: int, ts: float
    ) -> tuple[RuleInfo, Standing, str, AssetView | None] | None:
        """The rule to report under and the plant end, or None (IT, or reported lately)."""
        ends = [(ip, *standing_of(self.context, ip, self.max_level)) for ip in (server, client)]
        inside = [end for end in ends if end[1] == "ot"]
        unknown = [end for end in ends if end[1] == "unknown"]
        if inside:
            ip, standing, asset = inside[0]
        elif unknown:
            ip, standing, asset = unknown[0]
        else:
            return None
        if not self.reported.first_in_a_while((client, server, port), ts):
            return None
        return (self.rule if standing == "ot" else self.unknown_rule), standing, ip, asset

    def _details(
        self, server: LocalServer, standing: Standing, ip: str, asset: AssetView | None
    ) -> dict[str, Any]:
        details: dict[str, Any] = {
            "product": server.product,
            "server_kind": server.id,
            "plant_end": ip,
            "zone_known": standing == "ot",
            "catalogue_reviewed": server.reviewed,
        }
        details.update(asset_details(asset))
        return details

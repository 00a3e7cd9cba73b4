"""What an OPC UA transaction's details carry, JSON-friendly: the service's facts, nodes
and values, endpoint and application descriptions (identity evidence for inventory), the
user identity kind (never a password), and certificate summaries."""

from __future__ import annotations

from interlock.protocols.opcua.messages import (
    Application,
    BrowseItem,
    CallItem,
    Endpoint,
    IdentityToken,
    ReadItem,
    ServiceMessage,
    ValueItem,
    WriteItem,
)
from interlock.protocols.opcua.session import UaMessage
from interlock.protocols.opcua.variant import Variant

MODES = ("Invalid", "None", "Sign", "SignAndEncrypt")
APPLICATION_TYPES = ("Server", "Client", "ClientAndServer", "DiscoveryServer")


def _name(names: tuple[str, ...], value: int) -> str:
    return names[value] if 0 <= value < len(names) else f"unknown({value})"


def value(v: Variant) -> dict[str, object]:
    return {"type": v.type_name, "value": v.value}


def application(app: Application) -> dict[str, object]:
    return {
        "uri": app.uri,
        "product_uri": app.product_uri,
        "name": app.name,
        "type": _name(APPLICATION_TYPES, app.type),
        "discovery_urls": list(app.discovery_urls),
    }


def endpoint(ep: Endpoint) -> dict[str, object]:
    return {
        "url": ep.url,
        "security_mode": _name(MODES, ep.security_mode),
        "security_policy_uri": ep.policy_uri,
        "server": application(ep.server),
        "user_token_types": list(ep.token_types),
        "security_level": ep.security_level,
        "certificate_sha1": ep.certificate_sha1,
    }


def identity(token: IdentityToken) -> dict[str, object]:
    return {
        "kind": token.kind,
        "policy_id": token.policy_id,
        "user_name": token.user_name,
        "password_present": token.password_present,
        "password_cleartext": token.password_cleartext,
        "certificate_sha1": token.certificate_sha1,
    }


def _items(service: ServiceMessage) -> dict[str, object]:
    """The service's items, grouped by kind, in wire order."""
    groups: dict[str, list[object]] = {}
    for item in service.items:
        if isinstance(item, ReadItem):
            groups.setdefault("nodes", []).append({"node": item.node, "attribute": item.attribute})
        elif isinstance(item, WriteItem):
            written = {"node": item.node, "attribute": item.attribute, **value(item.value)}
            if item.index_range:
                written["index_range"] = item.index_range
            groups.setdefault("writes", []).append(written)
        elif isinstance(item, CallItem):
            call = {
                "object": item.object_id,
                "method": item.method_id,
                "argument_count": item.argument_count,
                "arguments": [value(a) for a in item.arguments],
            }
            groups.setdefault("calls", []).append(call)
        elif isinstance(item, BrowseItem):
            groups.setdefault("browse", []).append({"node": item.node, "direction": item.direction})
        elif isinstance(item, ValueItem):
            groups.setdefault("values", []).append({**value(item.value), "status": item.status})
        elif isinstance(item, Endpoint):
            groups.setdefault("endpoints", []).append(endpoint(item))
        elif isinstance(item, Application):
            key = "servers" if service.is_response else "client"
            groups.setdefault(key, []).append(application(item))
        elif isinstance(item, IdentityToken):
            groups["identity"] = [identity(item)]
    found: dict[str, object] = dict(groups)
    for key in ("client", "identity"):
        if key in groups:
            found[key] = groups[key][0]
    return found


def details_of(request: UaMessage | None, response: UaMessage | None) -> dict[str, object]:
    found: dict[str, object] = {}
    first = request or response
    assert first is not None
    found["channel_id"] = first.channel_id
    found["request_id"] = first.request_id
    found["security_mode"] = _name(MODES, first.security_mode)
    if first.policy_uri is not None:
        found["security_policy_uri"] = first.policy_uri
    for message, side in ((request, "client"), (response, "server")):
        if message is None:
            continue
        if message.certificate is not None:
            found[f"{side}_certificate"] = message.certificate.details()
        if message.abort is not None:
            found["abort"] = {"error": message.abort.error, "reason": message.abort.reason}
        if message.service is not None:
            service = message.service
            if service.request_handle >= 0:
                found["request_handle"] = service.request_handle
            found.update(service.info)
            found.update(_items(service))
    return found

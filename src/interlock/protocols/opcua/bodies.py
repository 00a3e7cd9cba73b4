"""Service bodies after the request or response header (OPC 10000-4, section 5), for the
services whose content matters to inventory and detection: secure channel set-up, Read,
Write, Call, Browse, subscriptions and monitored items (session and discovery bodies are
in discovery.py).

Each decoder reads one body from a Reader and returns (items, info); it raises
``Truncated`` when the bytes end early (the caller keeps the header and flags it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from interlock.protocols.opcua.binary import Reader
from interlock.protocols.opcua.discovery import (
    activate_session_request,
    activate_session_response,
    create_session_request,
    create_session_response,
    find_servers_response,
    get_endpoints_request,
    get_endpoints_response,
)
from interlock.protocols.opcua.messages import (
    BrowseItem,
    CallItem,
    Info,
    ReadItem,
    ValueItem,
    WriteItem,
)
from interlock.protocols.opcua.variant import (
    MAX_KEPT,
    Variant,
    data_value,
    diagnostic_info,
    extension_object,
    localized_text,
    qualified_name,
    variant,
)

Body = tuple[tuple[object, ...], Info]
Decoder = Callable[[Reader], Body]


def _diagnostics(r: Reader) -> None:
    for _ in range(r.count()):
        diagnostic_info(r)


def _statuses(r: Reader) -> tuple[int, ...]:
    return tuple(r.u32() for _ in range(r.count()))


def _read_value_id(r: Reader) -> ReadItem:
    node = r.node_id().text()
    attribute = r.u32()
    r.string()  # index range
    qualified_name(r)  # data encoding
    return ReadItem(node, attribute)


def _arguments(r: Reader) -> tuple[int, tuple[Variant, ...]]:
    n = r.count()
    kept = [variant(r) for _ in range(min(n, MAX_KEPT))]
    for _ in range(n - len(kept)):
        variant(r)
    return n, tuple(kept)


def open_channel_request(r: Reader) -> Body:
    version = r.u32()
    request_type = r.i32()
    mode = r.i32()
    r.bytestring()  # client nonce
    lifetime = r.u32()
    return (), (
        ("client_protocol_version", version),
        ("request_type", request_type),
        ("requested_security_mode", mode),
        ("requested_lifetime", lifetime),
    )


def open_channel_response(r: Reader) -> Body:
    version = r.u32()
    channel, token = r.u32(), r.u32()
    r.i64()  # created at
    lifetime = r.u32()
    r.bytestring()  # server nonce
    return (), (
        ("server_protocol_version", version),
        ("channel_id", channel),
        ("token_id", token),
        ("revised_lifetime", lifetime),
    )


def close_session_request(r: Reader) -> Body:
    return (), (("delete_subscriptions", r.boolean()),)


def read_request(r: Reader) -> Body:
    max_age = r.f64()
    timestamps = r.i32()
    items = tuple(_read_value_id(r) for _ in range(r.count()))
    return items, (("max_age", max_age), ("timestamps_to_return", timestamps))


def read_response(r: Reader) -> Body:
    items = tuple(ValueItem(*data_value(r)) for _ in range(r.count()))
    _diagnostics(r)
    return items, ()


def write_request(r: Reader) -> Body:
    items = []
    for _ in range(r.count()):
        node = r.node_id().text()
        attribute = r.u32()
        index_range = r.string()
        value, _status = data_value(r)
        items.append(WriteItem(node, attribute, value, index_range))
    return tuple(items), ()


def status_response(r: Reader) -> Body:
    """Write, and every response that is a list of status codes and diagnostics."""
    statuses = _statuses(r)
    _diagnostics(r)
    return (), (("results", list(statuses)),)


def call_request(r: Reader) -> Body:
    items = []
    for _ in range(r.count()):
        object_id = r.node_id().text()
        method_id = r.node_id().text()
        count, arguments = _arguments(r)
        items.append(CallItem(object_id, method_id, count, arguments))
    return tuple(items), ()


def call_response(r: Reader) -> Body:
    items = []
    statuses = []
    for _ in range(r.count()):
        status = r.u32()
        _statuses(r)
        _diagnostics(r)
        _count, outputs = _arguments(r)
        statuses.append(status)
        items += [ValueItem(output, status) for output in outputs]
    _diagnostics(r)
    return tuple(items), (("results", statuses),)


def browse_request(r: Reader) -> Body:
    view = r.node_id().text()
    r.i64()
    r.u32()
    max_refs = r.u32()
    items = []
    for _ in range(r.count()):
        node = r.node_id().text()
        direction = r.i32()
        r.node_id()  # reference type
        r.boolean()
        r.u32()
        r.u32()
        items.append(BrowseItem(node, direction))
    return tuple(items), (("view", view), ("max_references", max_refs))


def browse_response(r: Reader) -> Body:
    statuses = []
    references = 0
    for _ in range(r.count()):
        statuses.append(r.u32())
        r.bytestring()  # continuation point
        for _ in range(r.count()):
            r.node_id()
            r.boolean()
            r.expanded_node_id()
            qualified_name(r)
            localized_text(r)
            r.i32()
            r.expanded_node_id()
            references += 1
    _diagnostics(r)
    return (), (("results", statuses), ("references", references))


def browse_next_request(r: Reader) -> Body:
    release = r.boolean()
    points = sum(1 for _ in range(r.count()) if r.bytestring() is not None)
    return (), (("release_continuation_points", release), ("continuation_points", points))


def create_subscription_request(r: Reader) -> Body:
    interval = r.f64()
    lifetime, keep_alive, per_publish = r.u32(), r.u32(), r.u32()
    enabled = r.boolean()
    priority = r.u8()
    return (), (
        ("publishing_interval", interval),
        ("lifetime_count", lifetime),
        ("max_keep_alive_count", keep_alive),
        ("max_notifications_per_publish", per_publish),
        ("publishing_enabled", enabled),
        ("priority", priority),
    )


def create_subscription_response(r: Reader) -> Body:
    subscription = r.u32()
    interval = r.f64()
    r.u32()
    r.u32()
    return (), (("subscription_id", subscription), ("publishing_interval", interval))


def publish_request(r: Reader) -> Body:
    acks = r.count()
    for _ in range(acks):
        r.u32()
        r.u32()
    return (), (("acknowledgements", acks),)


def publish_response(r: Reader) -> Body:
    subscription = r.u32()
    for _ in range(r.count()):
        r.u32()
    more = r.boolean()
    sequence = r.u32()
    r.i64()
    notifications = r.count()
    for _ in range(notifications):
        extension_object(r)
    _items, results = status_response(r)
    return (), (
        ("subscription_id", subscription),
        ("more_notifications", more),
        ("sequence_number", sequence),
        ("notifications", notifications),
        *results,
    )


def create_monitored_items_request(r: Reader) -> Body:
    subscription = r.u32()
    timestamps = r.i32()
    items = []
    for _ in range(r.count()):
        items.append(_read_value_id(r))
        r.i32()  # monitoring mode
        r.u32()  # client handle
        r.f64()  # sampling interval
        extension_object(r)  # filter
        r.u32()  # queue size
        r.boolean()  # discard oldest
    return tuple(items), (("subscription_id", subscription), ("timestamps_to_return", timestamps))


def create_monitored_items_response(r: Reader) -> Body:
    statuses = []
    for _ in range(r.count()):
        statuses.append(r.u32())
        r.u32()
        r.f64()
        r.u32()
        extension_object(r)
    _diagnostics(r)
    return (), (("results", statuses),)


def empty(r: Reader) -> Body:
    return (), ()


DECODERS: Final[dict[str, Decoder]] = {
    "OpenSecureChannelRequest": open_channel_request,
    "OpenSecureChannelResponse": open_channel_response,
    "CloseSecureChannelRequest": empty,
    "CreateSessionRequest": create_session_request,
    "CreateSessionResponse": create_session_response,
    "ActivateSessionRequest": activate_session_request,
    "ActivateSessionResponse": activate_session_response,
    "CloseSessionRequest": close_session_request,
    "CloseSessionResponse": empty,
    "GetEndpointsRequest": get_endpoints_request,
    "GetEndpointsResponse": get_endpoints_response,
    "FindServersRequest": get_endpoints_request,
    "FindServersResponse": find_servers_response,
    "ReadRequest": read_request,
    "ReadResponse": read_response,
    "WriteRequest": write_request,
    "WriteResponse": status_response,
    "CallRequest": call_request,
    "CallResponse": call_response,
    "BrowseRequest": browse_request,
    "BrowseResponse": browse_response,
    "BrowseNextRequest": browse_next_request,
    "BrowseNextResponse": browse_response,
    "CreateSubscriptionRequest": create_subscription_request,
    "CreateSubscriptionResponse": create_subscription_response,
    "PublishRequest": publish_request,
    "PublishResponse": publish_response,
    "CreateMonitoredItemsRequest": create_monitored_items_request,
    "CreateMonitoredItemsResponse": create_monitored_items_response,
    "DeleteSubscriptionsResponse": status_response,
    "DeleteMonitoredItemsResponse": status_response,
    "ServiceFault": empty,
}
"""Message name -> body decoder; the others are named but their bodies not decoded."""

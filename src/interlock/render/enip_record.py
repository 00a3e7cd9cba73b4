"""EtherNet/IP and CIP units as Wireshark 4.0 shows them (packet-enip.c, packet-cip.c).

One record per encapsulation packet. Wireshark's quirks live here only:
- the CIP fields of every service a packet carries (Multiple Service Packet members, the
  request inside an Unconnected Send) are listed together, in wire order;
- a response repeats, as generated fields, the path of the request it answers (and for
  an Unconnected Send the path of the embedded request as well); Multiple Service Packet
  replies are paired with their requests only when the service counts agree;
- connected data (SendUnitData, and class 0/1 I/O) repeats the connection path of the
  Forward Open that opened its connection, and is read as explicit messaging only on a
  connection to the Message Router; a Forward Close repeats it too, and Forward Open and
  Close replies repeat the request's connection path;
- cip.attribute also lists the attributes of Get/Set_Attribute_List requests and replies
  and of Get_Attributes_All replies, as far as Wireshark walks them, whatever the status;
- a malformed message (a list count the data cannot hold, a value or a fixed field cut
  short) stops the dissection of the rest of the packet, as Wireshark's exception does;
- enip.response_to is given on explicit messaging responses whose request was seen.
"""

from __future__ import annotations

from typing import Any, Final

from interlock.protocols.cip import attributes
from interlock.protocols.cip.connection import reply_shape
from interlock.protocols.cip.epath import Path
from interlock.protocols.cip.message import CipMessage, unconnected_send_failed
from interlock.protocols.cip.services import (
    GET_ATTRIBUTE_LIST,
    GET_ATTRIBUTE_SINGLE,
    GET_ATTRIBUTES_ALL,
    MESSAGE_ROUTER,
    MULTIPLE_SERVICE_PACKET,
    SET_ATTRIBUTE_LIST,
    SET_ATTRIBUTE_SINGLE,
)
from interlock.protocols.enip.commands import SEND_UNIT_DATA
from interlock.protocols.enip.connections import Connection
from interlock.protocols.enip.encap import EnipPacket
from interlock.protocols.enip.session import EnipContext

Fields = dict[str, list[Any]]

_CONNECTION_CONFIGURATION: Final = 0xF3
_FIND_NEXT_OBJECT_INSTANCE: Final = 0x11
_REPLY_DATA_NEEDED: Final = {0x08: 2, 0x1C: 1}  # Create's new instance, Group Sync's result
# Classes whose Wireshark dissector reads a Get_Attributes_All reply only when it succeeded.
_DECODED_ON_SUCCESS_ONLY: Final = frozenset({0x3A})
_PATH_FIELDS: Final = {
    "class": "cip.class",
    "instance": "cip.instance",
    "attribute": "cip.attribute",
}
_CIP_FIELDS: Final = (
    "cip.service",
    "cip.sc",
    "cip.genstat",
    "cip.class",
    "cip.instance",
    "cip.attribute",
    "cip.symbol",
)
# Anomalies after which Wireshark's dissection of the message throws, by where it stops.
_STOPS_AT_HEADER: Final = frozenset({"cip.truncated", "cip.status_truncated", "cip.path_truncated"})
_STOPS_AFTER_PATH: Final = frozenset(
    {
        "cip.unconnected_send_truncated",
        "cip.connection_request_truncated",
        "cip.msp_truncated",
    }
)
_STOPS_AT_END: Final = frozenset(
    {
        "cip.route_path_missing",
        "cip.route_path_truncated",
        "cip.connection_path_truncated",
        "cip.msp_offset_invalid",
    }
)


class _Malformed(Exception):
    """Wireshark would throw here: nothing after this point is dissected."""


def enip_record(
    packet: EnipPacket, role: int, context: EnipContext | None
) -> tuple[None, dict[str, Any], tuple[str, ...]]:
    """Fields and anomalies of one encapsulation packet (or class 0/1 I/O datagram)."""
    f: dict[str, Any] = {}
    connection = context.connection if context is not None else None
    out: Fields = {name: [] for name in _CIP_FIELDS}
    if packet.is_io:
        if packet.connection_id >= 0:
            f["enip.cpf.sai.connid"] = packet.connection_id
        if packet.sequence >= 0:
            f["enip.cpf.sai.seq"] = packet.sequence
        if connection is not None:
            _path(connection.path, out)
        return None, _lists(f, out), packet.anomalies
    f["enip.command"] = packet.command
    f["enip.session"] = packet.session
    f["enip.status"] = packet.status
    if packet.identities:
        _identities(packet, f)
    if packet.command == SEND_UNIT_DATA and packet.connection_id >= 0:
        f["enip.cpf.cai.connid"] = packet.connection_id
    cip = packet.cip
    if cip is None:
        return None, f, packet.anomalies
    if context is not None and context.adu is not None and cip.is_response:
        f["enip.response_to"] = context.frame
    _explicit(packet, cip, context, out)
    return None, _lists(f, out), packet.anomalies + cip.anomalies


def _explicit(
    packet: EnipPacket, cip: CipMessage, context: EnipContext | None, out: Fields
) -> None:
    """The CIP fields of an explicit message, with its connection's path when it has one."""
    connection = context.connection if context is not None else None
    request = None
    if context is not None and context.adu is not None and cip.is_response:
        request = context.adu.cip
    connected = connection is not None and packet.command == SEND_UNIT_DATA
    if connected and connection is not None and connection.path.last("class") != MESSAGE_ROUTER:
        _path(connection.path, out)  # Wireshark reads explicit messages only on connections
        return  # to the Message Router
    closing = context.closing if context is not None else None
    try:
        _message(cip, request, closing, out)
    except _Malformed:
        return  # the connection information is shown after the message: it is lost too
    if connected and connection is not None:
        first: Fields = {name: [] for name in _CIP_FIELDS}
        _path(connection.path, first)
        for name in _CIP_FIELDS:
            out[name][:0] = first[name]


def _lists(f: dict[str, Any], out: Fields) -> dict[str, Any]:
    """A field seen once is a value, one seen several times a list in wire order."""
    for name in _CIP_FIELDS:
        values = out[name]
        if values:
            f[name] = values if len(values) > 1 else values[0]
    return f


def _identities(packet: EnipPacket, f: dict[str, Any]) -> None:
    items = packet.identities
    columns: dict[str, list[Any]] = {
        "enip.lir.vendor": [i.vendor_id for i in items],
        "enip.lir.devtype": [i.device_type for i in items],
        "enip.lir.prodcode": [i.product_code for i in items],
        "enip.lir.revision": [i.revision for i in items],
        "enip.lir.serial": [i.serial for i in items],
        "enip.lir.name": [i.product_name for i in items],
    }
    for name, values in columns.items():
        f[name] = values if len(values) > 1 else values[0]


def _path(path: Path, out: Fields) -> None:
    for seg in path.segments:
        name = _PATH_FIELDS.get(seg.kind)
        if name is not None:
            out[name].append(seg.value)
        elif seg.kind == "symbol":
            out["cip.symbol"].append(seg.text)


def _check(msg: CipMessage, stops: frozenset[str]) -> None:
    if msg.anomalies and not stops.isdisjoint(msg.anomalies):
        raise _Malformed


def _message(
    msg: CipMessage, request: CipMessage | None, closing: Connection | None, out: Fields
) -> None:
    if msg.service_raw < 0:
        return
    out["cip.service"].append(msg.service_raw)
    out["cip.sc"].append(msg.service_raw & 0x7F)
    if msg.is_response:
        if msg.general_status >= 0:
            out["cip.genstat"].append(msg.general_status)
        _check(msg, _STOPS_AT_HEADER)
        _response(msg, request, out)
    else:
        _check(msg, _STOPS_AT_HEADER)
        _request(msg, closing, out)
    _check(msg, _STOPS_AT_END)


def _dissected(requests: tuple[CipMessage, ...]) -> int:
    """How many of a packet's requests Wireshark got to (and so remembers for the replies):
    those before the one whose dissection threw, and that one."""
    scratch: Fields = {name: [] for name in _CIP_FIELDS}
    for i, request in enumerate(requests):
        try:
            _message(request, None, None, scratch)
        except _Malformed:
            return i + 1
    return len(requests)


def _value(data: bytes, request: CipMessage) -> None:
    """The attribute a request's path names, decoded from data: a value cut short throws."""
    path = request.path
    walk = attributes.single_value(
        data, request.class_id, path.last("instance"), path.last("attribute")
    )
    if walk.end == "truncated":
        raise _Malformed


def _walked(walk: attributes.AttributeWalk, out: Fields) -> None:
    out["cip.attribute"].extend(v.attribute for v in walk.values)
    if walk.end == "truncated":
        raise _Malformed


def _request(msg: CipMessage, closing: Connection | None, out: Fields) -> None:
    _path(msg.path, out)
    _check(msg, _STOPS_AFTER_PATH)
    service = msg.service_raw
    if service == _FIND_NEXT_OBJECT_INSTANCE and not msg.data:
        raise _Malformed  # the maximum count it needs is missing
    if service == MULTIPLE_SERVICE_PACKET or msg.is_unconnected_send:
        for inner in msg.embedded:
            _message(inner, None, None, out)
        _path(msg.route, out)
    elif msg.is_forward_open or msg.is_forward_close:
        _path(msg.route, out)
        if msg.is_forward_close and closing is not None:
            _path(closing.path, out)  # the connection the Forward Close ends
    elif service == GET_ATTRIBUTE_LIST:
        _walked(attributes.attribute_list_request(msg.data), out)
    elif service == SET_ATTRIBUTE_LIST:
        inst = msg.path.last("instance")
        _walked(attributes.set_attribute_list_request(msg.data, msg.class_id, inst), out)
    elif service == SET_ATTRIBUTE_SINGLE:
        _value(msg.data, msg)


def _response(msg: CipMessage, request: CipMessage | None, out: Fields) -> None:
    if request is not None:
        _path(request.path, out)
        if request.is_unconnected_send and request.embedded and not unconnected_send_failed(msg):
            request = request.embedded[0]  # the target's reply, passed back by the router
            _path(request.path, out)
        elif (
            request.is_forward_open or request.is_forward_close
        ) and msg.service == request.service:
            shape = reply_shape(request, msg)
            if shape == "truncated":
                raise _Malformed
            if shape == "complete":
                _path(request.route, out)
    _check(msg, _STOPS_AFTER_PATH)
    service = msg.service
    if service == MULTIPLE_SERVICE_PACKET:
        asked = request.embedded if request is not None and request.service == service else ()
        if len(asked) != len(msg.embedded):  # Wireshark pairs the services only one to one
            asked = ()
        known = _dissected(asked)
        for i, inner in enumerate(msg.embedded):
            _message(inner, asked[i] if i < known else None, None, out)
        return
    if len(msg.data) < _REPLY_DATA_NEEDED.get(service, 0) and (msg.data or not msg.general_status):
        raise _Malformed
    cls = request.class_id if request is not None else None
    inst = request.path.last("instance") if request is not None else None
    if service == GET_ATTRIBUTE_LIST:
        _walked(attributes.attribute_list_reply(msg.data, cls, inst), out)
    elif service == GET_ATTRIBUTE_SINGLE and request is not None:
        if msg.data or not msg.general_status:
            _value(msg.data, request)
    elif service == SET_ATTRIBUTE_LIST:
        _walked(attributes.set_attribute_list_reply(msg.data), out)
    elif service == GET_ATTRIBUTES_ALL:
        if cls == _CONNECTION_CONFIGURATION and inst:
            if not msg.general_status and len(msg.data) >= 4:
                out["cip.genstat"].append(msg.data[0])  # the connection status it opens with
        elif not (cls in _DECODED_ON_SUCCESS_ONLY and msg.general_status):
            _walked(attributes.attributes_all_reply(msg.data, cls, inst), out)


__all__ = ["enip_record"]

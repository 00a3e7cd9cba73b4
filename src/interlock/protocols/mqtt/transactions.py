"""MQTT exchanges as the engine's typed transactions.

One transaction per CONNECT/CONNACK (session), PUBLISH (write; QoS 1 and 2 with their
PUBACK or PUBREC), PUBREL/PUBCOMP, SUBSCRIBE/SUBACK (read), UNSUBSCRIBE/UNSUBACK,
PINGREQ/PINGRESP (diagnostic); QoS 0 PUBLISH, DISCONNECT and AUTH stand alone. A PUBLISH
is a request whichever side sends it (a broker delivering to a subscriber sends it from
the server): ``is_request`` goes by packet type, not by direction.

Targets name topics: ``Target(unit=0, space="topic:" + topic name or filter, start=0,
quantity=1)``. A refused CONNACK and failing PUBACK, PUBREC, PUBCOMP, SUBACK or UNSUBACK
codes (0x80 and above) make status "exception" with the code. The password is never here:
CONNECT details say only whether one was sent and its length, and ``cleartext_credentials``
is true when a user name or password travelled in the clear (see the package docstring).
"""

from __future__ import annotations

from typing import Any, Final

from interlock.model import (
    Endpoint,
    OperationClass,
    Target,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.mqtt.connect import CLEAN_SESSION, PASSWORD, USERNAME, WILL, WILL_RETAIN
from interlock.protocols.mqtt.packets import MqttPacket
from interlock.protocols.mqtt.properties import Property
from interlock.protocols.mqtt.session import ANSWERS, SeenRequest, Unit, pairing_key
from interlock.protocols.mqtt.vocabulary import (
    AUTH,
    CONNACK,
    CONNECT,
    DISCONNECT,
    FAILURE,
    PINGREQ,
    PROPERTIES,
    PUBLISH,
    PUBREL,
    SUBACK,
    SUBSCRIBE,
    UNSUBACK,
    UNSUBSCRIBE,
    packet_name,
    reason_name,
)

__all__ = ["build", "is_request", "pairing_key", "view"]

OPERATIONS: Final[dict[int, OperationClass]] = {
    CONNECT: OperationClass.SESSION,
    PUBLISH: OperationClass.WRITE,
    PUBREL: OperationClass.WRITE,
    SUBSCRIBE: OperationClass.READ,
    UNSUBSCRIBE: OperationClass.OTHER,
    PINGREQ: OperationClass.DIAGNOSTIC,
    DISCONNECT: OperationClass.SESSION,
    AUTH: OperationClass.SESSION,
}


def view(message: MqttPacket, answered: Unit | None) -> tuple[Unit, SeenRequest | None] | None:
    """The unit as its connection reads it, and for an acknowledgement what it answers."""
    if answered is None:
        return None
    return answered, answered.request


def is_request(unit: Unit) -> bool:
    """By packet type. Packets that expect no answer are not requests either: the
    transaction sink then emits them at once, alone."""
    return unit.is_request


def build(
    client: Endpoint,
    server: Endpoint,
    request: Unit | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Unit | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a packet and/or its acknowledgement."""
    alone = request is None and response is not None and not response.is_answer
    if alone:
        request, request_frame, request_ts = response, response_frame, response_ts
        response, response_frame, response_ts = None, None, None
    first = request or response
    assert first is not None
    kind = ANSWERS.get(first.packet.packet_type, first.packet.packet_type)
    status, code = _status(request, response, alone)
    details = _details(request, response)
    return Transaction(
        protocol="mqtt",
        client=client,
        server=server,
        function=kind,
        function_name=packet_name(kind),
        operation=OPERATIONS.get(kind, OperationClass.OTHER),
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=_targets(request or response),
        exception_code=code,
        details=details,
        anomalies=merge_anomalies(
            request,
            request.packet if request else None,
            response,
            response.packet if response else None,
        ),
    )


def _failure(unit: Unit) -> int | None:
    """The failing return or reason code an answer carries, if any."""
    packet = unit.packet
    if packet.packet_type == CONNACK:
        return packet.reason_code if packet.reason_code > 0 else None
    if packet.packet_type in (SUBACK, UNSUBACK):
        return next((c for c in packet.codes if c >= FAILURE), None)
    return packet.reason_code if packet.reason_code >= FAILURE else None


def _status(
    request: Unit | None, response: Unit | None, alone: bool
) -> tuple[TransactionStatus, int | None]:
    answer = response or (request if alone else None)
    code = _failure(answer) if answer is not None else None
    if code is not None:
        return "exception", code
    if alone or (request is not None and response is not None):
        return "ok", None
    return ("unanswered" if request is not None else "unknown"), None


def _targets(unit: Unit | None) -> tuple[Target, ...]:
    if unit is None:
        return ()
    packet = unit.packet
    if packet.packet_type == PUBLISH:
        return (Target(0, "topic:" + (unit.topic or ""), 0, 1),)
    if packet.packet_type in (SUBSCRIBE, UNSUBSCRIBE):
        return tuple(Target(0, "topic:" + s.topic_filter, 0, 1) for s in packet.subscriptions)
    return ()


def properties_of(properties: tuple[Property, ...] | None) -> dict[str, Any]:
    """v5 properties by name; user properties as a list of [name, value]."""
    out: dict[str, Any] = {}
    for prop in properties or ():
        name = PROPERTIES.get(prop.ident, (f"unknown_{prop.ident}", ""))[0]
        if isinstance(prop.value, tuple):
            out.setdefault(name, []).append(list(prop.value))
        else:
            out[name] = prop.value
    return out


def _details(request: Unit | None, response: Unit | None) -> dict[str, object]:
    details: dict[str, object] = {}
    first = request or response
    assert first is not None
    details["version"] = first.version
    if request is not None:
        packet = request.packet
        if packet.packet_type == CONNECT:
            details.update(_connect_details(packet))
        elif packet.packet_type == PUBLISH:
            details.update(_publish_details(request))
        elif packet.packet_type in (SUBSCRIBE, UNSUBSCRIBE):
            details["filters"] = [_filter(s.topic_filter, s.options, request.version)
                                  for s in packet.subscriptions]  # fmt: skip
        if packet.packet_id >= 0:
            details["packet_id"] = packet.packet_id
        if packet.properties:
            details["properties"] = properties_of(packet.properties)
        if packet.packet_type in (DISCONNECT, AUTH):
            details.update(_answer_details(request))
    if response is not None:
        details.update(_answer_details(response))
    return details


def _connect_details(packet: MqttPacket) -> dict[str, object]:
    c = packet.connect
    if c is None:
        return {}
    details: dict[str, object] = {
        "protocol_name": c.protocol_name,
        "protocol_level": c.level,
        "client_id": c.client_id,
        "username_present": c.flag(USERNAME),
        "password_present": c.flag(PASSWORD),
        "clean_session": c.flag(CLEAN_SESSION),
        "keep_alive": c.keep_alive,
        "will": c.flag(WILL),
        "cleartext_credentials": c.username is not None or c.password_len >= 0,
    }
    if c.password_len >= 0:
        details["password_len"] = c.password_len
    if c.flag(WILL):
        details["will_topic"] = c.will_topic
        details["will_qos"] = c.will_qos
        details["will_retain"] = c.flag(WILL_RETAIN)
        details["will_payload_len"] = c.will_payload_len
    return details


def _publish_details(unit: Unit) -> dict[str, object]:
    packet = unit.packet
    return {
        "topic": unit.topic,
        "qos": packet.qos,
        "retain": packet.retain,
        "dup": packet.dup,
        "payload_len": packet.payload_len,
        "direction": "client_to_server" if unit.from_client else "server_to_client",
    }


def _filter(topic_filter: str, options: int, version: int) -> dict[str, object]:
    if options < 0:
        return {"filter": topic_filter}
    entry: dict[str, object] = {"filter": topic_filter, "qos": options & 3}
    if version == 5:
        entry["no_local"] = bool(options & 0x04)
        entry["retain_as_published"] = bool(options & 0x08)
        entry["retain_handling"] = (options >> 4) & 3
    return entry


def _answer_details(unit: Unit) -> dict[str, object]:
    packet = unit.packet
    details: dict[str, object] = {}
    if packet.packet_type == CONNACK and packet.ack_flags >= 0:
        details["session_present"] = bool(packet.ack_flags & 1)
    if packet.reason_code >= 0:
        details["reason_code"] = packet.reason_code
        details["reason"] = reason_name(packet.packet_type, packet.reason_code, unit.version)
    if packet.codes:
        details["codes"] = list(packet.codes)
    if packet.properties and packet.packet_type in ANSWERS:
        details["response_properties"] = properties_of(packet.properties)
    return details

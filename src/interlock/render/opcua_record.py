"""OPC UA transport messages as Wireshark 4.0 shows them (plugins/epan/opcua), for
`interlock dissect`: one record per chunk.

Every chunk: opcua.transport.type, .chunk, .size; HEL/ACK their buffer sizes and limits,
HEL and RHE the endpoint URL; ERR its error and reason; OPN, MSG and CLO the channel id,
security header and sequence header; the chunk that completes a service message also
its service TypeId and, when the body is cleartext, a few service fields under
Wireshark's names (opcua.RequestHandle, opcua.ServiceResult, opcua.EndpointUrl...) and
the project's own: opcua.service (message name), opcua.node (node ids acted on),
opcua.encrypted, opcua.security.scert.sha1 / .len.

Wireshark 4.0's quirks reproduced here only:
- it has no notion of encryption: the service TypeId (opcua.servicenodeid.*) is read
  from the first body bytes of every OPN, CLO and final MSG chunk, ciphertext or not, so
  an encrypted chunk shows one exactly when its first byte happens to be 0, 1 or 2;
- it reads the encoding byte unmasked, so an ExpandedNodeId flag makes the TypeId unknown;
- a chunk that does not complete a message (an intermediate 'C', the first chunk of a
  chunked message, an abort) has no service fields.
"""

from __future__ import annotations

import struct
from typing import Any, Final

from interlock.protocols.opcua.messages import (
    Application,
    CallItem,
    Endpoint,
    IdentityToken,
    ReadItem,
    ServiceMessage,
    WriteItem,
)
from interlock.protocols.opcua.session import Observation, UaMessage
from interlock.protocols.opcua.transport import (
    MESSAGE_TYPES,
    Chunk,
    Handshake,
    ReverseHello,
    TransportError,
)

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_INFO_FIELDS: Final = {
    "client_protocol_version": "opcua.ClientProtocolVersion",
    "request_type": "opcua.SecurityTokenRequestType",
    "requested_security_mode": "opcua.MessageSecurityMode",
    "requested_lifetime": "opcua.RequestedLifetime",
    "server_protocol_version": "opcua.ServerProtocolVersion",
    "channel_id": "opcua.ChannelId",
    "token_id": "opcua.TokenId",
    "revised_lifetime": "opcua.RevisedLifetime",
    "endpoint_url": "opcua.EndpointUrl",
    "session_name": "opcua.SessionName",
    "server_uri": "opcua.ServerUri",
    "subscription_id": "opcua.SubscriptionId",
}


def opcua_record(
    message: Chunk, role: int, answered: Observation | None
) -> tuple[str, dict[str, Any], list[str]]:
    fields: dict[str, Any] = {}
    anomalies = list(message.anomalies)
    if message.msg_type not in MESSAGE_TYPES:
        return "opcua", fields, anomalies  # Wireshark's "Invalid message": opcua, no fields
    fields["opcua.transport.type"] = message.msg_type
    fields["opcua.transport.chunk"] = message.chunk_type
    fields["opcua.transport.size"] = message.size
    _transport(fields, message.transport)
    if message.is_secure:
        _security(fields, message)
        head = message.body if message.msg_type != "MSG" else b""
        if answered is not None:
            head = answered.head if message.msg_type == "MSG" else head
            anomalies += answered.anomalies
            if answered.message is not None:
                anomalies += _message(fields, answered.message)
        _service_id(fields, head)
    return "opcua", fields, list(dict.fromkeys(anomalies))


def _transport(
    fields: dict[str, Any], body: Handshake | TransportError | ReverseHello | None
) -> None:
    if isinstance(body, Handshake):
        fields["opcua.transport.ver"] = body.version
        fields["opcua.transport.rbs"] = body.receive_buffer_size
        fields["opcua.transport.sbs"] = body.send_buffer_size
        fields["opcua.transport.mms"] = body.max_message_size
        fields["opcua.transport.mcc"] = body.max_chunk_count
        if body.endpoint_url is not None:
            fields["opcua.transport.endpoint"] = body.endpoint_url
    elif isinstance(body, ReverseHello):
        _text(fields, "opcua.transport.suri", body.server_uri)
        _text(fields, "opcua.transport.endpoint", body.endpoint_url)
    elif isinstance(body, TransportError):
        fields["opcua.transport.error"] = body.error
        _text(fields, "opcua.transport.reason", body.reason)


def _text(fields: dict[str, Any], name: str, value: str | None) -> None:
    if value is not None:
        fields[name] = value


def _security(fields: dict[str, Any], chunk: Chunk) -> None:
    if chunk.channel_id >= 0:
        fields["opcua.transport.scid"] = chunk.channel_id
    if chunk.msg_type == "OPN":
        _text(fields, "opcua.security.spu", chunk.policy_uri)
        if chunk.receiver_thumbprint is not None:
            fields["opcua.security.rcthumb"] = chunk.receiver_thumbprint.hex()
    elif chunk.token_id >= 0:
        fields["opcua.security.tokenid"] = chunk.token_id
    if chunk.sequence_number >= 0:
        fields["opcua.security.seq"] = chunk.sequence_number
    if chunk.request_id >= 0:
        fields["opcua.security.rqid"] = chunk.request_id


def _service_id(fields: dict[str, Any], head: bytes) -> None:
    """The service TypeId as Wireshark's parseServiceNodeId reads it (numeric forms only)."""
    if not head:
        return
    mask = head[0]
    fields["opcua.servicenodeid.encodingmask"] = mask
    if mask == 0 and len(head) >= 2:
        fields["opcua.servicenodeid.numeric"] = head[1]
    elif mask == 1 and len(head) >= 4:
        fields["opcua.servicenodeid.nsid"] = head[1]
        fields["opcua.servicenodeid.numeric"] = _U16.unpack_from(head, 2)[0]
    elif mask == 2 and len(head) >= 7:
        fields["opcua.servicenodeid.nsid"] = _U16.unpack_from(head, 1)[0]
        fields["opcua.servicenodeid.numeric"] = _U32.unpack_from(head, 3)[0]


def _message(fields: dict[str, Any], message: UaMessage) -> tuple[str, ...]:
    if message.encrypted:
        fields["opcua.encrypted"] = True
    if message.certificate is not None:
        fields["opcua.security.scert.sha1"] = message.certificate.sha1
        fields["opcua.security.scert.len"] = message.certificate.length
    if message.abort is not None:
        fields["opcua.transport.error"] = message.abort.error
        _text(fields, "opcua.transport.reason", message.abort.reason)
    service = message.service
    if service is None:
        return message.anomalies
    _service(fields, service)
    return message.anomalies + service.anomalies


def _service(fields: dict[str, Any], service: ServiceMessage) -> None:
    fields["opcua.service"] = service.name
    if service.request_handle >= 0:
        fields["opcua.RequestHandle"] = service.request_handle
    if service.service_result >= 0:
        fields["opcua.ServiceResult"] = service.service_result
    for key, value in service.info:
        name = _INFO_FIELDS.get(key)
        if name is not None and value is not None:
            fields[name] = value
    nodes: list[str] = []
    attributes: list[int] = []
    for item in service.items:
        if isinstance(item, (ReadItem, WriteItem)):
            nodes.append(item.node)
            attributes.append(item.attribute)
        elif isinstance(item, CallItem):
            nodes += (item.object_id, item.method_id)
        elif isinstance(item, Endpoint):
            _append(fields, "opcua.EndpointUrl", item.url)
            _append(fields, "opcua.MessageSecurityMode", item.security_mode)
            _append(fields, "opcua.SecurityPolicyUri", item.policy_uri)
            _append(fields, "opcua.ApplicationUri", item.server.uri)
        elif isinstance(item, Application):
            _append(fields, "opcua.ApplicationUri", item.uri)
        elif isinstance(item, IdentityToken):
            fields["opcua.identity_token"] = item.kind
            _text(fields, "opcua.UserName", item.user_name)
    if nodes:
        fields["opcua.node"] = nodes
    if attributes:
        fields["opcua.AttributeId"] = attributes


def _append(fields: dict[str, Any], name: str, value: object) -> None:
    if value is not None:
        fields.setdefault(name, []).append(value)

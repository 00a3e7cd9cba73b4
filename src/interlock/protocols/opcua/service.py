"""A service message from its (reassembled, cleartext) body: the TypeId NodeId naming the
message, the RequestHeader or ResponseHeader (OPC 10000-4, 7.32 and 7.33), then the body
(bodies.py). Trailing bytes (a signature, padding) are allowed: a signed channel appends
them, and their length is not known without the channel's keys.

Pure; never raises: truncation and unknown encodings become anomaly codes.
"""

from __future__ import annotations

from typing import Final

from interlock.protocols.opcua.binary import NULL_NODE, BadEncoding, NodeId, Reader, Truncated
from interlock.protocols.opcua.bodies import DECODERS
from interlock.protocols.opcua.messages import ServiceMessage
from interlock.protocols.opcua.service_types import SERVICE_TYPES
from interlock.protocols.opcua.variant import diagnostic_info, extension_object

UNKNOWN: Final = "Unknown"


def service_name(type_id: NodeId) -> str:
    """The message name for a TypeId (namespace 0 only), else "Unknown"."""
    if type_id.namespace or type_id.numeric < 0:
        return UNKNOWN
    return SERVICE_TYPES.get(type_id.numeric, UNKNOWN)


def peek_type_id(body: bytes) -> NodeId | None:
    """The TypeId at the start of a body, if it reads as one."""
    try:
        return Reader(body).node_id()
    except Truncated:
        return None


def is_known_service(body: bytes) -> bool:
    """Whether a body starts with a standard service message's TypeId (a cleartext body;
    ciphertext almost never does)."""
    type_id = peek_type_id(body)
    return type_id is not None and service_name(type_id) != UNKNOWN


def decode_service(body: bytes) -> ServiceMessage:
    r = Reader(body)
    try:
        type_id = r.node_id()
    except Truncated:
        return ServiceMessage(NULL_NODE, UNKNOWN, -1, 0, "", -1, anomalies=("opcua.truncated",))
    name = service_name(type_id)
    if name == UNKNOWN:
        return ServiceMessage(type_id, name, -1, 0, "", -1, anomalies=("opcua.service_unknown",))
    message = ServiceMessage(type_id, name, -1, 0, "", -1)
    try:
        message = _header(r, message)
        decoder = DECODERS.get(name)
        if decoder is not None:
            items, info = decoder(r)
            message = message._replace(items=items, info=info)
    except BadEncoding:
        return message._replace(anomalies=("opcua.encoding_invalid",))
    except Truncated:
        return message._replace(anomalies=("opcua.truncated",))
    return message


def _header(r: Reader, message: ServiceMessage) -> ServiceMessage:
    if message.is_response:
        timestamp = r.i64()
        handle = r.u32()
        result = r.u32()
        message = message._replace(
            timestamp=timestamp, request_handle=handle, service_result=result
        )
        diagnostic_info(r)
        for _ in range(r.count()):  # string table
            r.string()
        extension_object(r)
        return message
    token = r.node_id().text()
    timestamp = r.i64()
    handle = r.u32()
    message = message._replace(auth_token=token, timestamp=timestamp, request_handle=handle)
    r.u32()  # return diagnostics
    r.string()  # audit entry id
    r.u32()  # timeout hint
    extension_object(r)
    return message

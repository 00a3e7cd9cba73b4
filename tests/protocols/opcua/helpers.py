"""Chunks and service bodies for the OPC UA tests, encoded by asyncua (an independent
implementation of OPC UA Binary) and by Interlock's own chunk framing."""

from __future__ import annotations

import datetime
import struct
from typing import Any

from asyncua import ua
from asyncua.ua.ua_binary import struct_to_binary

from interlock.protocols.opcua.transport import Chunk, encode_chunk, parse_chunk

NONE_POLICY = "http://opcfoundation.org/UA/SecurityPolicy#None"
BASIC256 = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"


FIXED_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def body(message: Any) -> bytes:
    """A service message's binary body: its TypeId, header and fields (fixed time)."""
    header = getattr(message, "RequestHeader", None) or getattr(message, "ResponseHeader", None)
    if header is not None:
        header.Timestamp = FIXED_TIME
    return bytes(struct_to_binary(message))


def _string(text: str | None) -> bytes:
    if text is None:
        return struct.pack("<i", -1)
    raw = text.encode()
    return struct.pack("<i", len(raw)) + raw


def secure(
    msg_type: str, payload: bytes, channel: int = 1, request_id: int = 1, chunk_type: str = "F"
) -> bytes:
    head = struct.pack("<4I", channel, channel, request_id, request_id)
    return encode_chunk(msg_type, head + payload, chunk_type)


def opn(payload: bytes, channel: int = 0, policy: str = NONE_POLICY, request_id: int = 1) -> bytes:
    head = struct.pack("<I", channel) + _string(policy) + _string(None) + _string(None)
    return encode_chunk("OPN", head + struct.pack("<2I", request_id, request_id) + payload)


def hello(url: str = "opc.tcp://plc:4840") -> bytes:
    return encode_chunk("HEL", struct.pack("<5I", 0, 65536, 65536, 0, 0) + _string(url))


def parsed(data: bytes) -> Chunk:
    return parse_chunk(data, 0, len(data))


def read_request(node: Any = None, handle: int = 7) -> bytes:
    request = ua.ReadRequest()
    request.RequestHeader.RequestHandle = handle
    item = ua.ReadValueId()
    item.NodeId = node or ua.NodeId("Tank.Level", 2)
    item.AttributeId = 13
    request.Parameters.NodesToRead = [item]
    return body(request)


def open_request(mode: int = 1) -> bytes:
    request = ua.OpenSecureChannelRequest()
    request.Parameters.SecurityMode = ua.MessageSecurityMode(mode)
    request.Parameters.RequestedLifetime = 600000
    return body(request)


def open_response(channel: int) -> bytes:
    response = ua.OpenSecureChannelResponse()
    response.Parameters.SecurityToken.ChannelId = channel
    response.Parameters.SecurityToken.TokenId = 1
    response.Parameters.SecurityToken.RevisedLifetime = 600000
    return body(response)

"""Hand-made MQTT control packets for the tests."""

from __future__ import annotations

import struct


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def packet(first: int, body: bytes) -> bytes:
    return bytes((first,)) + varint(len(body)) + body


def text(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack(">H", len(raw)) + raw


def props(raw: bytes) -> bytes:
    return varint(len(raw)) + raw


def connect(
    level: int = 4,
    client_id: str = "c1",
    username: str | None = None,
    password: bytes | None = None,
    will: tuple[str, bytes] | None = None,
    name: str | None = None,
    properties: bytes = b"",
    keep_alive: int = 60,
) -> bytes:
    flags = 0x02
    flags |= 0x80 if username is not None else 0
    flags |= 0x40 if password is not None else 0
    flags |= 0x04 if will is not None else 0
    protocol = name if name is not None else ("MQIsdp" if level == 3 else "MQTT")
    body = text(protocol) + bytes((level, flags)) + struct.pack(">H", keep_alive)
    if level == 5:
        body += props(properties)
    body += text(client_id)
    if will is not None:
        if level == 5:
            body += props(b"")
        body += text(will[0]) + text(will[1])
    if username is not None:
        body += text(username)
    if password is not None:
        body += text(password)
    return packet(0x10, body)


def publish(
    topic: str, payload: bytes = b"x", qos: int = 0, packet_id: int = 1, v5: bytes | None = None
) -> bytes:
    body = text(topic)
    if qos:
        body += struct.pack(">H", packet_id)
    if v5 is not None:
        body += props(v5)
    return packet(0x30 | (qos << 1), body + payload)


def subscribe(packet_id: int, *filters: tuple[str, int], v5: bytes | None = None) -> bytes:
    body = struct.pack(">H", packet_id) + (props(v5) if v5 is not None else b"")
    body += b"".join(text(f) + bytes((o,)) for f, o in filters)
    return packet(0x82, body)

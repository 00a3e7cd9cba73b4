"""CIP explicit messages: the Message Router request and response formats.

CIP Volume 1, 2-4.1 (Message Router request: service, path size in words, path, data)
and 2-4.2 (response: service with bit 7 set, reserved, general status, additional status
size in words, additional status, data). What the message frames is decoded here too:
the services of a Multiple Service Packet (Volume 1, A-4.10) and, for requests to the
Connection Manager (3-5.5), the embedded request and route path of an Unconnected Send and
the connection path of a Forward Open, Large Forward Open or Forward Close. A response's
service data is left raw: what it means depends on the request it answers.

Pure; a malformed message keeps what could be decoded and carries anomaly codes:
cip.empty, cip.truncated (header cut short), cip.status_truncated (additional status
cut short), cip.path_truncated (path size past the data), cip.path_segment_invalid and
cip.path_segment_unsupported (see epath), cip.msp_truncated, cip.msp_offset_invalid,
cip.unconnected_send_truncated, cip.route_path_missing, cip.route_path_truncated,
cip.connection_request_truncated, cip.connection_path_truncated, and
cip.service_data_missing (an Unconnected Send, Forward Open/Close or Multiple Service
Packet with no data at all).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.cip.epath import EMPTY_PATH, Path, parse_path
from interlock.protocols.cip.services import (
    CONNECTION_MANAGER,
    FORWARD_CLOSE,
    FORWARD_OPEN,
    GET_CONNECTION_OWNER,
    LARGE_FORWARD_OPEN,
    MULTIPLE_SERVICE_PACKET,
    UNCONNECTED_SEND,
)

MAX_DEPTH: Final = 8
"""How deep embedded messages are followed (an MSP inside an Unconnected Send, say)."""

# Where the connection path size and the path sit in the request data of each Connection
# Manager service (a Forward Close has a reserved byte between them).
_CONNECTION_PATH_AT: Final = {
    FORWARD_OPEN: (35, 36),
    LARGE_FORWARD_OPEN: (39, 40),
    FORWARD_CLOSE: (10, 12),
}


class CipMessage(NamedTuple):
    service_raw: int
    """Service code as on the wire (bit 7 set in a response); -1 for an empty message."""
    path: Path
    """A request's path (empty in a response)."""
    general_status: int
    """A response's general status; -1 in a request."""
    extended_status: tuple[int, ...]
    data: bytes
    """Service data after the request path or the response status."""
    embedded: tuple[CipMessage, ...]
    """Services of a Multiple Service Packet, or the request inside an Unconnected Send."""
    route: Path
    """Route path of an Unconnected Send; connection path of a Forward Open or Close."""
    anomalies: tuple[str, ...]

    @property
    def is_response(self) -> bool:
        return self.service_raw >= 0x80

    @property
    def service(self) -> int:
        return self.service_raw & 0x7F if self.service_raw >= 0 else -1

    @property
    def class_id(self) -> int | None:
        return self.path.last("class")

    @property
    def is_unconnected_send(self) -> bool:
        return self.service_raw == UNCONNECTED_SEND and self.class_id == CONNECTION_MANAGER

    @property
    def is_forward_open(self) -> bool:
        return (
            self.service_raw in (FORWARD_OPEN, LARGE_FORWARD_OPEN)
            and self.class_id == CONNECTION_MANAGER
        )

    @property
    def is_forward_close(self) -> bool:
        return self.service_raw == FORWARD_CLOSE and self.class_id == CONNECTION_MANAGER


EMPTY_MESSAGE: Final = CipMessage(-1, EMPTY_PATH, -1, (), b"", (), EMPTY_PATH, ("cip.empty",))


def parse_message(p: bytes, start: int, end: int, depth: int = 0) -> CipMessage:
    """Decode the message in p[start:end] (a request or a response, by its service bit)."""
    end = min(end, len(p))
    if end <= start:
        return EMPTY_MESSAGE
    if p[start] & 0x80:
        return _response(p, start, end, depth)
    return _request(p, start, end, depth)


def _request(p: bytes, start: int, end: int, depth: int) -> CipMessage:
    service = p[start]
    if end - start < 2:
        return CipMessage(service, EMPTY_PATH, -1, (), b"", (), EMPTY_PATH, ("cip.truncated",))
    path_end = start + 2 + 2 * p[start + 1]
    anomalies: list[str] = []
    if path_end > end:
        anomalies.append("cip.path_truncated")
        path_end = end
    path = parse_path(p, start + 2, path_end)
    anomalies.extend(path.anomalies)
    data = p[path_end:end]
    embedded: tuple[CipMessage, ...] = ()
    route = EMPTY_PATH
    cls = path.last("class")
    if depth < MAX_DEPTH:
        if service == MULTIPLE_SERVICE_PACKET:
            embedded = _services(p, path_end, end, depth, anomalies)
        elif cls == CONNECTION_MANAGER and service == UNCONNECTED_SEND:
            embedded, route = _unconnected_send(p, path_end, end, depth, anomalies)
        elif cls == CONNECTION_MANAGER and service == GET_CONNECTION_OWNER:
            if 0 < end - path_end < 4:  # priority/tick, timeout, path size, reserved
                anomalies.append("cip.connection_request_truncated")
        elif cls == CONNECTION_MANAGER and service in _CONNECTION_PATH_AT:
            if path_end == end:
                anomalies.append("cip.service_data_missing")
            else:
                size_at, path_at = _CONNECTION_PATH_AT[service]
                route = _connection_path(p, path_end + size_at, path_end + path_at, end, anomalies)
    return CipMessage(service, path, -1, (), data, embedded, route, tuple(anomalies))


def _response(p: bytes, start: int, end: int, depth: int) -> CipMessage:
    service = p[start]
    if end - start < 4:
        status = p[start + 2] if end - start == 3 else -1
        return CipMessage(service, EMPTY_PATH, status, (), b"", (), EMPTY_PATH, ("cip.truncated",))
    status = p[start + 2]
    data_start = start + 4 + 2 * p[start + 3]
    anomalies: list[str] = []
    if data_start > end:
        anomalies.append("cip.status_truncated")
        data_start = end
    extended = tuple(
        p[i] | (p[i + 1] << 8) for i in range(start + 4, data_start - 1, 2) if i + 1 < end
    )
    embedded: tuple[CipMessage, ...] = ()
    if service & 0x7F == MULTIPLE_SERVICE_PACKET and depth < MAX_DEPTH and data_start < end:
        embedded = _services(p, data_start, end, depth, anomalies)
    return CipMessage(
        service,
        EMPTY_PATH,
        status,
        extended,
        p[data_start:end],
        embedded,
        EMPTY_PATH,
        tuple(anomalies),
    )


def _services(
    p: bytes, start: int, end: int, depth: int, anomalies: list[str]
) -> tuple[CipMessage, ...]:
    """The services of a Multiple Service Packet: a count, offsets from the count, messages."""
    if end - start < 2:
        anomalies.append("cip.msp_truncated" if end > start else "cip.service_data_missing")
        return ()
    count = p[start] | (p[start + 1] << 8)
    if start + 2 + 2 * count > end:
        anomalies.append("cip.msp_truncated")
        return ()
    offsets = [p[start + 2 + 2 * i] | (p[start + 3 + 2 * i] << 8) for i in range(count)]
    found: list[CipMessage] = []
    for i, offset in enumerate(offsets):
        stop = start + offsets[i + 1] if i + 1 < count else end
        if start + offset >= end or stop > end or stop <= start + offset:
            anomalies.append("cip.msp_offset_invalid")
            break
        found.append(parse_message(p, start + offset, stop, depth + 1))
    return tuple(found)


def _unconnected_send(
    p: bytes, start: int, end: int, depth: int, anomalies: list[str]
) -> tuple[tuple[CipMessage, ...], Path]:
    """Priority/tick, timeout ticks, message size, message, pad, route path size, route."""
    if end - start < 4:
        anomalies.append(
            "cip.unconnected_send_truncated" if end > start else "cip.service_data_missing"
        )
        return (), EMPTY_PATH
    size = p[start + 2] | (p[start + 3] << 8)
    msg_end = start + 4 + size
    if msg_end > end:
        anomalies.append("cip.unconnected_send_truncated")
        return (), EMPTY_PATH
    embedded = (parse_message(p, start + 4, msg_end, depth + 1),)
    route_at = msg_end + (size & 1)
    if route_at + 2 > end:
        anomalies.append("cip.route_path_missing")
        return embedded, EMPTY_PATH
    route_end = route_at + 2 + 2 * p[route_at]
    if route_end > end:
        anomalies.append("cip.route_path_truncated")
    route = parse_path(p, route_at + 2, min(route_end, end))
    anomalies.extend(route.anomalies)
    return embedded, route


def _connection_path(p: bytes, size_at: int, path_at: int, end: int, anomalies: list[str]) -> Path:
    if path_at > end:
        anomalies.append("cip.connection_request_truncated")
        return EMPTY_PATH
    path_end = path_at + 2 * p[size_at]
    if path_end > end:
        anomalies.append("cip.connection_path_truncated")
        path_end = end
    path = parse_path(p, path_at, path_end)
    anomalies.extend(path.anomalies)
    return path


_ROUTING_FAILURES: Final = frozenset({0x0204, 0x0311, 0x0312, 0x0315})


def unconnected_send_failed(reply: CipMessage) -> bool:
    """Whether a reply to an Unconnected Send is the router's own failure (CIP Volume 1,
    3-5.5.4: timeout, bad port, bad link address, bad segment; no resource; path error)
    rather than the target's reply passed back."""
    if reply.service != UNCONNECTED_SEND:
        return False
    status = reply.general_status
    if status in (0x02, 0x04):
        return True
    return (
        status == 0x01
        and len(reply.extended_status) == 1
        and (reply.extended_status[0] in _ROUTING_FAILURES)
    )


def encode_request(service: int, path: bytes, data: bytes = b"") -> bytes:
    """A Message Router request: service, path size in words, padded path, data."""
    return bytes((service & 0x7F, len(path) // 2)) + path + data


def encode_response(
    service: int, status: int = 0, data: bytes = b"", extended: tuple[int, ...] = ()
) -> bytes:
    """A Message Router response: service with bit 7 set, reserved, status, extended status."""
    ext = b"".join(e.to_bytes(2, "little") for e in extended)
    return bytes((service | 0x80, 0, status, len(extended))) + ext + data


def encode_multiple_service(messages: list[bytes]) -> bytes:
    """Multiple Service Packet data: count, offsets (from the count), then the messages."""
    offset = 2 + 2 * len(messages)
    offsets = b""
    for message in messages:
        offsets += offset.to_bytes(2, "little")
        offset += len(message)
    return len(messages).to_bytes(2, "little") + offsets + b"".join(messages)


def encode_unconnected_send(message: bytes, route: bytes) -> bytes:
    """Unconnected Send data: priority/tick, timeout ticks, the request, pad, route path."""
    pad = b"\x00" * (len(message) & 1)
    size = len(message).to_bytes(2, "little")
    return bytes((0x0A, 0x0E)) + size + message + pad + bytes((len(route) // 2, 0)) + route

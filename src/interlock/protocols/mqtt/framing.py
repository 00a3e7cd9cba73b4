"""Framing MQTT control packets in a TCP stream (3.1.1 section 2.2, 5.0 section 2.1): a
first byte (type and flags), a Remaining Length of one to four bytes, then that many bytes.

The start test and the probe decide whether bytes can be MQTT at all; the probe is strict
because it claims flows on ports that are not MQTT's (see probe.py).
"""

from __future__ import annotations

from typing import Final

from interlock.protocols.mqtt.packets import MqttPacket, parse_packet
from interlock.protocols.mqtt.vocabulary import PUBLISH, REQUIRED_FLAGS
from interlock.protocols.mqtt.wire import BAD_VARINT, MAX_VARINT_BYTES, read_varint

MAX_REMAINING_LENGTH: Final = 268_435_455
"""What four Variable Byte Integer bytes can say: 256 MiB."""
MAX_REASSEMBLED: Final = 1 << 20
"""Largest packet reassembled across segments (1 MiB + header). MQTT allows 256 MiB, but
each segment of a unit being reassembled copies what is buffered, and a sensor reading
or a command is far smaller; a larger packet overflows the buffer (counted in the
capture health) and what follows resumes at the next segment that starts a packet."""


def unit_length(buf: bytes, pos: int) -> int:
    """Total length of the packet at pos; 0 while its Remaining Length is incomplete. A
    malformed Remaining Length (four bytes, all continued) makes a five-byte unit, so that
    it is reported with its anomaly."""
    length, used = read_varint(buf, pos + 1, len(buf))
    if not used:
        return 0
    if length == BAD_VARINT:
        return 1 + MAX_VARINT_BYTES
    return 1 + used + length


def valid_first_byte(first: int) -> bool:
    """A defined packet type with the flags the specification requires of it."""
    packet_type = first >> 4
    if packet_type == PUBLISH:
        return first & 0x06 != 0x06
    return packet_type != 0 and REQUIRED_FLAGS[packet_type] == first & 0x0F


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Can a packet start at pos? A defined type with the flags it requires. (Any
    Remaining Length can follow: a malformed one makes a unit that carries its anomaly.)"""
    return end > pos and valid_first_byte(buf[pos])


def parse_exact(buf: bytes, start: int, end: int) -> MqttPacket | None:
    """The packet when buf[start:end] is exactly one packet that passes the start test."""
    if end - start < 2 or not valid_first_byte(buf[start]):
        return None
    length, used = read_varint(buf, start + 1, end)
    if not used or length == BAD_VARINT or 1 + used + length != end - start:
        return None
    return parse_packet(buf, start, end)

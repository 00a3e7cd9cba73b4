"""How DNS messages are delimited: one per UDP datagram (RFC 1035 section 4.2.1), and a
2-byte length prefix before each message over TCP (section 4.2.2).

The engine's framing functions take no transport, so the two transports are two specs
(see spec.py) over the functions below.
"""

from __future__ import annotations

from typing import Final

from interlock.protocols.dns.message import HEADER_LEN, DnsMessage, parse_message

MAX_TCP_UNIT: Final = 2 + 0xFFFF
_KNOWN_OPCODES: Final = frozenset({0, 1, 2, 4, 5})
_MAX_PROBE_RECORDS: Final = 512


# -- UDP: the datagram is the message ---------------------------------------------------


def datagram_length(buf: bytes, pos: int) -> int:
    """0: the rest of the datagram is the message."""
    return 0


def datagram_starts(buf: bytes, pos: int, end: int) -> bool:
    """Every non-empty datagram on a DNS port is DNS for Wireshark (malformed or not)."""
    return end > pos


def parse_datagram(buf: bytes, start: int, end: int) -> DnsMessage:
    return parse_message(bytes(buf[start:end]))


# -- TCP: a length prefix before each message ------------------------------------------


def prefixed_length(buf: bytes, pos: int) -> int:
    """2 plus the length prefix at pos; 0 while the prefix is incomplete."""
    if len(buf) - pos < 2:
        return 0
    return 2 + ((buf[pos] << 8) | buf[pos + 1])


def prefixed_starts(buf: bytes, pos: int, end: int) -> bool:
    """A segment can start a message when its prefix leaves room for a header."""
    return end - pos >= 2 and ((buf[pos] << 8) | buf[pos + 1]) >= HEADER_LEN


def parse_prefixed(buf: bytes, start: int, end: int) -> DnsMessage:
    if end - start < 2:
        return parse_message(b"", -1)._replace(anomalies=("dns.truncated",))
    length = (buf[start] << 8) | buf[start + 1]
    message = parse_message(bytes(buf[start + 2 : end]), length)
    if end - start - 2 < length and "dns.truncated" not in message.anomalies:
        message = message._replace(anomalies=(*message.anomalies, "dns.truncated"))
    return message


def parse_prefixed_exact(buf: bytes, start: int, end: int) -> DnsMessage | None:
    """The message when buf[start:end] is exactly one length-prefixed message."""
    if end - start >= 2 + HEADER_LEN and prefixed_length(buf, start) == end - start:
        return parse_prefixed(buf, start, end)
    return None


def probe_prefixed(buf: bytes, pos: int, end: int) -> bool:
    """Strict test for DNS over TCP on another port: the segment holds exactly one whole
    length-prefixed message that passes probe_datagram."""
    if end - pos < 2 + HEADER_LEN or prefixed_length(buf, pos) != end - pos:
        return False
    return probe_datagram(buf, pos + 2, end)


def probe_datagram(buf: bytes, pos: int, end: int) -> bool:
    """Strict test for a DNS message on another port: a sane header (a known opcode, the
    zero bit clear, one question, bounded record counts) and a parse with no anomaly."""
    if end - pos < HEADER_LEN:
        return False
    flags = (buf[pos + 2] << 8) | buf[pos + 3]
    counts = [(buf[i] << 8) | buf[i + 1] for i in range(pos + 4, pos + 12, 2)]
    if (flags >> 11) & 0x0F not in _KNOWN_OPCODES or flags & 0x0040 or counts[0] != 1:
        return False
    if sum(counts[1:]) > _MAX_PROBE_RECORDS:
        return False
    message = parse_message(bytes(buf[pos:end]), end - pos)
    return not message.anomalies and len(message.questions) == 1

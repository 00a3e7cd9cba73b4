"""The BACnet NPDU (ASHRAE 135 clause 6.2): version, control, destination and source
network addresses, hop count, and network-layer messages (6.4) with their network lists.

A routed device is told apart by its source network and MAC (SNET/SADR): the same IP
address (the router's) can front many devices. Pure; malformed input becomes anomalies.
"""

from __future__ import annotations

from typing import Final, NamedTuple

NETWORK_MESSAGE: Final = 0x80
DESTINATION: Final = 0x20
SOURCE: Final = 0x08
EXPECTING_REPLY: Final = 0x04

NETWORK_MESSAGES: Final[dict[int, str]] = {
    0x00: "who-is-router-to-network",
    0x01: "i-am-router-to-network",
    0x02: "i-could-be-router-to-network",
    0x03: "reject-message-to-network",
    0x04: "router-busy-to-network",
    0x05: "router-available-to-network",
    0x06: "initialize-routing-table",
    0x07: "initialize-routing-table-ack",
    0x08: "establish-connection-to-network",
    0x09: "disconnect-connection-to-network",
    0x0A: "challenge-request",
    0x0B: "security-payload",
    0x0C: "security-response",
    0x0D: "request-key-update",
    0x0E: "update-key-set",
    0x0F: "update-distribution-key",
    0x10: "request-master-key",
    0x11: "set-master-key",
    0x12: "what-is-network-number",
    0x13: "network-number-is",
}
# Messages whose data is a list of 2-octet network numbers (6.4.1, 6.4.2, 6.4.4, 6.4.5).
_NETWORK_LISTS: Final = frozenset({0x00, 0x01, 0x04, 0x05})
MAX_ROUTING_ENTRIES: Final = 255


class Npdu(NamedTuple):
    version: int
    control: int
    dnet: int
    """Destination network (-1 when absent); 0xFFFF is a global broadcast."""
    dadr: bytes
    """Destination MAC address (empty: broadcast on dnet, or absent)."""
    snet: int
    """Source network of a routed message (-1 when absent)."""
    sadr: bytes
    hop_count: int
    message_type: int
    """Network-layer message type, -1 when the NPDU carries an APDU."""
    vendor: int
    """Vendor id of a proprietary network message (type 0x80 and above), else -1."""
    networks: tuple[int, ...]
    """Network numbers a network-layer message lists (routing-table ports included)."""
    reject_reason: int
    """Reject-Message-To-Network reason, else -1."""
    apdu_start: int
    """Offset of the APDU in the datagram (the end when there is none)."""
    anomalies: tuple[str, ...]

    @property
    def is_network_message(self) -> bool:
        return bool(self.control & NETWORK_MESSAGE)


def _address(buf: bytes, at: int, end: int) -> tuple[int, bytes, int, bool]:
    """(network, MAC, offset after, complete) of a NET/LEN/ADR triple at at."""
    if at + 3 > end:
        return -1, b"", end, False
    net = (buf[at] << 8) | buf[at + 1]
    length = buf[at + 2]
    mac = buf[at + 3 : at + 3 + length]
    return net, mac, at + 3 + length, at + 3 + length <= end


def _network_data(buf: bytes, at: int, end: int, kind: int) -> tuple[tuple[int, ...], int]:
    """Network numbers carried by a network-layer message and its reject reason."""
    if kind in _NETWORK_LISTS:
        count = (end - at) // 2
        return tuple((buf[at + 2 * i] << 8) | buf[at + 2 * i + 1] for i in range(count)), -1
    if kind == 0x03 and at < end:  # reason, then the network
        rejected = ((buf[at + 1] << 8) | buf[at + 2],) if at + 3 <= end else ()
        return rejected, buf[at]
    if kind in (0x02, 0x08, 0x09, 0x13) and at + 2 <= end:
        return ((buf[at] << 8) | buf[at + 1],), -1
    if kind in (0x06, 0x07) and at < end:  # routing table: count, then DNET, port, info
        nets: list[int] = []
        pos = at + 1
        for _ in range(min(buf[at], MAX_ROUTING_ENTRIES)):
            if pos + 4 > end:
                break
            nets.append((buf[pos] << 8) | buf[pos + 1])
            pos += 4 + buf[pos + 3]
        return tuple(nets), -1
    return (), -1


def parse_npdu(buf: bytes, pos: int, end: int) -> Npdu:
    """The NPDU starting at pos (pos < end)."""
    anomalies: list[str] = []
    version = buf[pos]
    if version != 1:
        anomalies.append("bacnet.bad_npdu_version")
    control = buf[pos + 1] if pos + 1 < end else 0
    if control & 0x50:
        anomalies.append("bacnet.reserved_control_bits")
    at = pos + 2
    if at > end:
        anomalies.append("bacnet.truncated_npdu")
    dnet = snet = hop = kind = vendor = reason = -1
    dadr = sadr = b""
    complete = True
    if control & DESTINATION:
        dnet, dadr, at, complete = _address(buf, at, end)
        if dnet == 0:
            anomalies.append("bacnet.bad_network_number")
    if control & SOURCE and complete:
        snet, sadr, at, complete = _address(buf, at, end)
        if snet in (0, 0xFFFF) or (snet >= 0 and not sadr):
            anomalies.append("bacnet.bad_source_address")
    if control & DESTINATION and complete:
        if at < end:
            hop = buf[at]
        at += 1
    networks: tuple[int, ...] = ()
    if control & NETWORK_MESSAGE and complete:
        if at < end:
            kind = buf[at]
        at += 1
        if kind >= 0x80:
            vendor = (buf[at] << 8) | buf[at + 1] if at + 2 <= end else -1
            at += 2
        elif kind >= 0:
            networks, reason = _network_data(buf, at, end, kind)
    if not complete or at > end or (control & NETWORK_MESSAGE and kind < 0):
        anomalies.append("bacnet.truncated_npdu")
    return Npdu(
        version,
        control,
        dnet,
        dadr,
        snet,
        sadr,
        hop,
        kind,
        vendor,
        networks,
        reason,
        min(at, end) if not control & NETWORK_MESSAGE else end,
        tuple(dict.fromkeys(anomalies)),
    )

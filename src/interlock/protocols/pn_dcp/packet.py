"""The DCP PDU (IEC 61158-6-10, 4.3.1): after the PROFINET FrameID, ServiceID,
ServiceType, Xid, ResponseDelay (Identify requests; reserved otherwise), DCPDataLength,
then blocks: Option, Suboption, DCPBlockLength and the block data, padded to even
length. Get requests list bare Option/Suboption pairs. Blocks of Identify and Get
responses and of Hello start with BlockInfo; blocks of Set requests with BlockQualifier.

Pure: never raises; the cyclic real-time frames that share the ethertype give None.
"""

from __future__ import annotations

from typing import Final, NamedTuple

FRAME_HELLO: Final = 0xFEFC
FRAME_GET_SET: Final = 0xFEFD
FRAME_IDENTIFY_REQUEST: Final = 0xFEFE
FRAME_IDENTIFY_RESPONSE: Final = 0xFEFF
GET: Final = 3
SET: Final = 4
IDENTIFY: Final = 5
HELLO: Final = 6
SERVICES: Final = {GET: "get", SET: "set", IDENTIFY: "identify", HELLO: "hello"}
REQUEST: Final = 0
SUCCESS: Final = 1
NOT_SUPPORTED: Final = 5
MAX_BLOCKS: Final = 64
HEADER_LEN: Final = 10


class DcpBlock(NamedTuple):
    option: int
    suboption: int
    length: int
    """DCPBlockLength as on the wire (-1 for the bare pairs of a Get request)."""
    info: int
    """BlockInfo, or BlockQualifier in a Set request; -1 when the block has neither."""
    data: bytes
    """What follows BlockInfo/BlockQualifier (empty when the block is cut short)."""
    complete: bool = True


class DcpPacket(NamedTuple):
    frame_id: int
    service_id: int
    service_type: int
    xid: int
    response_delay: int
    data_length: int
    blocks: tuple[DcpBlock, ...]
    anomalies: tuple[str, ...]

    @property
    def is_request(self) -> bool:
        return self.service_type == REQUEST

    @property
    def has_block_info(self) -> bool:
        """Identify and Get responses and Hello requests start blocks with BlockInfo."""
        if self.service_id in (IDENTIFY, GET):
            return self.service_type != REQUEST
        return self.service_id == HELLO and self.service_type == REQUEST

    @property
    def has_qualifier(self) -> bool:
        return self.service_id == SET and self.service_type == REQUEST


def is_dcp_frame(frame_id: int) -> bool:
    return FRAME_HELLO <= frame_id <= FRAME_IDENTIFY_RESPONSE


def parse(buf: bytes, start: int, end: int) -> DcpPacket | None:
    """The DCP PDU at buf[start:end] (FrameID first), or None for other PROFINET frames."""
    if end - start < 2:
        return None
    frame_id = (buf[start] << 8) | buf[start + 1]
    if not is_dcp_frame(frame_id):
        return None  # cyclic data, alarms, PTCP: not DCP, cheap to pass over
    pos = start + 2
    if end - pos < HEADER_LEN:
        return DcpPacket(frame_id, -1, -1, -1, -1, -1, (), ("pn_dcp.truncated",))
    service_id, service_type = buf[pos], buf[pos + 1]
    xid = int.from_bytes(buf[pos + 2 : pos + 6], "big")
    delay = (buf[pos + 6] << 8) | buf[pos + 7]
    length = (buf[pos + 8] << 8) | buf[pos + 9]
    anomalies: list[str] = []
    if service_id not in SERVICES:
        anomalies.append("pn_dcp.unknown_service")
    if service_type not in (REQUEST, SUCCESS, NOT_SUPPORTED):
        anomalies.append("pn_dcp.unknown_service_type")
    pos += HEADER_LEN
    stop = pos + length
    if stop > end:
        anomalies.append("pn_dcp.data_length")
        stop = end
    head = DcpPacket(frame_id, service_id, service_type, xid, delay, length, (), ())
    if service_id == GET and service_type == REQUEST:
        blocks = _pairs(buf, pos, stop, anomalies)
    else:
        blocks = _blocks(head, buf, pos, stop, anomalies)
    return head._replace(blocks=tuple(blocks), anomalies=tuple(dict.fromkeys(anomalies)))


def _pairs(buf: bytes, pos: int, stop: int, anomalies: list[str]) -> list[DcpBlock]:
    pairs: list[DcpBlock] = []
    while pos + 2 <= stop:
        if len(pairs) >= MAX_BLOCKS:
            anomalies.append("pn_dcp.too_many_blocks")
            break
        pairs.append(DcpBlock(buf[pos], buf[pos + 1], -1, -1, b""))
        pos += 2
    return pairs


def _blocks(
    head: DcpPacket, buf: bytes, pos: int, stop: int, anomalies: list[str]
) -> list[DcpBlock]:
    blocks: list[DcpBlock] = []
    prefixed = head.has_block_info or head.has_qualifier
    while pos + 4 <= stop:
        if len(blocks) >= MAX_BLOCKS:
            anomalies.append("pn_dcp.too_many_blocks")
            break
        option, suboption = buf[pos], buf[pos + 1]
        length = (buf[pos + 2] << 8) | buf[pos + 3]
        body = pos + 4
        complete = body + length <= stop
        if not complete:
            anomalies.append("pn_dcp.block_truncated")
        block_end = min(body + length, stop)
        info = -1
        if prefixed and not (option == 5 and suboption == 4):  # a Response block has neither
            if block_end - body < 2:
                anomalies.append("pn_dcp.block_too_short")
            else:
                info = (buf[body] << 8) | buf[body + 1]
                body += 2
        data = bytes(buf[body:block_end]) if complete else b""
        blocks.append(DcpBlock(option, suboption, length, info, data, complete))
        pos += 4 + length + (length & 1)
    return blocks

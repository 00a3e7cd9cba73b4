"""The BACnet APDU header (ASHRAE 135 clause 20.1): the eight PDU types, segmentation
fields, invoke id, service choice, reasons; and the service body of an unsegmented APDU.

Pure. The body of a segmented APDU is decoded by the session once every segment is in.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.bacnet.body import EMPTY_BODY, ServiceBody, decode_body
from interlock.protocols.bacnet.schemas import (
    COMPLEX_ACKS,
    CONFIRMED_REQUESTS,
    ERRORS,
    UNCONFIRMED_REQUESTS,
)

CONFIRMED_REQUEST: Final = 0
UNCONFIRMED_REQUEST: Final = 1
SIMPLE_ACK: Final = 2
COMPLEX_ACK: Final = 3
SEGMENT_ACK: Final = 4
ERROR: Final = 5
REJECT: Final = 6
ABORT: Final = 7

SEGMENTED: Final = 0x08
MORE_FOLLOWS: Final = 0x04
SEGMENTED_RESPONSE_ACCEPTED: Final = 0x02
NAK: Final = 0x02
SERVER: Final = 0x01

MAX_APDU_SIZES: Final = (50, 128, 206, 480, 1024, 1476)
"""Max-APDU-length-accepted codes 0 to 5 (20.1.2.5)."""

_HEADER_LEN: Final = {0: 4, 1: 2, 2: 3, 3: 3, 4: 4, 5: 3, 6: 3, 7: 3}


class Apdu(NamedTuple):
    type: int
    flags: int
    """The low nibble of the first octet (SEG, MOR, SA / NAK, SRV)."""
    invoke_id: int
    """-1 for an unconfirmed request."""
    service: int
    """Service choice (confirmed or unconfirmed by type); -1 when absent."""
    max_segments: int
    """Confirmed request: max-segments-accepted code (-1 otherwise)."""
    max_apdu: int
    """Confirmed request: max-APDU-length-accepted code (-1 otherwise)."""
    sequence: int
    """Segment number of a segmented APDU or segment ACK, else -1."""
    window: int
    """Proposed or actual window size of a segmented APDU or segment ACK, else -1."""
    reason: int
    """Reject or abort reason, else -1."""
    body_start: int
    """Offset in the datagram where the service parameters begin."""
    body: ServiceBody | None
    """The decoded parameters; None for a segment (the session reassembles them)."""
    segment: bytes
    """A segment's service octets (empty for an unsegmented APDU)."""
    anomalies: tuple[str, ...]

    @property
    def segmented(self) -> bool:
        return self.type in (CONFIRMED_REQUEST, COMPLEX_ACK) and bool(self.flags & SEGMENTED)

    @property
    def more_follows(self) -> bool:
        return self.segmented and bool(self.flags & MORE_FOLLOWS)


def schema_of(apdu_type: int, service: int) -> str:
    """The schema name of a PDU type's service parameters ("none" when unlisted)."""
    if apdu_type == CONFIRMED_REQUEST:
        return CONFIRMED_REQUESTS.get(service, "none")
    if apdu_type == UNCONFIRMED_REQUEST:
        return UNCONFIRMED_REQUESTS.get(service, "none")
    if apdu_type == COMPLEX_ACK:
        return COMPLEX_ACKS.get(service, "none")
    if apdu_type == ERROR:
        return ERRORS.get(service, "none")
    return "none"


def parse_apdu(buf: bytes, pos: int, end: int) -> Apdu:
    """The APDU in buf[pos:end] (pos < end)."""
    first = buf[pos]
    apdu_type, flags = first >> 4, first & 0x0F
    anomalies: list[str] = []
    invoke = service = max_segments = max_apdu = sequence = window = reason = -1
    need = _HEADER_LEN.get(apdu_type, 1)
    segmented = apdu_type in (CONFIRMED_REQUEST, COMPLEX_ACK) and bool(flags & SEGMENTED)
    if segmented:
        need += 2
    if apdu_type > ABORT:
        anomalies.append("bacnet.unknown_apdu_type")
    elif end - pos < need:
        anomalies.append("bacnet.truncated_apdu")
    at = pos + 1
    if apdu_type == CONFIRMED_REQUEST:
        if at < end:
            max_segments, max_apdu = (buf[at] >> 4) & 0x07, buf[at] & 0x0F
        at += 1
    if apdu_type != UNCONFIRMED_REQUEST and apdu_type <= ABORT and at < end:
        invoke = buf[at]
    if apdu_type != UNCONFIRMED_REQUEST:
        at += 1
    if segmented or apdu_type == SEGMENT_ACK:
        sequence = buf[at] if at < end else -1
        window = buf[at + 1] if at + 1 < end else -1
        at += 2
    if apdu_type in (CONFIRMED_REQUEST, UNCONFIRMED_REQUEST, SIMPLE_ACK, COMPLEX_ACK, ERROR):
        service = buf[at] if at < end else -1
        at += 1
    elif apdu_type in (REJECT, ABORT):
        reason = buf[at] if at < end else -1
        at += 1
    body: ServiceBody | None = EMPTY_BODY
    segment = b""
    if segmented:
        body, segment = None, buf[at:end]
    elif service >= 0 and at < end:
        body = decode_body(buf, at, end, schema_of(apdu_type, service))
    return Apdu(
        apdu_type,
        flags,
        invoke,
        service,
        max_segments,
        max_apdu,
        sequence,
        window,
        reason,
        min(at, end),
        body,
        segment,
        tuple(anomalies),
    )

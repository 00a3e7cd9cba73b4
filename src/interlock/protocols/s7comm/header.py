"""The S7 communication PDU header (S7comm, protocol id 0x32), as carried in a COTP DT.

    0x32 | ROSCTR | redundancy id (2) | PDU reference (2) | parameter length (2)
         | data length (2) | [error class, error code: Ack and Ack_Data only]

followed by the parameter part and the data part. Siemens does not publish the protocol;
the layout is the one documented by Wireshark's S7comm dissector (packet-s7comm.c) and
the Snap7 project. Pure; a PDU cut short yields what its bytes hold plus an anomaly.
"""

from __future__ import annotations

from typing import Final, NamedTuple

PROTOCOL_ID: Final = 0x32
MIN_LENGTH: Final = 10
"""Wireshark's heuristic minimum: the ten-byte header of a Job."""

JOB: Final = 1
ACK: Final = 2
ACK_DATA: Final = 3
USERDATA: Final = 7


class S7Header(NamedTuple):
    rosctr: int
    redundancy_id: int
    pduref: int
    param_length: int
    data_length: int
    error_class: int
    """Ack and Ack_Data: the header's error class; -1 for other PDU types or when cut."""
    error_code: int
    header_length: int
    """10, or 12 for Ack and Ack_Data."""

    @property
    def param_start(self) -> int:
        return self.header_length

    @property
    def data_start(self) -> int:
        return self.header_length + self.param_length


def is_s7(p: bytes) -> bool:
    """Wireshark's heuristic: ten bytes or more, protocol id 0x32, ROSCTR 1 to 7."""
    return len(p) >= MIN_LENGTH and p[0] == PROTOCOL_ID and 1 <= p[1] <= 7


def parse_header(p: bytes) -> S7Header | None:
    """The header of the S7 PDU p, or None when p is not one (see is_s7)."""
    if not is_s7(p):
        return None
    rosctr = p[1]
    long = rosctr in (ACK, ACK_DATA)
    errcls = p[10] if long and len(p) > 10 else -1
    errcod = p[11] if long and len(p) > 11 else -1
    return S7Header(
        rosctr,
        (p[2] << 8) | p[3],
        (p[4] << 8) | p[5],
        (p[6] << 8) | p[7],
        (p[8] << 8) | p[9],
        errcls,
        errcod,
        12 if long else 10,
    )


def header_anomalies(p: bytes, h: S7Header) -> tuple[str, ...]:
    """What is out of order in the framing of PDU p."""
    anomalies: tuple[str, ...] = ()
    if h.rosctr not in (JOB, ACK, ACK_DATA, USERDATA):
        anomalies += ("s7comm.rosctr_unknown",)
    total = h.header_length + h.param_length + h.data_length
    if len(p) < total:
        anomalies += ("s7comm.truncated",)
    elif len(p) > total:
        anomalies += ("s7comm.trailing_bytes",)
    return anomalies


def encode_pdu(
    rosctr: int,
    pduref: int,
    param: bytes,
    data: bytes = b"",
    error: tuple[int, int] | None = None,
) -> bytes:
    """An S7 PDU; error (class, code) is written for Ack and Ack_Data."""
    head = bytes(
        (
            PROTOCOL_ID,
            rosctr,
            0,
            0,
            (pduref >> 8) & 0xFF,
            pduref & 0xFF,
            len(param) >> 8,
            len(param) & 0xFF,
            len(data) >> 8,
            len(data) & 0xFF,
        )
    )
    if rosctr in (ACK, ACK_DATA):
        head += bytes(error or (0, 0))
    return head + param + data

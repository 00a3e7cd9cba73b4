"""The userdata PDU (ROSCTR 7): its parameter head and the head of its data part.

Parameter part: 3 constant bytes (00 01 12), the length of what follows (4 or 8), a
method byte (0x11 request, 0x12 response), type (high nibble: 0 push, 4 request,
8 response) and function group (low nibble), sub-function, sequence number, then in the
8-byte form the data unit reference, a "last data unit" flag (0 last, 1 more follow)
and an error code (2). Data part: return code, transport size, length (2), payload.

A payload spread over several PDUs shares a data unit reference; the receiver joins the
fragments (``FragmentJoiner``), as Wireshark's dissector does. Pure; never raises.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.s7comm.header import S7Header

DATA_HEADER_LEN: Final = 4
MAX_FRAGMENT_IDS: Final = 16
MAX_JOINED: Final = 1 << 20


class UserdataParam(NamedTuple):
    method: int
    type: int
    """High nibble of the type byte: 0 push, 4 request, 8 response."""
    group: int
    subfunc: int
    seq: int
    data_unit_ref: int
    last_data_unit: int
    """0: this is the last (or only) data unit; 1: more follow."""
    error_code: int
    """The parameter error code of the long form; -1 in the short form."""


class UserdataData(NamedTuple):
    return_code: int
    transport_size: int
    length: int
    fragment: bytes
    """The length bytes after the data head: what this PDU adds to the payload."""


def parse_userdata_param(pdu: bytes, h: S7Header) -> UserdataParam | None:
    """The userdata parameter head of pdu (None when cut before the sequence number)."""
    at = h.param_start
    if len(pdu) < at + 8:
        return None  # (read whatever the parameter length says, as Wireshark does)
    long = h.param_length >= 12 and len(pdu) >= at + 12
    return UserdataParam(
        pdu[at + 4],
        pdu[at + 5] >> 4,
        pdu[at + 5] & 0x0F,
        pdu[at + 6],
        pdu[at + 7],
        pdu[at + 8] if long else 0,
        pdu[at + 9] if long else 0,
        (pdu[at + 10] << 8) | pdu[at + 11] if long else -1,
    )


def parse_userdata_data(pdu: bytes, h: S7Header) -> UserdataData | None:
    """The data head of a userdata PDU (None when its data part has fewer than 4 bytes)."""
    at = h.data_start
    if h.data_length < DATA_HEADER_LEN or len(pdu) < at + DATA_HEADER_LEN:
        return None
    length = (pdu[at + 2] << 8) | pdu[at + 3]
    start = at + DATA_HEADER_LEN
    return UserdataData(pdu[at], pdu[at + 1], length, pdu[start : start + length])


class FragmentJoiner:
    """Joins the data of userdata PDUs that share a data unit reference (one direction).

    Wireshark's rule: a PDU whose data unit reference is not 0 is a fragment; its payload
    is kept until the PDU marked "last data unit", whose payload then is the fragments
    joined in arrival order. Bounded: at most MAX_FRAGMENT_IDS references in progress and
    MAX_JOINED bytes each (what exceeds is dropped, with an anomaly).
    """

    __slots__ = ("pending",)

    def __init__(self) -> None:
        self.pending: dict[int, bytearray] = {}

    def payload(
        self, pdu: bytes, h: S7Header, param: UserdataParam
    ) -> tuple[bytes | None, tuple[str, ...]]:
        """The payload a dissector decodes for this PDU, or None (a non-final fragment, or
        no payload); anomalies from joining."""
        data = parse_userdata_data(pdu, h)
        if data is None or data.length < 2:
            return None, ()
        anomalies: tuple[str, ...] = ()
        whole = pdu[h.data_start + DATA_HEADER_LEN :]
        if len(data.fragment) < data.length:
            # A fragment shorter than its length is not joined (Wireshark's reassembly
            # gives up on it); the PDU's own bytes are decoded instead.
            anomalies = ("s7comm.userdata_truncated",)
            self.pending.pop(param.data_unit_ref, None)
            return (whole if whole and param.last_data_unit == 0 else None), anomalies
        if param.data_unit_ref == 0:
            return (whole if whole and param.last_data_unit == 0 else None), anomalies
        key = param.data_unit_ref
        joined = self.pending.pop(key, None)
        if joined is None:
            joined = bytearray()
        joined += data.fragment
        if len(joined) > MAX_JOINED:
            return None, (*anomalies, "s7comm.userdata_reassembly_overflow")
        if param.last_data_unit == 1:  # more follow (other values end the data unit too)
            if len(self.pending) >= MAX_FRAGMENT_IDS:
                del self.pending[next(iter(self.pending))]
            self.pending[key] = joined
            return None, anomalies
        return (bytes(joined) if joined and param.last_data_unit == 0 else None), anomalies

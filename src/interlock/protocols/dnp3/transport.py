"""DNP3 transport function (IEEE 1815-2012, section 8): application fragments cut into
segments of at most 249 bytes, each behind a one-byte header (FIN, FIR, 6-bit sequence).

Reassembly follows the standard: FIR starts a fragment, each next segment carries the
next sequence number (modulo 64), FIN completes it; anything else discards the partial
fragment and says why. Pure: no buffering beyond one partial fragment per reassembler.
"""

from __future__ import annotations

from typing import Final, NamedTuple

TR_FIN: Final = 0x80
TR_FIR: Final = 0x40
TR_SEQ: Final = 0x3F
MAX_SEGMENT: Final = 249
MAX_SEGMENTS: Final = 60
"""Segments per fragment before the partial fragment is dropped (Wireshark keeps 60 too)."""


class Reassembled(NamedTuple):
    """An application fragment completed by a transport segment."""

    apdu: bytes
    segments: int
    seq_wrapped: bool
    """The transport sequence went from 63 back to 0 inside this fragment."""


class Reassembler:
    """Transport reassembly for one direction between two link addresses."""

    __slots__ = ("last_seq", "parts", "wrapped")

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.last_seq = -1
        self.wrapped = False

    def add(self, header: int, payload: bytes) -> tuple[Reassembled | None, str]:
        """Take one segment; return the fragment it completes (or None) and an anomaly
        code ("" when the segment fitted)."""
        seq = header & TR_SEQ
        problem = ""
        if header & TR_FIR:
            if self.parts:
                problem = "dnp3.transport_restart"
            self.parts, self.last_seq, self.wrapped = [payload], seq, False
        elif not self.parts:
            return None, "dnp3.transport_orphan"
        elif seq == self.last_seq:
            return None, "dnp3.transport_duplicate"
        elif seq != (self.last_seq + 1) & TR_SEQ or len(self.parts) >= MAX_SEGMENTS:
            self.parts = []
            return None, "dnp3.transport_sequence"
        else:
            self.parts.append(payload)
            self.wrapped = self.wrapped or seq == 0
            self.last_seq = seq
        if not header & TR_FIN:
            return None, problem
        done = Reassembled(b"".join(self.parts), len(self.parts), self.wrapped)
        self.parts = []
        return done, problem


def segment(apdu: bytes, first_seq: int = 0) -> list[bytes]:
    """Cut an application fragment into transport segments (header byte included)."""
    chunks = [apdu[i : i + MAX_SEGMENT] for i in range(0, len(apdu), MAX_SEGMENT)] or [b""]
    out = []
    for n, chunk in enumerate(chunks):
        header = (first_seq + n) & TR_SEQ
        if n == 0:
            header |= TR_FIR
        if n == len(chunks) - 1:
            header |= TR_FIN
        out.append(bytes((header,)) + chunk)
    return out

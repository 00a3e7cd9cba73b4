"""DNP3 state for one connection (or UDP flow): transport reassembly per link, and
request/response pairing per master/outstation pair, bounded in memory.

Several outstations may sit behind one IP address (a gateway or a serial multidrop behind
a terminal server): reassembly is kept per (source, destination) link address pair and
direction, and pairing per (master, outstation, application sequence). A response pairs
with the request from its master carrying the same sequence number; the continuation
fragments of a multi-fragment response (FIR clear) pair with the same request.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.dnp3.application import Apdu, parse_apdu
from interlock.protocols.dnp3.functions import (
    AC_FIN,
    AC_FIR,
    CONFIRM,
    UNSOLICITED_RESPONSE,
)
from interlock.protocols.dnp3.link import LinkFrame
from interlock.protocols.dnp3.transport import Reassembler

MAX_PENDING: Final = 1024
"""Requests remembered per connection (the oldest go first)."""
MAX_LINKS: Final = 256
"""Link address pairs with a partial fragment kept per connection."""


class Fragment(NamedTuple):
    """A reassembled application fragment and the link addresses it travelled between."""

    src: int
    dst: int
    apdu: Apdu

    @property
    def master(self) -> int:
        return self.dst if self.apdu.is_response else self.src

    @property
    def outstation(self) -> int:
        return self.src if self.apdu.is_response else self.dst


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: Fragment
    """The request (DNP3 calls the application-layer unit an APDU)."""


class Observation(NamedTuple):
    """What one link frame meant above the link layer."""

    fragment: Fragment | None
    """The application fragment this frame completed, if any."""
    request: SeenRequest | None
    """For a response fragment: the request it answers, if seen."""
    seq_wrapped: bool
    """The fragment's transport sequence went from 63 back to 0 (see transport.py)."""
    anomaly: str
    """A transport-layer anomaly of this frame ("" when none)."""


def pairing_key(fragment: Fragment) -> tuple[int, int, int]:
    """What a request and its response share: master, outstation, application sequence."""
    return (fragment.master, fragment.outstation, fragment.apdu.seq)


class Dnp3Session:
    __slots__ = ("answering", "reassemblers", "requests")

    def __init__(self) -> None:
        self.reassemblers: dict[tuple[int, int, bool], Reassembler] = {}
        self.requests: dict[tuple[int, int, int], SeenRequest] = {}
        self.answering: dict[tuple[int, int], SeenRequest] = {}

    def observe(
        self, message: LinkFrame, is_request: bool, frame: int, ts: float
    ) -> Observation | None:
        """Feed one link frame; is_request (the TCP client's side) only separates the two
        directions, the roles come from the DNP3 function codes."""
        if not message.carries_data or not message.data_ok:
            return None
        reassembler = self._reassembler((message.src, message.dst, is_request))
        done, problem = reassembler.add(message.data[0], message.data[1:])
        if done is None:
            return Observation(None, None, False, problem) if problem else None
        fragment = Fragment(message.src, message.dst, parse_apdu(done.apdu))
        request = self._pair(fragment, frame, ts)
        return Observation(fragment, request, done.seq_wrapped, problem)

    def _reassembler(self, key: tuple[int, int, bool]) -> Reassembler:
        found = self.reassemblers.get(key)
        if found is None:
            if len(self.reassemblers) >= MAX_LINKS:
                del self.reassemblers[next(iter(self.reassemblers))]
            found = self.reassemblers[key] = Reassembler()
        return found

    def _pair(self, fragment: Fragment, frame_no: int, ts: float) -> SeenRequest | None:
        apdu = fragment.apdu
        if apdu.function < 0 or apdu.function in (CONFIRM, UNSOLICITED_RESPONSE):
            return None
        if not apdu.is_response:
            key = pairing_key(fragment)
            self.requests.pop(key, None)  # re-inserted last: insertion order is age order
            if len(self.requests) >= MAX_PENDING:
                del self.requests[next(iter(self.requests))]
            self.requests[key] = SeenRequest(frame_no, ts, fragment)
            return None
        link = (fragment.master, fragment.outstation)
        if apdu.control & AC_FIR:
            request = self.requests.get(pairing_key(fragment))
        else:
            request = self.answering.get(link)
        if request is not None and not apdu.control & AC_FIN:
            if link not in self.answering and len(self.answering) >= MAX_LINKS:
                del self.answering[next(iter(self.answering))]
            self.answering[link] = request
        elif link in self.answering:
            del self.answering[link]
        return request

"""Per-connection state on TCP 102: COTP reassembly, userdata fragment joining, S7comm-plus
fragment tracking, and request/response pairing.

The engine hands over one TPKT unit at a time; ``observe`` returns an ``Observation``:
what the unit completes (an S7 PDU, an S7comm-plus fragment, a COTP connection TPDU, or
nothing yet) and, for a response, the request it answers. Pairing follows the protocol's
own references: the S7 PDU reference (Job with Ack/Ack_Data, userdata request with
userdata response), the S7comm-plus sequence number, the COTP connection request with
its confirm. Bounded: the newest MAX_PENDING requests per connection are kept, a COTP
TSDU may not grow past MAX_TSDU bytes, and at most MAX_TSDUS are joined at once.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Final, NamedTuple

from interlock.protocols.s7comm.cotp import CC, CR, DC, DR, DT, CotpTpdu
from interlock.protocols.s7comm.header import (
    ACK,
    ACK_DATA,
    JOB,
    USERDATA,
    S7Header,
    is_s7,
    parse_header,
)
from interlock.protocols.s7comm.tpkt import TpktUnit
from interlock.protocols.s7comm.userdata import FragmentJoiner, UserdataParam, parse_userdata_param
from interlock.protocols.s7comm.userdata_functions import TYPE_REQUEST, TYPE_RESPONSE
from interlock.protocols.s7comm_plus.frame import (
    OPCODE_REQUEST,
    OPCODE_RESPONSE,
    OPCODE_RESPONSE2,
    S7pFragment,
    parse_fragment,
)
from interlock.protocols.s7comm_plus.frame import (
    PROTOCOL_ID as S7P_ID,
)

MAX_PENDING: Final = 1024
MAX_TSDU: Final = 1 << 20
MAX_TSDUS: Final = 8

NOTHING: Final = 0
"""The unit completes nothing reportable (a COTP fragment, an acknowledgement, other data)."""
CONNECTION: Final = 1
S7COMM: Final = 2
S7COMM_PLUS: Final = 3


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: Observation
    """The request's observation (named as the engine's transaction sink reads it)."""


class Observation(NamedTuple):
    """What one TPKT unit completes in its direction of the connection."""

    kind: int
    tpdu: CotpTpdu
    payload: bytes
    """The COTP user data, joined over DT fragments (S7 PDU or S7comm-plus fragment)."""
    s7: S7Header | None = None
    userdata: UserdataParam | None = None
    userdata_payload: bytes | None = None
    """Userdata: the data payload a dissector decodes (fragments joined), else None."""
    s7p: S7pFragment | None = None
    request: SeenRequest | None = None
    anomalies: tuple[str, ...] = ()

    @property
    def is_push(self) -> bool:
        """Sent unasked: a userdata push or an S7comm-plus notification."""
        if self.userdata is not None:
            return self.userdata.type not in (TYPE_REQUEST, TYPE_RESPONSE)
        return self.s7p is not None and self.s7p.opcode == 0x33


class _Direction:
    __slots__ = ("joiner", "plus_continues", "tsdus")

    def __init__(self) -> None:
        self.tsdus: dict[int, bytearray] = {}
        """COTP TSDUs in progress, by destination reference (-1: class 0)."""
        self.plus_continues = False
        self.joiner = FragmentJoiner()


class S7Session:
    __slots__ = ("directions", "requests")

    def __init__(self) -> None:
        self.directions = (_Direction(), _Direction())
        self.requests: dict[Hashable, SeenRequest] = {}

    def observe(self, unit: TpktUnit, is_request: bool, frame: int, ts: float) -> Observation:
        seen = self._observe(unit, is_request, frame, ts)
        framing = unit.anomalies + unit.tpdu.anomalies
        return seen._replace(anomalies=framing + seen.anomalies) if framing else seen

    def _observe(self, unit: TpktUnit, is_request: bool, frame: int, ts: float) -> Observation:
        side = self.directions[0 if is_request else 1]
        tpdu = unit.tpdu
        if tpdu.code != DT:
            # Wireshark hands a CR's or CC's user data to the S7 heuristic too.
            if tpdu.code in (CR, CC) and is_s7(tpdu.payload):
                return self._pair(_s7(tpdu, tpdu.payload, side), frame, ts)
            kind = CONNECTION if tpdu.code in (CR, CC, DR, DC) else NOTHING
            return self._pair(Observation(kind, tpdu, tpdu.payload), frame, ts)
        # Class 0 DTs have no reference: Wireshark joins them by connection; the other
        # classes' DTs by their destination reference.
        ref = tpdu.dst_ref if tpdu.li != 2 else -1
        tsdus = side.tsdus
        if not tpdu.eot:
            held = tsdus.get(ref)
            if held is None:
                if len(tsdus) >= MAX_TSDUS:
                    del tsdus[next(iter(tsdus))]
                held = tsdus[ref] = bytearray()
            if len(held) + len(tpdu.payload) > MAX_TSDU:
                del tsdus[ref]
                overflow = ("s7comm.cotp_reassembly_overflow",)
                return Observation(NOTHING, tpdu, b"", anomalies=overflow)
            held += tpdu.payload
            return Observation(NOTHING, tpdu, b"")
        held = tsdus.pop(ref, None) if tsdus else None
        payload = bytes(held + tpdu.payload) if held else tpdu.payload
        if payload[:1] == b"\x32":
            return self._pair(_s7(tpdu, payload, side), frame, ts)
        if payload[:1] == bytes((S7P_ID,)):
            fragment = parse_fragment(payload, side.plus_continues)
            side.plus_continues = not fragment.last
            return self._pair(Observation(S7COMM_PLUS, tpdu, payload, s7p=fragment), frame, ts)
        return Observation(NOTHING, tpdu, payload)

    def _pair(self, seen: Observation, frame: int, ts: float) -> Observation:
        key, is_request = pairing_key(seen)
        if key is None:
            return seen
        requests = self.requests
        if is_request:
            if key in requests:
                del requests[key]  # re-insert: insertion order stays age order
            elif len(requests) >= MAX_PENDING:
                del requests[next(iter(requests))]
            requests[key] = SeenRequest(frame, ts, seen)
            return seen
        request = requests.get(key)
        return seen._replace(request=request) if request is not None else seen


def _s7(tpdu: CotpTpdu, payload: bytes, side: _Direction) -> Observation:
    h = parse_header(payload)
    if h is None:
        return Observation(NOTHING, tpdu, payload)
    if h.rosctr != USERDATA:
        return Observation(S7COMM, tpdu, payload, h)
    param = parse_userdata_param(payload, h)
    if param is None:
        return Observation(S7COMM, tpdu, payload, h, anomalies=("s7comm.userdata_param_truncated",))
    joined, anomalies = side.joiner.payload(payload, h, param)
    return Observation(S7COMM, tpdu, payload, h, param, joined, anomalies=anomalies)


def pairing_key(seen: Observation) -> tuple[Hashable | None, bool]:
    """What a request shares with its response, and whether seen is the request side."""
    if seen.kind == S7COMM and seen.s7 is not None:
        rosctr = seen.s7.rosctr
        if rosctr in (JOB, ACK, ACK_DATA):
            return ("job", seen.s7.pduref), rosctr == JOB
        if seen.userdata is not None and seen.userdata.type in (TYPE_REQUEST, TYPE_RESPONSE):
            return ("userdata", seen.s7.pduref), seen.userdata.type == TYPE_REQUEST
        return None, False
    if seen.kind == S7COMM_PLUS and seen.s7p is not None:
        opcode = seen.s7p.opcode
        if opcode in (OPCODE_REQUEST, OPCODE_RESPONSE, OPCODE_RESPONSE2) and seen.s7p.seqnum >= 0:
            return ("plus", seen.s7p.seqnum), opcode == OPCODE_REQUEST
        return None, False
    if seen.kind == CONNECTION:
        if seen.tpdu.code in (CR, CC):
            return ("cotp", CR), seen.tpdu.code == CR
        return ("cotp", DR), seen.tpdu.code == DR
    return None, False

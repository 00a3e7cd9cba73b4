"""IEC 104 state for one connection: activations paired with their confirmations and
terminations, U-frame acts with their cons, and I-frame send sequence numbers checked
for gaps. Bounded: a fixed number of open activations, two counters.

An activation (cause 6) or deactivation (8) of a command, system or parameter type is
keyed by (common address, type id, first IOA); the confirmation (7 or 9, P/N bit set for
a negative one), the station's "unknown ..." answers (44 to 47) and the termination (10)
carry the same key. A read command (C_RD_NA_1, cause 5 request) pairs the same way with
its confirmation. A confirmation leaves the activation open for its termination.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.iec104.apci import I_FRAME, U_ACTIVATIONS, U_FRAME, Apdu
from interlock.protocols.iec104.type_ids import (
    ACTIVATION,
    ACTIVATION_CON,
    ACTIVATION_TERM,
    DEACTIVATION,
    DEACTIVATION_CON,
    UNKNOWN_CAUSES,
    is_control_direction,
)

MAX_PENDING: Final = 256
"""Open activations remembered per connection (the oldest go first)."""
SEQUENCE_MODULO: Final = 1 << 15

READ_COMMAND: Final = 102
REQUEST: Final = 5

PairingKey = tuple[int, int, int]


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: Apdu
    """The activation (or U act) as it was seen."""


class Observation(NamedTuple):
    """What one APDU meant to the connection."""

    request: SeenRequest | None
    """For a confirmation, termination or U con: what it answers, if seen."""
    anomalies: tuple[str, ...]
    """Connection-level anomalies of this APDU (sequence gaps, answers to nothing)."""


def pairing_key(apdu: Apdu) -> PairingKey:
    """(common address, type id, first IOA) for an ASDU; (-1, act function, -1) for a U frame."""
    if apdu.frame_type == U_FRAME:
        act = apdu.u_function if apdu.u_function in U_ACTIVATIONS else apdu.u_function >> 1
        return (-1, act, -1)
    asdu = apdu.asdu
    if asdu is None:
        return (-1, -1, -1)
    return (asdu.common_address, asdu.type_id, asdu.first_ioa)


def is_activation(apdu: Apdu) -> bool:
    """An ASDU that asks the other station to act (or stop): command, system or parameter;
    a read command (C_RD_NA_1) is a request (cause 5)."""
    asdu = apdu.asdu
    if asdu is None or not is_control_direction(asdu.type_id):
        return False
    return asdu.cause in (ACTIVATION, DEACTIVATION) or (
        asdu.type_id == READ_COMMAND and asdu.cause == REQUEST
    )


def is_answer(apdu: Apdu) -> bool:
    asdu = apdu.asdu
    if asdu is None or not is_control_direction(asdu.type_id):
        return False
    cause = asdu.cause
    return cause in (ACTIVATION_CON, DEACTIVATION_CON, ACTIVATION_TERM) or cause in UNKNOWN_CAUSES


class Iec104Session:
    __slots__ = ("next_tx", "pending")

    def __init__(self) -> None:
        self.pending: dict[PairingKey, SeenRequest] = {}
        self.next_tx = [-1, -1]
        """Expected N(S) of the next I frame, per direction (-1 until one is seen)."""

    def observe(self, message: Apdu, is_request: bool, frame: int, ts: float) -> Observation | None:
        anomalies = self._sequence(message, int(is_request))
        request: SeenRequest | None = None
        if message.frame_type == U_FRAME and message.u_function >= 0:
            request = self._u_frame(message, frame, ts)
        elif message.frame_type == I_FRAME and message.asdu is not None:
            request = self._asdu(message, frame, ts)
            if request is None and is_answer(message):
                anomalies += ("iec104.unmatched_confirmation",)
        if request is None and not anomalies:
            return None
        return Observation(request, anomalies)

    def _sequence(self, message: Apdu, direction: int) -> tuple[str, ...]:
        if message.frame_type != I_FRAME:
            return ()
        expected = self.next_tx[direction]
        self.next_tx[direction] = (message.tx + 1) % SEQUENCE_MODULO
        return ("iec104.sequence_gap",) if expected >= 0 and message.tx != expected else ()

    def _remember(self, key: PairingKey, seen: SeenRequest) -> None:
        self.pending.pop(key, None)  # re-inserted last: insertion order is age order
        if len(self.pending) >= MAX_PENDING:
            del self.pending[next(iter(self.pending))]
        self.pending[key] = seen

    def _u_frame(self, message: Apdu, frame: int, ts: float) -> SeenRequest | None:
        key = pairing_key(message)
        if message.u_function in U_ACTIVATIONS:
            self._remember(key, SeenRequest(frame, ts, message))
            return None
        return self.pending.pop(key, None)

    def _asdu(self, message: Apdu, frame: int, ts: float) -> SeenRequest | None:
        key = pairing_key(message)
        if is_activation(message):
            self._remember(key, SeenRequest(frame, ts, message))
            return None
        if not is_answer(message):
            return None
        asdu = message.asdu
        assert asdu is not None
        if asdu.cause in (ACTIVATION_CON, DEACTIVATION_CON) and not asdu.negative:
            return self.pending.get(key)  # a termination may follow
        return self.pending.pop(key, None)

"""DNP3 application layer fragments (IEEE 1815-2012, section 4.2.2): application control
(FIR, FIN, CON, UNS, 4-bit sequence), function code, internal indications on responses,
then object headers.

parse_apdu reads the fixed part only (cheap, done for every fragment); objects_of walks
the object headers with the standard's object library when the model needs them. Pure;
malformed fragments become anomaly codes.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.dnp3.functions import AC_SEQ, AC_UNS, FUNCTIONS, RESPONSES
from interlock.protocols.dnp3.headers import STANDARD_RULES, ObjectHeader, walk


class Apdu(NamedTuple):
    """One reassembled application fragment, read as far as its fixed part."""

    raw: bytes
    control: int
    """Application control octet; -1 when the fragment is empty."""
    function: int
    """Function code; -1 when the fragment stops before it."""
    iin: int
    """Internal indications of a response; -1 on requests and when cut short."""
    anomalies: tuple[str, ...]

    @property
    def seq(self) -> int:
        return self.control & AC_SEQ if self.control >= 0 else -1

    @property
    def unsolicited(self) -> bool:
        return self.control >= 0 and bool(self.control & AC_UNS)

    @property
    def is_response(self) -> bool:
        return self.function in RESPONSES

    @property
    def objects_at(self) -> int:
        """Where the object headers start."""
        return 4 if self.is_response else 2


def parse_apdu(raw: bytes) -> Apdu:
    n = len(raw)
    if n < 2:
        return Apdu(raw, raw[0] if n else -1, -1, -1, ("dnp3.apdu_truncated",))
    control, function = raw[0], raw[1]
    anomalies: tuple[str, ...] = ()
    if function not in FUNCTIONS:
        anomalies = ("dnp3.function_unknown",)
    iin = -1
    if function in RESPONSES:
        if n < 4:
            return Apdu(raw, control, function, -1, (*anomalies, "dnp3.apdu_truncated"))
        iin = (raw[2] << 8) | raw[3]
    return Apdu(raw, control, function, iin, anomalies)


def objects_of(apdu: Apdu) -> tuple[list[ObjectHeader], str]:
    """The fragment's object headers (standard library), and what stopped the walk."""
    if apdu.function < 0 or (apdu.is_response and apdu.iin < 0):
        return [], ""
    info = FUNCTIONS.get(apdu.function)
    header_only = info.header_only if info is not None else False
    return walk(apdu.raw, apdu.objects_at, header_only, STANDARD_RULES)


def encode_apdu(control: int, function: int, body: bytes = b"", iin: int | None = None) -> bytes:
    """An application fragment: control, function, IIN for responses, then object data."""
    head = bytes((control & 0xFF, function & 0xFF))
    if iin is not None:
        head += bytes(((iin >> 8) & 0xFF, iin & 0xFF))
    return head + body

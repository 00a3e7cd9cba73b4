"""The Modbus/TCP adapter of the policy core: request PDUs to PolicyRequests, response PDUs
back into the core's state, and refusals as Modbus exception responses.

Reuses the engine's sans-IO PDU decoder (``interlock.protocols.modbus.pdu``) and its
operation classes, so that replay, the passive engine and the inline gateway read a
request the same way. Modbus Application Protocol Specification v1.1b3: function codes in
section 6, exception responses in section 7. Pure: bytes in, values out.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Final, Protocol

from interlock.model import OperationClass
from interlock.policy.request import PolicyRequest
from interlock.protocols.modbus.functions import FUNCTIONS, function_name
from interlock.protocols.modbus.pdu import ModbusPDU, decode_pdu, pdu_anomalies
from interlock.protocols.modbus.transactions import operation_of

PROTOCOL: Final = "modbus"
COIL_ON: Final = 0xFF00
BIT_READS: Final = frozenset({1, 2})
WORD_READS: Final = frozenset({3, 4, 23})


def request_from_pdu(
    pdu: bytes, unit: int, client_ip: str, time: float, server_ip: str = ""
) -> PolicyRequest:
    """The policy's view of a Modbus request PDU (function code byte first).

    Covers every function: reads and writes (FC 1-6, 15, 16, 22, 23, 24) with their
    addresses and values; diagnostics (FC 8) with the sub-function, whose restart (1) and
    listen-only (4) are operation classes of their own; identity (FC 17, 43/14); UMAS (FC
    90) by its own function; file records and unknown functions without an address.
    """
    decoded = decode_pdu(pdu, True)
    fc = decoded.function
    info = FUNCTIONS.get(fc)
    operation = operation_of(decoded) if fc >= 0 else OperationClass.OTHER
    space = info.space if info is not None and info.space in _SPACES else ""
    values = decoded.values
    anomalies = decoded.anomalies
    if fc == 5 and values:
        values = (1 if values[0] == COIL_ON else 0 if values[0] == 0 else values[0],)
    if fc in (15, 16) and decoded.count is not None and len(values) != decoded.count:
        anomalies = (*anomalies, "modbus.values_count_mismatch")
    address, quantity = decoded.start, decoded.count or 0
    read_address, read_quantity = None, 0
    if fc == 23:
        read_address, read_quantity = decoded.start, decoded.count or 0
        address, quantity = decoded.write_start, decoded.write_count or 0
    elif fc == 24:
        quantity = 1
    if not space:
        address = None
    return PolicyRequest(
        time=time,
        client=client_ip,
        protocol=PROTOCOL,
        unit=unit,
        operation=operation,
        function=fc,
        sub_function=_sub_function(decoded),
        space=space,
        address=address,
        quantity=quantity,
        values=values if operation == OperationClass.WRITE else (),
        mask=_mask(decoded),
        read_address=read_address,
        read_quantity=read_quantity,
        server=server_ip,
        function_name=function_name(fc) if fc >= 0 else "empty",
        anomalies=anomalies,
    )


_SPACES: Final = frozenset({"coils", "discrete_inputs", "holding_registers", "input_registers"})


def _sub_function(decoded: ModbusPDU) -> int | None:
    if decoded.function == 43:
        return decoded.mei_type
    if decoded.function == 90:
        return decoded.umas_function
    return decoded.sub_function


def _mask(decoded: ModbusPDU) -> tuple[int, int] | None:
    if decoded.function == 22 and decoded.and_mask is not None and decoded.or_mask is not None:
        return (decoded.and_mask, decoded.or_mask)
    return None


def response_values(request: PolicyRequest, pdu: bytes) -> tuple[bool, tuple[int, ...] | None]:
    """(ok, values read) from the server's response PDU to request.

    ok is False for an exception response, one that answers another function, or a
    malformed one; values are the bits (FC 1, 2) or words (FC 3, 4, 23) read, never more
    than the request asked for, None for other functions. The byte-counted reads are
    checked here directly (their only malformation is a byte count that disagrees with the
    length: Application Protocol v1.1b3, 6.1-6.4, 6.17), the rest by the PDU decoder.
    """
    if not pdu or pdu[0] & 0x80 or pdu[0] != request.function:
        return False, None
    function = request.function
    if function in WORD_READS or function in BIT_READS:
        size = len(pdu)
        if size < 2 or size != 2 + pdu[1]:
            return False, None
        if function in BIT_READS:
            count = min(max(request.quantity, 0), 8 * pdu[1])
            return True, tuple((pdu[2 + k // 8] >> (k % 8)) & 1 for k in range(count))
        asked = request.read_quantity if function == 23 else request.quantity
        count = min(pdu[1] // 2, max(asked, 0))
        return True, _WORDS[count].unpack_from(pdu, 2) if count < len(_WORDS) else ()
    if pdu_anomalies(pdu, False):
        return False, None
    return True, None


_WORDS: Final = tuple(struct.Struct(f">{n}H") for n in range(128))
"""Big-endian register unpackers by count (a response holds at most 127 registers)."""


class Observer(Protocol):
    """What learns from answers: a DecisionCore, or anything standing in for one."""

    def observe(
        self, request: PolicyRequest, read_values: Sequence[int] | None = None, ok: bool = True
    ) -> None: ...


def observe_response(core: Observer, request: PolicyRequest, pdu: bytes) -> None:
    """Feed the server's response to a forwarded request into the core's state."""
    ok, values = response_values(request, pdu)
    core.observe(request, values, ok)


def exception_response(request_pdu: bytes, code: int) -> bytes:
    """The exception response PDU refusing request_pdu: function | 0x80, then the code."""
    function = request_pdu[0] if request_pdu else 0
    return bytes(((function | 0x80) & 0xFF, code & 0xFF))

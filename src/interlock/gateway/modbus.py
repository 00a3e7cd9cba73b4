"""Modbus/TCP for the gateway: MBAP framing, requests for the decision core, refusals.

Frames are cut by the MBAP length field (Messaging on TCP/IP Implementation Guide v1.0b,
3.1.3) with the same codec the passive dissector uses; PDUs become PolicyRequests through
``interlock.policy.modbus``. A refusal is the exception response the specification gives
a server (function code with bit 7 set, then the exception code; Application Protocol
v1.1b3, 7), with the request's transaction and unit ids: the HMI shows an error for that
one request and keeps polling. The gateway exception codes (0x0A, 0x0B) say when the
device itself cannot be reached.

What is malformed and what happens:
- protocol id not 0: the frame is dropped whole, as a server must drop it; stream in step;
- length field outside 2..254: framing is lost, no later byte can be trusted to start a
  frame, so the connection is closed (orderly FIN) after an anomaly record.
"""

from __future__ import annotations

from typing import Any, Final

from interlock.gateway.adapter import Cut, InboundRequest
from interlock.policy.modbus import (
    exception_response,
    observe_response,
    request_from_pdu,
)
from interlock.policy.request import PolicyRequest
from interlock.protocols.modbus.mbap import HEADER_LEN, MAX_LENGTH_FIELD, encode_adu

MAX_SHAPES: Final = 1024
"""Distinct request shapes remembered (an HMI polls a few dozen; beyond, start afresh)."""
PATH_UNAVAILABLE: Final = 0x0A
TARGET_NO_RESPONSE: Final = 0x0B


class ModbusAdapter:
    protocol = "modbus"
    per_request_fields: tuple[str, ...] = ("transaction",)

    def __init__(self, server: str = "") -> None:
        self.server = server
        self._parsed: dict[bytes, tuple[PolicyRequest, dict[str, Any]]] = {}
        """Unit id and PDU -> what they mean: the PolicyRequest (made for each request at
        its time and client) and the audit fields but the transaction id."""

    def cut(self, buf: bytes | bytearray) -> Cut:
        out = Cut()
        # Typed bytes: compiled, indexing is a byte load, not a generic lookup per byte.
        data: bytes = buf if isinstance(buf, bytes) else bytes(buf)
        pos, end = 0, len(data)
        frames = out.frames
        while end - pos >= HEADER_LEN - 1:
            length = (data[pos + 4] << 8) | data[pos + 5]
            if not 2 <= length <= MAX_LENGTH_FIELD:
                out.fatal = "modbus.length_invalid"
                break
            stop = pos + 6 + length
            if stop > end:
                break
            if data[pos + 2] or data[pos + 3]:
                out.dropped.append("modbus.protocol_id")
            else:
                frames.append(data if pos == 0 and stop == end else data[pos:stop])
            pos = stop
        out.consumed = pos
        return out

    def request(self, frame: bytes, client_ip: str, now: float) -> InboundRequest:
        trans_id = (frame[0] << 8) | frame[1]
        shape = frame[6:]
        known = self._parsed.get(shape)
        if known is None:
            known = self._parse(shape)
        asked, base = known
        policy_request = asked.at(now, client_ip)
        fields = base.copy()
        fields["transaction"] = trans_id
        return InboundRequest(
            trans_id, policy_request, fields, frame, None if asked.writes_values else shape
        )

    def _parse(self, shape: bytes) -> tuple[PolicyRequest, dict[str, Any]]:
        """The meaning of a unit id and PDU, remembered when it writes no values (reads and
        the like repeat; a bounded table all the same, whatever a client sends)."""
        parsed = request_from_pdu(shape[1:], shape[0], "", 0.0, self.server)
        fields: dict[str, Any] = {
            "unit": shape[0],
            "function_code": shape[1],  # the MBAP length is at least 2: never empty
            "function": parsed.function_name,
            "space": parsed.space or None,
            "address": parsed.address,
            "quantity": parsed.quantity,
            "values": list(parsed.values),
            "sub_function": parsed.sub_function,
            "anomalies": list(parsed.anomalies),
        }
        known = (parsed, fields)
        if not parsed.writes_values:
            if len(self._parsed) >= MAX_SHAPES:
                self._parsed.clear()
            self._parsed[shape] = known
        return known

    def response_key(self, frame: bytes) -> int:
        return (frame[0] << 8) | frame[1]

    def response_shape(self, frame: bytes) -> bytes:
        return frame[6:]

    def refusal(self, request: InboundRequest, code: int) -> bytes:
        return _exception(request.frame, code)

    def unavailable(self, request: InboundRequest) -> bytes:
        return _exception(request.frame, PATH_UNAVAILABLE)

    def no_answer(self, request: InboundRequest) -> bytes:
        return _exception(request.frame, TARGET_NO_RESPONSE)

    def observe(self, core: Any, request: InboundRequest, response: bytes, now: float) -> None:
        observe_response(core, request.policy_request, response[7:])


def _exception(frame: bytes, code: int) -> bytes:
    """The exception response to the request in frame: same transaction id and unit id."""
    trans_id = (frame[0] << 8) | frame[1]
    return encode_adu(trans_id, frame[6], exception_response(frame[7:], code))

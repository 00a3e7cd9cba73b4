"""Request/response pairing for one Modbus/TCP connection, bounded in memory.

A response answers the most recent earlier request with the same transaction id, unit id
and function code (as Wireshark pairs them). Requests are kept after they are answered so
that a repeated response still pairs; the table keeps only the newest entries.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.modbus.mbap import ModbusADU

MAX_PENDING: Final = 1024
_new = tuple.__new__


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: ModbusADU


class ModbusSession:
    __slots__ = ("requests",)

    def __init__(self) -> None:
        self.requests: dict[tuple[int, int, int], SeenRequest] = {}

    def observe(
        self, adu: ModbusADU, is_request: bool, frame: int, ts: float
    ) -> SeenRequest | None:
        # Indexing, not attribute names: this runs for every Modbus message.
        key = (adu[3], adu[0], adu[4] & 0x7F)  # unit id, transaction id, function
        requests = self.requests
        if is_request:
            if key in requests:
                del requests[key]  # re-insert so that insertion order stays age order
            elif len(requests) >= MAX_PENDING:
                del requests[next(iter(requests))]
            requests[key] = _new(SeenRequest, (frame, ts, adu))
            return None
        return requests.get(key)

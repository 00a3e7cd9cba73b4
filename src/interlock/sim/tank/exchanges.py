"""One Modbus request a simulated client made and what came back, and a bounded log of them.

Outcomes, in the terms an operator cares about: `ok` (answered), `exception` (a Modbus
exception response: the PLC or the gateway refused it), `no_response` (nobody answered
before the client's timeout: a silent or restarting PLC), `not_connected` (the TCP
connection could not be made).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from pymodbus.exceptions import ConnectionException, ModbusIOException

Outcome = Literal["ok", "exception", "no_response", "not_connected"]
MAX_KEPT: Final = 200
MAX_LATENCIES: Final = 100_000


@dataclass(frozen=True, slots=True)
class Exchange:
    function: int
    address: int | None
    values: tuple[int, ...]
    outcome: Outcome
    exception_code: int | None = None
    latency_ms: float | None = None
    what: str = ""

    def document(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "address": self.address,
            "values": list(self.values),
            "what": self.what,
            "outcome": self.outcome,
            "exception_code": self.exception_code,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 3),
        }


async def perform(
    request: Callable[[], Awaitable[Any]],
    function: int,
    address: int | None,
    values: tuple[int, ...] = (),
    what: str = "",
) -> tuple[Exchange, Any]:
    """Await one pymodbus client call; classify what came back (and return the response
    when it is a normal one)."""
    started = time.perf_counter()
    try:
        response = await request()
    except ModbusIOException:
        return Exchange(function, address, values, "no_response", what=what), None
    except ConnectionException:
        return Exchange(function, address, values, "not_connected", what=what), None
    latency = (time.perf_counter() - started) * 1000
    if response is None:  # the client was told not to wait for a reply
        return Exchange(function, address, values, "no_response", what=what), None
    if response.isError():
        code = getattr(response, "exception_code", None)
        return Exchange(function, address, values, "exception", code, latency, what), None
    return Exchange(function, address, values, "ok", None, latency, what), response


@dataclass
class ClientLog:
    """Counts for every exchange; the exchanges that failed, and latencies, bounded."""

    outcomes: Counter[str] = field(default_factory=Counter)
    functions: Counter[int] = field(default_factory=Counter)
    writes: int = 0
    failed: list[Exchange] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def add(self, exchange: Exchange) -> Exchange:
        self.outcomes[exchange.outcome] += 1
        self.functions[exchange.function] += 1
        if exchange.function in (5, 6, 15, 16):
            self.writes += 1
        if exchange.outcome != "ok" and len(self.failed) < MAX_KEPT:
            self.failed.append(exchange)
        if exchange.latency_ms is not None and len(self.latencies_ms) < MAX_LATENCIES:
            self.latencies_ms.append(exchange.latency_ms)
        return exchange

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    @property
    def refused(self) -> int:
        """Requests that did not get a normal answer: what an operator lost."""
        return self.total - self.outcomes["ok"]

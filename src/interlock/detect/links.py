"""Link-layer requests the transaction builders do not report, turned into transactions.

DNP3 transactions are application fragments; a link-only frame (RESET_LINK_STATES,
RESET_USER_PROCESS, TEST_LINK_STATES...) is never one. Detection still wants the resets:
a master resetting an outstation's link (IEEE 1815-2012, 9.2.4.1.3) makes it drop the
frames it expected next, and RESET_USER_PROCESS (obsolete) resets the user process.
This tap watches DNP3 link frames and pairs each reset from a master with the
outstation's ACK or NACK (secondary functions 0 and 1), as transactions of protocol
``dnp3`` with function ``LINK_FUNCTION_BASE + link function`` (256 reset_link_states,
257 reset_user_process), operation ``session`` and ``details.layer = "link"``.

Bounded: at most MAX_PENDING resets wait for an answer; beyond, the oldest is emitted
unanswered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.net.flows import Flow

LINK_FUNCTION_BASE: Final = 0x100
RESETS: Final[dict[int, str]] = {0: "reset_link_states", 1: "reset_user_process"}
ACK: Final = 0
NACK: Final = 1
MAX_PENDING: Final = 4096

Pending = tuple[int, float, int, Endpoint, Endpoint, int, int]
"""frame, ts, link function, master endpoint, outstation endpoint, master, outstation."""


class Dnp3LinkResets:
    def __init__(self, emit: Callable[[Transaction], None]) -> None:
        self.emit = emit
        self.pending: dict[int, dict[tuple[int, int], Pending]] = {}
        """flow id -> (master address, outstation address) -> the reset awaiting its ACK."""
        self.waiting = 0

    def unit(self, frame: int, ts: float, flow: Flow, direction: int, message: Any) -> None:
        control = getattr(message, "control", None)
        if not isinstance(control, int) or getattr(message, "length", -1) < 5:
            return
        function = control & 0x0F
        primary = bool(control & 0x40)
        if primary and function in RESETS and control & 0x80:
            src, sport, dst, dport = flow.text[direction]
            key = (message.src, message.dst)
            waiting = self.pending.get(id(flow))
            previous = waiting.pop(key, None) if waiting else None
            if previous is not None:
                self.waiting -= 1
                self._emit(previous, None, None, "unanswered")
            elif self.waiting >= MAX_PENDING:
                self._drop_oldest()
            self.pending.setdefault(id(flow), {})[key] = (
                frame, ts, function, Endpoint(src, sport), Endpoint(dst, dport),
                message.src, message.dst,
            )  # fmt: skip
            self.waiting += 1
        elif not primary and function in (ACK, NACK):
            waiting = self.pending.get(id(flow))
            found = waiting.pop((message.dst, message.src), None) if waiting else None
            if found is not None:
                if not waiting:
                    del self.pending[id(flow)]
                self.waiting -= 1
                self._emit(found, frame, ts, "ok" if function == ACK else "exception")

    def flow_closed(self, flow: Flow) -> None:
        for pending in self.pending.pop(id(flow), {}).values():
            self.waiting -= 1
            self._emit(pending, None, None, "unanswered")

    def finish(self) -> None:
        for waiting in self.pending.values():
            for pending in waiting.values():
                self._emit(pending, None, None, "unanswered")
        self.pending.clear()
        self.waiting = 0

    def _drop_oldest(self) -> None:
        flow_id = next(iter(self.pending))
        waiting = self.pending[flow_id]
        oldest = waiting.pop(next(iter(waiting)))
        if not waiting:
            del self.pending[flow_id]
        self.waiting -= 1
        self._emit(oldest, None, None, "unanswered")

    def _emit(
        self,
        pending: Pending,
        response_frame: int | None,
        response_ts: float | None,
        status: TransactionStatus,
    ) -> None:
        frame, ts, function, master_end, outstation_end, master, outstation = pending
        self.emit(
            Transaction(
                protocol="dnp3",
                client=master_end,
                server=outstation_end,
                function=LINK_FUNCTION_BASE + function,
                function_name=RESETS[function],
                operation=OperationClass.SESSION,
                status=status,
                request_frame=frame,
                response_frame=response_frame,
                request_ts=ts,
                response_ts=response_ts,
                exception_code=NACK if status == "exception" else None,
                details={"layer": "link", "master": master, "outstation": outstation},
            )
        )

"""Turn the engine's paired units into typed transactions (the model the rest consumes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from interlock.model import Endpoint, Transaction
from interlock.net.flows import Flow
from interlock.protocols.modbus import transactions as modbus_transactions

MAX_OPEN_PER_FLOW: Final = 1024

Builder = Callable[..., Transaction]
BUILDERS: Final[dict[str, Builder]] = {"modbus": modbus_transactions.build}


class TransactionSink:
    """Engine sink that emits one Transaction per request/response pair.

    A request not yet answered waits (bounded per flow); at the end, or when the bound is
    reached, it is emitted as unanswered. A response with no request is emitted alone.
    """

    def __init__(self, emit: Callable[[Transaction], None]) -> None:
        self.emit = emit
        self.open: dict[int, tuple[Flow, dict[Any, tuple[int, float, Any]]]] = {}

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        spec = flow.spec
        assert spec is not None
        build = BUILDERS.get(spec.name)
        if build is None:
            return
        client, server = _endpoints(flow)
        _, waiting = self.open.setdefault(id(flow), (flow, {}))
        if direction == flow.client_dir:
            key = (message.unit_id, message.trans_id, message.function)
            previous = waiting.pop(key, None)
            if previous is not None:
                self.emit(
                    build(client, server, previous[2], previous[0], previous[1], None, None, None)
                )
            elif len(waiting) >= MAX_OPEN_PER_FLOW:
                old_key = next(iter(waiting))
                f, t, m = waiting.pop(old_key)
                self.emit(build(client, server, m, f, t, None, None, None))
            waiting[key] = (frame, ts, message)
            return
        if answered is not None:
            waiting.pop((message.unit_id, message.trans_id, message.function), None)
            self.emit(
                build(client, server, answered.adu, answered.frame, answered.ts, message, frame, ts)
            )
        else:
            self.emit(build(client, server, None, None, None, message, frame, ts))

    def finish(self) -> None:
        for flow, waiting in self.open.values():
            client, server = _endpoints(flow)
            build = BUILDERS[flow.spec.name] if flow.spec else None
            if build is None:
                continue
            for frame, ts, message in waiting.values():
                self.emit(build(client, server, message, frame, ts, None, None, None))
        self.open.clear()


def _endpoints(flow: Flow) -> tuple[Endpoint, Endpoint]:
    src, sport, dst, dport = flow.text[flow.client_dir if flow.client_dir >= 0 else 0]
    return Endpoint(src, sport), Endpoint(dst, dport)

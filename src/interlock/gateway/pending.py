"""Requests forwarded and not yet answered, per connection: pairs each response with its
request (by the adapter's key, the Modbus transaction id) and its arrival time.

Bounded: beyond ``limit`` the oldest entry is forgotten (a device that never answers some
requests, such as a unit id it does not serve, must not grow the table). Several entries
may share a key (a client reusing a transaction id); they are answered oldest first.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from interlock.gateway.adapter import InboundRequest


@dataclass(slots=True)
class Pending:
    request: InboundRequest
    received_ns: int
    """When the request's bytes came out of recv."""
    ready_ns: int = 0
    """Just before it was written upstream (ruling and audit done)."""
    sent_ns: int = 0
    """Just after it was written upstream; 0 while the write is still going."""

    def __init__(
        self, request: InboundRequest, received_ns: int, ready_ns: int = 0, sent_ns: int = 0
    ) -> None:
        # Written out so that mypyc compiles it (see interlock.gateway.adapter.Cut).
        self.request = request
        self.received_ns = received_ns
        self.ready_ns = ready_ns
        self.sent_ns = sent_ns


class PendingTable:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.forgotten = 0
        self._entries: dict[int, list[Pending]] = {}
        self._count = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._count

    def add(self, entry: Pending) -> bool:
        """Keep entry; False when the oldest entry had to be forgotten for it."""
        with self._lock:
            full = self._count >= self.limit
            if full:
                oldest = next(iter(self._entries))
                queue = self._entries[oldest]
                queue.pop(0)
                if not queue:
                    del self._entries[oldest]
                self._count -= 1
                self.forgotten += 1
            self._entries.setdefault(entry.request.key, []).append(entry)
            self._count += 1
            return not full

    def take(self, key: int, entry: Pending | None = None) -> Pending | None:
        """The oldest entry under key (or exactly entry), removed; None when absent."""
        with self._lock:
            queue = self._entries.get(key)
            if not queue:
                return None
            if entry is None:
                found = queue.pop(0)
            elif entry in queue:
                queue.remove(entry)
                found = entry
            else:
                return None
            if not queue:
                del self._entries[key]
            self._count -= 1
            return found

    def drain(self) -> list[Pending]:
        """Every entry, oldest key first; the table is empty afterwards."""
        with self._lock:
            entries = [entry for queue in self._entries.values() for entry in queue]
            self._entries.clear()
            self._count = 0
        return entries

"""The engine's flow table: both directions of every conversation by key, bounded.

A key is the addresses then the ports as on the wire (b"u" first for UDP; b"e" and the
ethertype first for link-layer protocols, whose "ports" are zero), so that the
packet loop finds a flow with one slice. The table holds at most max_flows flows (when
full, the least recently active quarter goes) and forgets a flow silent for idle_seconds
of capture time, as Zeek's inactivity timeout does: per-flow state must not pile up from
conversations that never close. Every forgotten flow is handed to on_forget.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Final

from interlock.health import CaptureHealth
from interlock.net.flows import Flow

MAX_FLOWS: Final = 65_536
# Modbus polling and DNP3 integrity polls come far more often than this.
IDLE_SECONDS: Final = 300.0

_PORTS = struct.Struct(">HH")


class FlowTable:
    def __init__(
        self,
        health: CaptureHealth,
        on_forget: Callable[[Flow], None],
        max_flows: int = MAX_FLOWS,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.entries: dict[bytes, tuple[Flow, int]] = {}
        """key -> (flow, direction of the packets with this key)"""
        self.health = health
        self.on_forget = on_forget
        self.max_flows = max_flows
        self.idle_seconds = idle_seconds
        self.swept_at = 0.0

    def add(self, transport: int, addresses: bytes, key: bytes, ts: float) -> Flow:
        """A new flow whose direction 0 is the packet with this key."""
        elapsed = ts - self.swept_at
        if elapsed >= self.idle_seconds / 4:
            self._expire(ts)
        elif elapsed < -self.idle_seconds:
            self.swept_at = ts  # the capture's clock went back (concatenated files)
        if len(self.entries) >= 2 * self.max_flows:
            self._evict()
        sport, dport = _PORTS.unpack_from(key, len(key) - 4)
        half = len(addresses) // 2
        prefix = key[: len(key) - len(addresses) - 4]  # b"u" for UDP, b"e"+ethertype for L2
        reverse = prefix + addresses[half:] + addresses[:half] + key[-2:] + key[-4:-2]
        flow = Flow(transport, addresses, sport, dport, (key, reverse))
        self.entries[key] = (flow, 0)
        self.entries[reverse] = (flow, 1)
        return flow

    def close(self, flow: Flow) -> None:
        for key in flow.keys:
            self.entries.pop(key, None)
        self.on_forget(flow)

    def close_all(self) -> None:
        unique = {id(flow): flow for flow, _ in self.entries.values()}
        self.entries.clear()
        for flow in unique.values():
            self.on_forget(flow)

    def _expire(self, now: float) -> None:
        self.swept_at = now
        limit = now - self.idle_seconds
        quiet = {id(f): f for f, _ in self.entries.values() if f.last_seen < limit}
        for flow in quiet.values():
            self.close(flow)
        self.health.flows_expired += len(quiet)

    def _evict(self) -> None:
        unique = {id(f): f for f, _ in self.entries.values()}
        victims = sorted(unique.values(), key=lambda f: f.last_seen)[: max(1, len(unique) // 4)]
        for flow in victims:
            self.close(flow)
        self.health.flows_evicted += len(victims)

"""Run the engine over a made-up MQTT conversation and collect what it reports."""

from __future__ import annotations

import io
import json
from typing import Any

from interlock.capture.frames import Frame
from interlock.capture.linktypes import ETHERNET
from interlock.engine import Engine
from interlock.health import CaptureHealth
from interlock.model import Transaction
from interlock.protocols.registry import PROTOCOLS
from interlock.render.dissect import JsonlSink
from interlock.sim.tcp_frames import TcpConversation
from interlock.transactions import TransactionSink

Segment = tuple[int, bytes]
"""(0: client to broker, 1: broker to client), TCP payload."""


def frames(segments: list[Segment], port: int = 1883) -> list[Frame]:
    """Handshake (frames 1-3), one frame per segment (from 4 on), teardown."""
    c = TcpConversation("10.0.0.1", 40001, "10.0.0.2", port)
    packets = [*c.handshake(), *(c.data(d, p) for d, p in segments), *c.close()]
    return [Frame(float(i), ETHERNET, p, len(p)) for i, p in enumerate(packets)]


def run(segments: list[Segment], port: int = 1883) -> tuple[list[dict[str, Any]], CaptureHealth]:
    out = io.BytesIO()
    sink = JsonlSink(out)
    engine = Engine(PROTOCOLS, sink)
    engine.run(frames(segments, port))
    health = engine.finish()
    sink.flush()
    return [json.loads(line) for line in out.getvalue().splitlines()], health


def records(segments: list[Segment], port: int = 1883) -> list[dict[str, Any]]:
    """The dissect records (JSON objects) of the conversation."""
    return run(segments, port)[0]


def transactions(segments: list[Segment], port: int = 1883) -> list[Transaction]:
    out: list[Transaction] = []
    engine = Engine(PROTOCOLS, TransactionSink(out.append))
    engine.run(frames(segments, port))
    engine.finish()
    return out

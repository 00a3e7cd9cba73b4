"""Run the engine over a made-up TCP 102 conversation and collect what it reports."""

from __future__ import annotations

import io
import json
from typing import Any

from interlock.capture.frames import Frame
from interlock.capture.linktypes import ETHERNET
from interlock.engine import Engine
from interlock.model import Transaction
from interlock.protocols.registry import PROTOCOLS
from interlock.protocols.s7comm.cotp import encode_dt
from interlock.protocols.s7comm.tpkt import encode_tpkt
from interlock.render.dissect import JsonlSink
from interlock.sim.tcp_frames import TcpConversation
from interlock.transactions import TransactionSink

Segment = tuple[int, bytes]
"""(0: client to PLC, 1: PLC to client), TCP payload."""


def dt(payload: bytes, eot: bool = True) -> bytes:
    """A TPKT packet holding one class 0 DT."""
    return encode_tpkt(encode_dt(payload, eot))


def frames(segments: list[Segment]) -> list[Frame]:
    """Handshake (frames 1-3), one frame per segment (from 4 on), teardown."""
    c = TcpConversation("10.0.0.1", 40001, "10.0.0.2", 102)
    packets = [*c.handshake(), *(c.data(d, p) for d, p in segments), *c.close()]
    return [Frame(float(i), ETHERNET, p, len(p)) for i, p in enumerate(packets)]


def records(segments: list[Segment]) -> list[dict[str, Any]]:
    """The dissect records (JSON objects) of the conversation."""
    out = io.BytesIO()
    sink = JsonlSink(out)
    engine = Engine(PROTOCOLS, sink)
    engine.run(frames(segments))
    engine.finish()
    sink.flush()
    return [json.loads(line) for line in out.getvalue().splitlines()]


def transactions(segments: list[Segment]) -> list[Transaction]:
    out: list[Transaction] = []
    engine = Engine(PROTOCOLS, TransactionSink(out.append))
    engine.run(frames(segments))
    engine.finish()
    return out

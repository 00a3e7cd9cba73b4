"""Run the engine over a made-up TCP 2404 conversation and collect what it reports."""

from __future__ import annotations

import io
import json
from typing import Any

from interlock.capture.frames import Frame
from interlock.capture.linktypes import ETHERNET
from interlock.engine import Engine
from interlock.model import Transaction
from interlock.protocols.iec104.apci import encode_apdu
from interlock.protocols.registry import PROTOCOLS
from interlock.render.dissect import JsonlSink
from interlock.sim.tcp_frames import TcpConversation
from interlock.transactions import TransactionSink

Segment = tuple[int, bytes]
"""(0: controlling station to controlled station, 1: back), TCP payload."""

STARTDT_ACT = encode_apdu(b"\x07\x00\x00\x00")
STARTDT_CON = encode_apdu(b"\x0b\x00\x00\x00")


def i_frame(tx: int, rx: int, asdu: bytes) -> bytes:
    control = bytes(((tx << 1) & 0xFF, tx >> 7, (rx << 1) & 0xFF, rx >> 7))
    return encode_apdu(control, asdu)


def asdu(type_id: int, cause: int, ioa: int, element: bytes, ca: int = 7, vsq: int = 1) -> bytes:
    return bytes((type_id, vsq, cause, 0, ca & 0xFF, ca >> 8)) + ioa.to_bytes(3, "little") + element


def frames(segments: list[Segment], port: int = 2404) -> list[Frame]:
    """Handshake (frames 1-3), one frame per segment (from 4 on), teardown."""
    c = TcpConversation("10.0.0.1", 40001, "10.0.0.2", port)
    packets = [*c.handshake(), *(c.data(d, p) for d, p in segments), *c.close()]
    return [Frame(float(i), ETHERNET, p, len(p)) for i, p in enumerate(packets)]


def records(segments: list[Segment], port: int = 2404) -> list[dict[str, Any]]:
    out = io.BytesIO()
    sink = JsonlSink(out)
    engine = Engine(PROTOCOLS, sink)
    engine.run(frames(segments, port))
    engine.finish()
    sink.flush()
    return [json.loads(line) for line in out.getvalue().splitlines()]


def transactions(segments: list[Segment]) -> list[Transaction]:
    out: list[Transaction] = []
    engine = Engine(PROTOCOLS, TransactionSink(out.append))
    engine.run(frames(segments))
    engine.finish()
    return out

"""`interlock dissect --jsonl`: one JSON object per protocol unit, as Wireshark 4.0 shows it.

The shape is fixed by ../shared/spec/dissect.md. Records are encoded with orjson and
written in batches so that output costs little per unit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, BinaryIO, Final

import orjson

from interlock.net.flows import TCP, Flow
from interlock.protocols.modbus.mbap import ModbusADU
from interlock.protocols.modbus.pdu import pdu_anomalies
from interlock.render.modbus_fields import modbus_fields

BATCH: Final = 2048
TRANSPORTS: Final = {6: "tcp", 17: "udp"}


def _modbus(
    flow: Flow, direction: int, adu: ModbusADU, answered: Any, ports: Collection[int]
) -> tuple[dict[str, Any], list[str]]:
    sport, dport = flow.ports if direction == 0 else flow.ports[::-1]
    s_in, d_in = sport in ports, dport in ports
    is_query = None if s_in == d_in else d_in
    anomalies = list(adu.anomalies) or list(pdu_anomalies(adu.pdu, direction == flow.client_dir))
    return modbus_fields(adu, is_query, answered), anomalies


Renderer = Callable[[Flow, int, Any, Any, Collection[int]], tuple[dict[str, Any], list[str]]]
RENDERERS: Final[dict[str, Renderer]] = {"modbus": _modbus}


class JsonlSink:
    """Engine sink that writes dissect records to a binary stream."""

    def __init__(
        self,
        out: BinaryIO,
        protocols: Collection[str] | None = None,
        server_ports: dict[str, frozenset[int]] | None = None,
    ) -> None:
        self.out = out
        self.wanted = frozenset(protocols) if protocols else None
        self.server_ports = server_ports or {}
        self.lines: list[bytes] = []
        self.written = 0

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        spec = flow.spec
        assert spec is not None
        name = spec.name
        if self.wanted is not None and name not in self.wanted:
            return
        fields, anomalies = RENDERERS[name](
            flow, direction, message, answered, self.server_ports.get(name, spec.tcp_ports)
        )
        src, sport, dst, dport = flow.text[direction]
        self.lines.append(
            orjson.dumps(
                {
                    "frame": frame,
                    "ts": ts,
                    "proto": name,
                    "transport": "tcp" if flow.transport == TCP else "udp",
                    "src": src,
                    "sport": sport,
                    "dst": dst,
                    "dport": dport,
                    "fields": fields,
                    "anomalies": anomalies,
                },
                option=orjson.OPT_APPEND_NEWLINE,
            )
        )
        if len(self.lines) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            self.out.write(b"".join(self.lines))
            self.written += len(self.lines)
            self.lines.clear()
        self.out.flush()

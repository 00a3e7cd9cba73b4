"""Run the engine over a capture source with a chosen sink: the `dissect` job, minus the CLI."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from interlock.capture.frames import Frame
from interlock.engine import Engine
from interlock.errors import CaptureError, UsageError
from interlock.health import CaptureHealth
from interlock.protocols.registry import PROTOCOLS
from interlock.sinks import UnitSink


def parse_decode_as(values: Iterable[str]) -> dict[int, str]:
    """PORT=NAME pairs, as Wireshark's -d takes them (tcp.port==PORT,NAME is accepted too)."""
    mapping: dict[int, str] = {}
    for value in values:
        text = value.removeprefix("tcp.port==").removeprefix("udp.port==")
        port_text, sep, name = text.replace(",", "=", 1).partition("=")
        name = {"mbtcp": "modbus"}.get(name.strip().lower(), name.strip().lower())
        if not sep or not port_text.strip().isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(f"--decode-as {value!r}: expected PORT=NAME, e.g. 5020=modbus")
        if name not in PROTOCOLS:
            known = ", ".join(sorted(PROTOCOLS))
            raise UsageError(f"--decode-as {value!r}: unknown protocol {name!r} (known: {known})")
        mapping[int(port_text)] = name
    return mapping


# Protocols reported by another's spec (TPKT on TCP 102 carries S7comm and S7comm-plus).
REPORTED_TOO: Final = frozenset({"s7comm-plus"})


def check_protocols(names: Iterable[str]) -> list[str]:
    wanted = [n.lower() for n in names]
    unknown = [n for n in wanted if n not in PROTOCOLS and n not in REPORTED_TOO]
    if unknown:
        known = ", ".join(sorted(PROTOCOLS))
        raise UsageError(f"--proto {', '.join(unknown)}: unknown protocol (known: {known})")
    return wanted


def server_ports(decode_as: Mapping[int, str]) -> dict[str, frozenset[int]]:
    """Each protocol's server ports, decode-as mappings included."""
    ports = {name: set(spec.tcp_ports) for name, spec in PROTOCOLS.items()}
    for port, name in decode_as.items():
        ports[name].add(port)
    return {name: frozenset(p) for name, p in ports.items()}


@dataclass
class RunResult:
    health: CaptureHealth
    error: CaptureError | None


def run(
    frames: Iterable[Frame],
    sink: UnitSink,
    decode_as: Mapping[int, str],
    on_progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Feed frames through the engine; a capture error ends the run but keeps what was read."""
    engine = Engine(PROTOCOLS, sink, decode_as)
    error: CaptureError | None = None
    try:
        with _few_collections():
            engine.run(frames if on_progress is None else _reporting(frames, on_progress))
    except CaptureError as exc:
        error = exc
    health = engine.finish()
    if error is not None:
        health.capture_error = str(error)
    return RunResult(health, error)


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Run with rare cyclic garbage collections.

    The engine allocates a few short-lived tuples per packet and keeps per-flow state alive;
    with the default thresholds the collector re-scans that state thousands of times a
    second (measured: a third of the engine's time). Reference counting frees the
    per-packet garbage anyway; the engine builds no reference cycles. A young generation
    of a million objects: analyze's alerts and detector state grow steadily, and at
    100,000 each crossing re-scanned the inventory slice being built (about 180,000
    objects, 65 ms) ten times per million packets.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(1_000_000, 50, 1000)
    try:
        yield
    finally:
        # Everything young becomes old without a scan (freeze, then unfreeze into the
        # oldest generation): restoring a small threshold first would make the next
        # allocation walk up to a million objects the run left alive.
        gc.freeze()
        gc.set_threshold(*previous)
        gc.unfreeze()


def _reporting(frames: Iterable[Frame], on_progress: Callable[[int], None]) -> Iterable[Frame]:
    n = 0
    for frame in frames:
        n += 1
        if not n & 0x3FFF:
            on_progress(n)
        yield frame
    on_progress(n)

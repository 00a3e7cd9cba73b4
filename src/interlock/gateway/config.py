"""What a gateway is told: addresses, policy, audit, budgets, failure modes, limits."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from interlock.errors import ConfigError

FailMode = Literal["open", "closed"]
Mode = Literal["monitor", "enforce"]

DEFAULT_AUDIT: Final = Path("interlock-audit.jsonl")
DEFAULT_AUDIT_MAX_BYTES: Final = 256 << 20
MIN_AUDIT_MAX_BYTES: Final = 64 << 10
"""Smaller files would rotate every few hundred records."""
MAX_BUSY_POLL: Final = 0.01
"""Longest busy poll per wake-up: beyond it a thread is better asleep."""


@dataclass(frozen=True, slots=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class GatewayConfig:
    listen: Address
    upstream: Address
    policy: Path
    audit: Path = DEFAULT_AUDIT
    fsync_interval: float = 0.2
    """Seconds between fsyncs of the audit log while it has unsynced records."""
    audit_max_bytes: int = DEFAULT_AUDIT_MAX_BYTES
    """Rotate the audit log once it has reached this size (0: never)."""
    mode: Mode | None = None
    """Overrides the policy's mode when set."""
    exception_code: int | None = None
    """Overrides the policy's exception code for refused requests when set."""
    fail_mode: FailMode | None = None
    """Overrides the policy's fail mode (decision core error or overrun) when set."""
    decision_budget: float = 0.02
    """Seconds the decision core may take for one request before the fail mode decides."""
    latency_budget: float = 0.001
    """Added latency the gateway promises at the budget quantile (p99)."""
    budget_quantile: float = 0.99
    metrics: Address | None = None
    stats_file: Path | None = None
    stats_interval: float = 1.0
    max_clients: int = 64
    max_pending: int = 256
    """Requests kept per connection awaiting their response (oldest forgotten beyond it)."""
    connect_timeout: float = 3.0
    backoff_initial: float = 0.1
    backoff_max: float = 5.0
    frame_timeout: float = 10.0
    """Seconds a client may hold an incomplete frame before its connection is closed."""
    watch_policy: bool = True
    """Reload the policy when its file changes (SIGHUP always reloads)."""
    watch_interval: float = 1.0
    busy_poll: float = 0.0
    """Longest a connection's thread keeps polling its sockets before it sleeps, in seconds
    (0: it sleeps at once); how long within that it learns from the traffic. Spends CPU
    to spare the wake-up of an idle CPU, one thread at a time. Off here, 100 µs for
    `interlock gateway`: a gateway in a process of its own has no other threads to keep
    waiting for the interpreter, one in a host's process has."""

    def __post_init__(self) -> None:
        if self.exception_code is not None and not 1 <= self.exception_code <= 255:
            raise ConfigError(f"exception code {self.exception_code} is not 1..255")
        for name in ("fsync_interval", "decision_budget", "latency_budget", "connect_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name.replace('_', ' ')} must be positive")
        if not 0 < self.budget_quantile < 1:
            raise ConfigError("the budget quantile must be between 0 and 1")
        if self.audit_max_bytes and self.audit_max_bytes < MIN_AUDIT_MAX_BYTES:
            raise ConfigError("--audit-max-bytes must be 0 (never rotate) or at least 64KiB")
        if not 0 <= self.busy_poll <= MAX_BUSY_POLL:
            raise ConfigError(f"--busy-poll must be 0 to {MAX_BUSY_POLL * 1e3:.0f} ms")
        if self.max_clients < 1 or self.max_pending < 1:
            raise ConfigError("max clients and max pending must be at least 1")


_SIZE = re.compile(r"(\d+)\s*(K|KiB|M|MiB|G|GiB)?", re.IGNORECASE)
_SIZE_UNITS: Final = {None: 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20,
                      "g": 1 << 30, "gib": 1 << 30}  # fmt: skip


def parse_size(text: str, what: str) -> int:
    """'256MiB', '64K', '1G' (binary units) or a number of bytes."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise ConfigError(f"{what} {text!r} is not a size such as 256MiB, 64KiB or 1GiB")
    unit = match.group(2).lower() if match.group(2) else None
    return int(match.group(1)) * _SIZE_UNITS[unit]


def parse_address(text: str, what: str) -> Address:
    """HOST:PORT, [IPv6]:PORT; a port of 0 lets the system choose (listen only)."""
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d+)|([^:\s\[\]]+):(\d+)", text.strip())
    if not match:
        raise ConfigError(f"{what} {text!r} is not HOST:PORT")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if port > 65535:
        raise ConfigError(f"{what} port {port} is not 0..65535")
    if match.group(1):
        try:
            ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise ConfigError(f"{what} {text!r}: {host} is not an IPv6 address") from exc
    return Address(host, port)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?")
_UNITS: Final = {"us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, None: 1.0}


def parse_duration(text: str, what: str) -> float:
    """'1ms', '250us', '0.2s' or '0.2' (seconds) as seconds."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise ConfigError(f"{what} {text!r} is not a duration such as 1ms, 250us or 0.2s")
    return float(match.group(1)) * _UNITS[match.group(2)]

"""The policy a gateway enforces, and its hot reload.

A reload builds a whole new decision core first and swaps one reference only when that
succeeded: requests never see a half-loaded policy, an invalid file leaves the last good
policy in force, and connections are never touched. The process state the old core had
learnt (tag values, when they changed) carries over when the new core can take it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interlock.errors import ConfigError, InterlockError
from interlock.gateway.config import FailMode, Mode
from interlock.gateway.decider import Defaults

OVERRUN_CODE = 0x06
"""Server device busy: the client may retry (Modbus Application Protocol v1.1b3, 7)."""
ERROR_CODE = 0x04
"""Server device failure: the gateway could not decide."""


MAX_KNOWN = 4096
"""Rulings remembered per policy (clients x request shapes polled)."""


@dataclass(slots=True)
class Known:
    """A ruling the core gave a request shape from one client, and whether observing the
    answers to that shape can teach the core anything."""

    ruling: Any
    teaches: bool


@dataclass(frozen=True)
class Overrides:
    """What the operator fixed on the command line, over the policy's own settings."""

    mode: Mode | None = None
    fail_mode: FailMode | None = None
    exception_code: int | None = None


@dataclass(frozen=True)
class ActivePolicy:
    core: Any
    policy: Any
    digest: str
    """SHA-256 of the policy file's bytes: which policy decided, in every audit record."""
    overrides: Overrides
    fail_modes: dict[int, FailMode] = field(default_factory=dict)
    """Per device id, the asset's failure mode."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Rule name -> kind (access, interlock, envelope, builtin) for alerts and techniques."""
    known: dict[tuple[str, bytes], Known] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """(client, request shape) -> the ruling this policy's core gave, when the core said it
    may be reused (the fast path: docs/gateway.md, "Latency"). Never carried over: a new
    policy, or a new core swapped in, starts empty."""

    def remember(self, client: str, shape: bytes, ruling: Any, teaches: bool) -> Known:
        known = Known(ruling, teaches)
        if len(self.known) >= MAX_KNOWN:
            self.known.clear()  # a client cycling through addresses: start afresh, stay bounded
        self.known[client, shape] = known
        return known

    @property
    def mode(self) -> Mode:
        return self.overrides.mode or self.policy.mode

    def defaults(self, unit: int | None, overrun: bool = False) -> Defaults:
        """Settings for a request the core did not decide (it raised or overran)."""
        fail = self.overrides.fail_mode
        if fail is None:
            fail = self.fail_modes.get(unit, self.policy.failure_mode) if unit is not None else None
            fail = fail or self.policy.failure_mode
        code = self.overrides.exception_code or (OVERRUN_CODE if overrun else ERROR_CODE)
        return Defaults(self.mode, fail, code, self.overrides.exception_code is not None)

    def kind(self, rule: str) -> str:
        if rule in self.kinds:
            return self.kinds[rule]
        if rule.startswith("gateway."):
            return "gateway"
        return "envelope" if "." in rule else "access"


def load_active(path: Path, overrides: Overrides, previous: ActivePolicy | None) -> ActivePolicy:
    """Load and compile path; raises PolicyError (FILE:LINE lines) or ConfigError."""
    from interlock.policy import compile_policy, load_policy

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the policy {path}: {exc.strerror}") from exc
    policy = load_policy(path)
    core = compile_policy(policy)
    if previous is not None:
        core.adopt_state(previous.core)  # what the old core learnt of the process
    fail_modes: dict[int, FailMode] = {}
    for asset in policy.assets:
        # Two assets behind one unit id: the stricter failure mode wins.
        if fail_modes.get(asset.unit) != "closed":
            fail_modes[asset.unit] = asset.failure_mode
    kinds = {rule.name: "access" for rule in policy.rules}
    kinds.update({interlock.name: "interlock" for interlock in policy.interlocks})
    kinds.update({"default": "default", "malformed": "malformed"})
    return ActivePolicy(
        core=core,
        policy=policy,
        digest=hashlib.sha256(data).hexdigest(),
        overrides=overrides,
        fail_modes=fail_modes,
        kinds=kinds,
    )


class PolicyHolder:
    """The active policy, swapped whole on reload; notices when its file changes."""

    def __init__(self, path: Path, overrides: Overrides) -> None:
        self.path = path
        self.overrides = overrides
        self.active = load_active(path, overrides, None)
        self._signature = _signature(path)
        self._lock = threading.Lock()
        self.last_error = ""

    def reload(self) -> ActivePolicy:
        """Swap in the file's policy; raises (keeping the current one) when it is invalid."""
        with self._lock:
            self._signature = _signature(self.path)
            try:
                fresh = load_active(self.path, self.overrides, self.active)
            except InterlockError as exc:
                self.last_error = str(exc)
                raise
            self.active = fresh
            self.last_error = ""
            return fresh

    def changed(self) -> bool:
        """Has the file changed (or been replaced) since it was last loaded?"""
        return _signature(self.path) != self._signature


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

"""One SMB connection: responses pair with requests by version and message id (SMB2
interim STATUS_PENDING responses do not complete the pair), and the negotiated dialect
and signing requirement are remembered. Bounded: MAX_PENDING requests wait.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.remote_access.common import SeenRequest, Step
from interlock.protocols.smb.message import SMB2, TRANSFORM, SmbMessage
from interlock.protocols.smb.nbss import SmbUnit

MAX_PENDING: Final = 256
STATUS_PENDING: Final = 0x00000103


class SmbContext(NamedTuple):
    """A message with what the connection had negotiated when it was seen."""

    message: SmbMessage
    dialect: int | None
    signing_required: bool


def message_key(message: SmbMessage) -> int:
    return (message.message_id << 2) | message.version


class SmbSession:
    __slots__ = ("dialect", "pending", "signing_required")

    def __init__(self) -> None:
        self.pending: dict[int, SeenRequest] = {}
        self.dialect: int | None = None
        self.signing_required = False

    def observe(
        self, unit: SmbUnit, is_request: bool, frame: int, ts: float
    ) -> tuple[Step | SeenRequest | None, ...]:
        """One entry per SMB message in the unit: its Step (request) or what it answers."""
        return tuple(self._one(m, frame, ts) for m in unit.messages)

    def _one(self, message: SmbMessage, frame: int, ts: float) -> Step | SeenRequest | None:
        if message.version == TRANSFORM:
            return None  # encrypted: nothing to pair
        if message.version == SMB2 and message.command == 0 and message.response:
            self.dialect = message.dialect
            self.signing_required = bool((message.security_mode or 0) & 2)
        step = Step(message_key(message), SmbContext(message, self.dialect, self.signing_required))
        if not message.response:
            if len(self.pending) >= MAX_PENDING:
                del self.pending[next(iter(self.pending))]
            self.pending[step.key] = SeenRequest(frame, ts, step)
            return step
        if message.status == STATUS_PENDING:
            return self.pending.get(step.key)
        return self.pending.pop(step.key, None)

"""One FTP control connection: replies answer commands in order (RFC 959 section 4.2),
multi-line replies are one reply, and what the connection has revealed so far (greeting,
user name, system type, whether AUTH TLS was accepted) travels with each command.

A preliminary reply (1xx) answers without completing the command; a reply with no
command waiting (the 220 greeting) is kept as the greeting. Bounded: at most MAX_PENDING
commands wait.
"""

from __future__ import annotations

from collections import deque
from typing import Final, NamedTuple

from interlock.protocols.ftp.lines import FtpLine
from interlock.protocols.remote_access.common import SeenRequest, Step

MAX_PENDING: Final = 64


class FtpCommand(NamedTuple):
    """A command with what the connection had revealed when it was sent."""

    line: FtpLine
    banner: str | None
    username: str | None
    system: str | None
    tls: bool
    password_sent: bool


class MultiLine(NamedTuple):
    """Returned for the lines after the first of a multi-line reply; on its last line,
    ``answers`` is what the reply answers (None for a greeting)."""

    answers: SeenRequest | None


class FtpSession:
    __slots__ = (
        "banner",
        "multi_code",
        "password_sent",
        "pending",
        "seq",
        "system",
        "tls",
        "username",
    )

    def __init__(self) -> None:
        self.pending: deque[tuple[int, float, Step]] = deque()
        self.seq = 0
        self.multi_code: int | None = None
        self.banner: str | None = None
        self.username: str | None = None
        self.system: str | None = None
        self.tls = False
        self.password_sent = False

    def observe(
        self, line: FtpLine, is_request: bool, frame: int, ts: float
    ) -> Step | SeenRequest | MultiLine | None:
        if is_request:
            return self._command(line, frame, ts)
        if self.multi_code is not None:
            if line.code != self.multi_code or line.continued:
                return MultiLine(None)
            self.multi_code = None
            return MultiLine(self._reply(line))
        if line.code is not None and line.continued:
            self.multi_code = line.code
            return None
        if line.code is None:
            return None
        return self._reply(line)

    def _command(self, line: FtpLine, frame: int, ts: float) -> Step:
        if line.command == "USER" and line.arg is not None:
            self.username = line.arg
        if line.command == "PASS":
            self.password_sent = True
        self.seq += 1
        command = FtpCommand(
            line, self.banner, self.username, self.system, self.tls, self.password_sent
        )
        step = Step(self.seq, command)
        if len(self.pending) >= MAX_PENDING:
            self.pending.popleft()
        self.pending.append((frame, ts, step))
        return step

    def _reply(self, line: FtpLine) -> SeenRequest | None:
        code = line.code
        assert code is not None
        if not self.pending:
            if code == 220 and self.banner is None:
                self.banner = line.reply_text
            return None
        frame, ts, step = self.pending[0]
        command = step.message.line.command
        if code >= 200:
            self.pending.popleft()
            if command == "SYST" and code == 215:
                self.system = line.reply_text
            if command == "AUTH" and code == 234:
                self.tls = True
        return SeenRequest(frame, ts, step)

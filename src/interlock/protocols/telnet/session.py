"""One Telnet connection: the server's first text line (banner), its login and password
prompts, and what follows them. The client's text is rendered only after a login prompt
(the user name); after a password prompt it is only noted as sent. The login outcome is
read from the server's next text (heuristic: "incorrect", "failed", "denied", "invalid").
Bounded: a few strings per connection.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from interlock.protocols.remote_access.common import printable
from interlock.protocols.telnet.stream import LOGIN_PROMPT, PASSWORD_PROMPT, TelnetUnit

FAILED: Final = re.compile(rb"incorrect|failed|denied|invalid", re.IGNORECASE)


class TelnetLogin(NamedTuple):
    banner: str | None
    username: str | None
    ok: bool
    outcome_text: str | None
    first_frame: int
    first_ts: float


class TelnetInfo(NamedTuple):
    from_client: bool
    text: str | None
    """Displayable text: server text, or the client's user name; never a password."""
    banner: str | None = None
    login_prompt: bool = False
    password_prompt: bool = False
    credentials_sent: bool = False
    login: TelnetLogin | None = None


class TelnetSession:
    __slots__ = ("awaiting", "banner", "first", "password_sent", "reported", "username")

    def __init__(self) -> None:
        self.banner: str | None = None
        self.username: str | None = None
        self.awaiting: str | None = None  # "login" or "password": what the client types next
        self.password_sent = False
        self.reported = False
        self.first: tuple[int, float] | None = None

    def observe(self, unit: TelnetUnit, is_request: bool, frame: int, ts: float) -> TelnetInfo:
        if self.first is None:
            self.first = (frame, ts)
        return self._client(unit) if is_request else self._server(unit)

    def _client(self, unit: TelnetUnit) -> TelnetInfo:
        if not unit.text.strip(b"\r\n\x00"):
            return TelnetInfo(True, None)
        if self.awaiting == "password":
            self.awaiting = None
            self.password_sent = True
            return TelnetInfo(True, None, credentials_sent=True)
        if self.awaiting == "login":
            name = printable(unit.text.strip(b"\r\n\x00"), 64)
            self.username = name if self.username is None else self.username + name
            if unit.text.endswith((b"\r", b"\n", b"\x00")):
                self.awaiting = None
            return TelnetInfo(True, name)
        return TelnetInfo(True, None)

    def _server(self, unit: TelnetUnit) -> TelnetInfo:
        text = unit.text
        banner = None
        if self.banner is None and text.strip():
            banner = self.banner = printable(text.strip().split(b"\n", 1)[0].strip(b"\r"), 128)
        stripped = text.rstrip(b"\x00")
        login = LOGIN_PROMPT.search(stripped) is not None
        password = PASSWORD_PROMPT.search(stripped) is not None
        outcome = None
        if self.password_sent and not self.reported and text.strip() and not password:
            self.reported = True
            frame, ts = self.first or (0, 0.0)
            shown = printable(text.strip().split(b"\n", 1)[0].strip(b"\r"), 128)
            ok = FAILED.search(text) is None
            outcome = TelnetLogin(self.banner, self.username, ok, shown, frame, ts)
        if login:
            self.awaiting, self.username = "login", None
            self.password_sent = self.reported = False
        elif password:
            self.awaiting = "password"
        display = printable(text, 512) if text else None
        return TelnetInfo(False, display, banner, login, password, False, outcome)

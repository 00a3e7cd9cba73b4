"""The RFB handshake as a table of what each side sends next (RFC 6143 section 7.1-7.3),
read out of its segments in order. Versions 3.3 (server-chosen security type), 3.7 and
3.8 (type lists; 3.8 always sends a SecurityResult with a reason on failure).
Bounded: a few scalars per connection; after ServerInit only counters.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from interlock.protocols.remote_access.common import printable
from interlock.protocols.vnc.rfb import RfbUnit

SECURITY_TYPES = {0: "Invalid", 1: "None", 2: "VNC Authentication", 5: "RA2", 6: "RA2ne",
                  16: "Tight", 18: "TLS", 19: "VeNCrypt", 30: "Apple ARD"}  # fmt: skip
_U32 = struct.Struct(">I")


class VncInfo(NamedTuple):
    """What one segment told, as the handshake reader understood it."""

    client_version: str | None = None
    server_version: str | None = None
    security_types: tuple[int, ...] = ()
    security_type: int | None = None
    """3.3: the type the server chose."""
    client_security_type: int | None = None
    auth_result: int | None = None
    auth_error: str | None = None
    shared: bool | None = None
    width: int | None = None
    height: int | None = None
    desktop_name: str | None = None
    after_handshake: bool = False
    anomalies: tuple[str, ...] = ()
    summary: VncSummary | None = None
    """Set on the segment that ends the handshake (ServerInit, or a failed result)."""


class VncSummary(NamedTuple):
    client_version: str | None
    server_version: str | None
    security_type: int | None
    auth_ok: bool
    auth_error: str | None
    desktop_name: str | None
    width: int | None
    height: int | None
    first_frame: int
    first_ts: float


class VncSession:
    __slots__ = (
        "client_state",
        "client_version",
        "desktop",
        "first",
        "security",
        "segments",
        "server_state",
        "server_version",
    )

    def __init__(self) -> None:
        self.server_state = "version"
        self.client_state = "version"
        self.security: int | None = None
        self.client_version: str | None = None
        self.server_version: str | None = None
        self.desktop: tuple[str, int, int] | None = None
        self.first: tuple[int, float] | None = None
        self.segments = [0, 0]
        """Segments after the handshake, per direction (client, server): counted only."""

    def _minor(self) -> int:
        """The minor version both sides use (the lower one); 8 until known."""
        versions = [v for v in (self.client_version, self.server_version) if v]
        minors = [int(v[4:]) for v in versions if v[4:].isdigit()]
        return min(minors) if minors else 8

    def observe(self, unit: RfbUnit, is_request: bool, frame: int, ts: float) -> VncInfo:
        if self.first is None:
            self.first = (frame, ts)
        if is_request:
            return self._client(unit)
        return self._server(unit)

    def _client(self, unit: RfbUnit) -> VncInfo:
        state, data = self.client_state, unit.data
        if state == "version" and unit.version is not None:
            self.client_version = unit.version
            self.client_state = "choice" if self._minor() >= 7 else "auth"
            return VncInfo(client_version=unit.version)
        if state == "choice" and data:
            self.security = data[0]
            self.client_state = "response" if data[0] == 2 else "init"
            rest = data[1:]
            info = VncInfo(client_security_type=data[0])
            if rest and self.client_state == "init":
                self.client_state = "done"
                return info._replace(shared=bool(rest[0]))
            return info
        if state in ("auth", "response") and len(data) == 16:
            self.client_state = "init"
            return VncInfo()
        if state in ("auth", "response", "init") and len(data) == 1:
            self.client_state = "done"
            return VncInfo(shared=bool(data[0]))
        self.segments[0] += 1
        return VncInfo(after_handshake=True)

    def _server(self, unit: RfbUnit) -> VncInfo:
        state, data = self.server_state, unit.data
        if state == "version" and unit.version is not None:
            self.server_version = unit.version
            self.server_state = "security"
            return VncInfo(server_version=unit.version)
        if state == "security":
            return self._security(data)
        if state == "pending_choice":
            if self.security not in (1, 2):
                state = self.server_state = "done"  # type-specific exchange: not followed
            elif self.security == 2:
                state = self.server_state = "challenge"
            else:
                state = self.server_state = "result" if self._minor() >= 8 else "init"
        if state == "challenge" and len(data) >= 16:
            self.server_state = "result"
            return VncInfo()
        if state == "result" and len(data) >= 4:
            return self._result(data)
        if state == "init" and len(data) >= 24:
            return self._server_init(data)
        self.segments[1] += 1
        return VncInfo(after_handshake=True)

    def _security(self, data: bytes) -> VncInfo:
        if self._minor() < 7:
            if len(data) < 4:
                return VncInfo(anomalies=("vnc.truncated",))
            chosen = _U32.unpack_from(data)[0]
            self.security = chosen
            self.server_state = "challenge" if chosen == 2 else "init"
            return VncInfo(security_type=chosen)
        count = data[0] if data else 0
        types = tuple(data[1 : 1 + count])
        anomalies = ("vnc.truncated",) if len(types) < count or not data else ()
        if count == 0:
            reason = self._reason(data[1:])
            return self._failed(VncInfo(auth_error=reason, anomalies=anomalies), reason)
        self.server_state = "pending_choice"
        return VncInfo(security_types=types, anomalies=anomalies)

    def _result(self, data: bytes) -> VncInfo:
        result = _U32.unpack_from(data)[0]
        if result == 0:
            self.server_state = "init"
            return VncInfo(auth_result=0)
        reason = self._reason(data[4:]) if self._minor() >= 8 else None
        return self._failed(VncInfo(auth_result=result, auth_error=reason), reason)

    def _server_init(self, data: bytes) -> VncInfo:
        width, height = struct.unpack_from(">HH", data)
        size = _U32.unpack_from(data, 20)[0]
        name = printable(data[24 : 24 + size])
        anomalies = ("vnc.truncated",) if 24 + size > len(data) else ()
        self.server_state = "done"
        self.desktop = (name, width, height)
        info = VncInfo(width=width, height=height, desktop_name=name, anomalies=anomalies)
        return info._replace(summary=self._summary(True, None))

    def _reason(self, data: bytes) -> str | None:
        if len(data) < 4:
            return None
        return printable(data[4 : 4 + _U32.unpack_from(data)[0]])

    def _failed(self, info: VncInfo, reason: str | None) -> VncInfo:
        self.server_state = "done"
        return info._replace(summary=self._summary(False, reason))

    def _summary(self, ok: bool, reason: str | None) -> VncSummary:
        frame, ts = self.first or (0, 0.0)
        name, width, height = self.desktop or (None, None, None)
        return VncSummary(
            self.client_version,
            self.server_version,
            self.security,
            ok,
            reason,
            name,
            width,
            height,
            frame,
            ts,
        )

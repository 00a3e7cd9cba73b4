"""TPKT + X.224 framing and the RDP negotiation structures ([MS-RDPBCGR] 2.2.1.1.1,
2.2.1.2.1, 2.2.1.2.2). Pure: no I/O, no buffering.

TPKT on 3389 is this module's own (S7comm's on 102 lives with S7comm): the two protocols
share a header but nothing above it.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from interlock.protocols.remote_access.common import printable

CR: Final = 0xE0
CC: Final = 0xD0
DT: Final = 0xF0
DR: Final = 0x80
MAX_TPKT: Final = 0xFFFF
NEG_REQ, NEG_RSP, NEG_FAILURE = 1, 2, 3
PROTOCOLS: Final = {
    0x01: "TLS",
    0x02: "CredSSP",
    0x04: "RDSTLS",
    0x08: "CredSSP_EX",
    0x10: "RDSAAD",
}
"""requestedProtocols/selectedProtocol bits; 0 is standard RDP security."""
FAILURES: Final = {
    1: "SSL_REQUIRED_BY_SERVER",
    2: "SSL_NOT_ALLOWED_BY_SERVER",
    3: "SSL_CERT_NOT_ON_SERVER",
    4: "INCONSISTENT_FLAGS",
    5: "HYBRID_REQUIRED_BY_SERVER",
    6: "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER",
}
_NEG = struct.Struct("<BBHI")
_MAX_COOKIE: Final = 256


class RdpUnit(NamedTuple):
    tpkt_length: int
    pdu_type: int
    """X.224 TPDU code with the credit nibble cleared (0xE0 CR, 0xD0 CC, 0xF0 DT...)."""
    cookie: str | None
    """The routing token or cookie line without CR LF (``Cookie: mstshash=USER``)."""
    username: str | None
    """The mstshash value: the user name the client typed, truncated by mstsc to 9 bytes."""
    neg_type: int | None
    neg_flags: int | None
    protocols: int | None
    """requestedProtocols (NEG_REQ), selectedProtocol (NEG_RSP) or failureCode (FAILURE)."""
    anomalies: tuple[str, ...]


def protocol_names(bits: int) -> tuple[str, ...]:
    names = tuple(name for bit, name in PROTOCOLS.items() if bits & bit)
    return names or ("RDP",)


def unit_length(buf: bytes, pos: int) -> int:
    if len(buf) - pos < 4:
        return 0
    if buf[pos] != 3 or buf[pos + 1] != 0:
        return -1
    length = (buf[pos + 2] << 8) | buf[pos + 3]
    return length if length >= 7 else -1


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    if end - pos < 4:
        return end > pos and buf[pos] == 3
    return buf[pos] == 3 and buf[pos + 1] == 0 and ((buf[pos + 2] << 8) | buf[pos + 3]) >= 7


def probe(buf: bytes, pos: int, end: int) -> bool:
    """A whole X.224 Connection Request carrying an RDP cookie or negotiation request."""
    if end - pos < 11 or unit_length(buf, pos) != end - pos:
        return False
    if buf[pos + 4] != end - pos - 5 or buf[pos + 5] & 0xF0 != CR:
        return False
    unit = parse(buf, pos, end)
    return not unit.anomalies and (unit.cookie is not None or unit.neg_type == NEG_REQ)


def _negotiation(data: bytes, anomalies: list[str]) -> tuple[int | None, int | None, int | None]:
    if len(data) < 8:
        if data:
            anomalies.append("rdp.bad_negotiation")
        return None, None, None
    kind, flags, length, value = _NEG.unpack_from(data, 0)
    if length != 8 or kind not in (NEG_REQ, NEG_RSP, NEG_FAILURE):
        anomalies.append("rdp.bad_negotiation")
    return kind, flags, value


def parse(buf: bytes, start: int, end: int) -> RdpUnit:
    data = buf[start:end]
    anomalies: list[str] = []
    length = (data[2] << 8) | data[3] if len(data) >= 4 else len(data)
    if len(data) < 7 or length > len(data):
        anomalies.append("rdp.truncated")
    if len(data) < 6:
        return RdpUnit(length, 0, None, None, None, None, None, tuple(anomalies))
    indicator, code = data[4], data[5] & 0xF0
    if indicator + 5 != len(data) and code != DT:
        anomalies.append("rdp.bad_length")
    cookie = username = None
    kind = flags = value = None
    if code in (CR, CC):
        variable = data[11 : 5 + indicator]
        if code == CR and variable.startswith(b"Cookie: "):
            stop = variable.find(b"\r\n", 0, _MAX_COOKIE)
            if stop < 0:
                anomalies.append("rdp.cookie_unterminated")
                stop = min(len(variable), _MAX_COOKIE)
            cookie = printable(variable[:stop])
            if cookie.startswith("Cookie: mstshash="):
                username = cookie[len("Cookie: mstshash=") :]
            variable = variable[stop + 2 :]
        kind, flags, value = _negotiation(variable, anomalies)
    return RdpUnit(length, code, cookie, username, kind, flags, value, tuple(anomalies))


def parse_exact(buf: bytes, start: int, end: int) -> RdpUnit | None:
    if not starts_unit(buf, start, end) or unit_length(buf, start) != end - start:
        return None
    return parse(buf, start, end)

"""The BOOTP/DHCP message (RFC 2131, 2): op, htype, hlen, hops, xid, secs, flags,
ciaddr, yiaddr, siaddr, giaddr, chaddr (16), sname (64), file (128), then the magic
cookie 99.130.83.99 and options. Option Overload (52) moves more options into file and
sname, read after the main area as RFC 2131 4.1 orders.

Pure: never raises; malformed options become anomaly codes.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.identity.wire import text

FIXED_LEN: Final = 236
COOKIE: Final = b"\x63\x82\x53\x63"
PAD: Final = 0
END: Final = 255
OVERLOAD: Final = 52
MAX_OPTIONS: Final = 256
MESSAGE_TYPES: Final = {
    1: "discover",
    2: "offer",
    3: "request",
    4: "decline",
    5: "ack",
    6: "nak",
    7: "release",
    8: "inform",
    9: "force_renew",
    10: "lease_query",
}


class DhcpOption(NamedTuple):
    code: int
    value: bytes
    """Empty for End; may be cut short (see complete)."""
    complete: bool = True
    length: int = -1
    """The length byte when the value is cut short; -1 otherwise."""


class DhcpMessage(NamedTuple):
    op: int
    htype: int
    hlen: int
    hops: int
    xid: int
    secs: int
    flags: int
    ciaddr: bytes
    yiaddr: bytes
    siaddr: bytes
    giaddr: bytes
    chaddr: bytes
    sname: str
    file: str
    has_cookie: bool
    options: tuple[DhcpOption, ...]
    anomalies: tuple[str, ...]
    size: int = FIXED_LEN
    """Bytes of the message captured (under FIXED_LEN only when truncated)."""

    def option(self, code: int) -> bytes | None:
        """The first complete option with this code, or None."""
        for opt in self.options:
            if opt.code == code and opt.complete:
                return opt.value
        return None

    @property
    def message_type(self) -> int:
        """Option 53, or 0 for plain BOOTP."""
        value = self.option(53)
        return value[0] if value else 0

    @property
    def is_request(self) -> bool:
        return self.op == 1


def parse(buf: bytes, start: int, end: int) -> DhcpMessage:
    """Decode the DHCP/BOOTP message in buf[start:end]."""
    data = bytes(buf[start:end])
    if len(data) < FIXED_LEN:
        padded = data + bytes(FIXED_LEN - len(data))
        return _fixed(padded, False, (), ("dhcp.truncated",))._replace(size=len(data))
    anomalies: list[str] = []
    if data[0] not in (1, 2):
        anomalies.append("dhcp.unknown_op")
    has_cookie = data[FIXED_LEN : FIXED_LEN + 4] == COOKIE
    options: list[DhcpOption] = []
    if has_cookie:
        _options(data, FIXED_LEN + 4, len(data), options, anomalies, True)
        overload = next((o.value for o in options if o.code == OVERLOAD and o.complete), b"")
        if overload:
            if overload[0] & 1:
                _options(data, 108, 236, options, anomalies, False)
            if overload[0] & 2:
                _options(data, 44, 108, options, anomalies, False)
    return _fixed(data, has_cookie, tuple(options), tuple(dict.fromkeys(anomalies)))


def _fixed(
    d: bytes, has_cookie: bool, options: tuple[DhcpOption, ...], anomalies: tuple[str, ...]
) -> DhcpMessage:
    overload = next((o.value[0] for o in options if o.code == OVERLOAD and o.value), 0)
    hlen = d[2]
    return DhcpMessage(
        d[0],
        d[1],
        hlen,
        d[3],
        int.from_bytes(d[4:8], "big"),
        (d[8] << 8) | d[9],
        (d[10] << 8) | d[11],
        d[12:16],
        d[16:20],
        d[20:24],
        d[24:28],
        d[28 : 28 + min(hlen, 16)],
        "" if overload & 2 else text(d[44:108], True),
        "" if overload & 1 else text(d[108:236], True),
        has_cookie,
        options,
        anomalies,
    )


def _options(
    d: bytes,
    pos: int,
    stop: int,
    options: list[DhcpOption],
    anomalies: list[str],
    main: bool,
) -> None:
    """Options of one area (the main one, or file/sname when overloaded), in order."""
    while pos < stop:
        if len(options) >= MAX_OPTIONS:
            anomalies.append("dhcp.too_many_options")
            return
        code = d[pos]
        if code == PAD:
            pos += 1
            continue
        if code == END:
            options.append(DhcpOption(END, b""))
            return
        if pos + 2 > stop:
            anomalies.append("dhcp.option_truncated")
            return
        length = d[pos + 1]
        if pos + 2 + length > stop:
            anomalies.append("dhcp.option_truncated")
            options.append(DhcpOption(code, d[pos + 2 : stop], False, length))
            return
        value = d[pos + 2 : pos + 2 + length]
        if not _length_ok(code, length):
            anomalies.append("dhcp.bad_option_length")
        options.append(DhcpOption(code, value))
        pos += 2 + length
    if main:
        anomalies.append("dhcp.missing_end")


_FIXED_LENGTHS: Final = {53: 1, 50: 4, 54: 4, 51: 4, 52: 1, 1: 4, 57: 2, 58: 4, 59: 4}
_ADDRESS_LISTS: Final = frozenset({3, 6, 4, 5, 7, 42, 44})


def _length_ok(code: int, length: int) -> bool:
    fixed = _FIXED_LENGTHS.get(code)
    if fixed is not None:
        return length == fixed
    if code in _ADDRESS_LISTS:
        return length > 0 and length % 4 == 0
    return True

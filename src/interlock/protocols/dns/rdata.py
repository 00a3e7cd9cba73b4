"""Resource record data (RFC 1035 section 3.3, RFC 3596, RFC 2782, RFC 6891, RFC 7871,
RFC 9460) decoded into small typed values. Types not decoded keep their length only.

Pure: never raises; data of the wrong length becomes the anomaly dns.bad_rdata.
"""

from __future__ import annotations

import ipaddress
from typing import Final, NamedTuple

from interlock.protocols.dns import types as t
from interlock.protocols.dns.names import read_name

MAX_TEXTS: Final = 256
"""Character-strings kept per TXT record (each is at least one byte on the wire anyway)."""
MAX_SVC_KEYS: Final = 64


class Address(NamedTuple):
    text: str


class DomainName(NamedTuple):
    """NS, CNAME, PTR, DNAME: one name."""

    name: str


class MailExchange(NamedTuple):
    preference: int
    exchange: str


class Service(NamedTuple):
    priority: int
    weight: int
    port: int
    target: str


class Texts(NamedTuple):
    strings: tuple[str, ...]


class StartOfAuthority(NamedTuple):
    mname: str
    rname: str
    serial: int
    refresh: int
    retry: int
    expire: int
    minimum: int


class ClientSubnet(NamedTuple):
    family: int
    source_prefix: int
    scope_prefix: int
    address: str
    """The address with its truncated bytes zero-filled ("" for an unknown family)."""


class EdnsOption(NamedTuple):
    code: int
    length: int
    client_subnet: ClientSubnet | None


class Edns(NamedTuple):
    """The OPT pseudo-record: its class is the UDP payload size, its TTL the extended
    rcode, version and flags (RFC 6891 section 6.1.3)."""

    udp_payload_size: int
    ext_rcode: int
    version: int
    dnssec_ok: bool
    options: tuple[EdnsOption, ...]


class ServiceBinding(NamedTuple):
    """SVCB and HTTPS: priority, target name and the keys of the SvcParams present."""

    priority: int
    target: str
    keys: tuple[int, ...]


class TypeBitmap(NamedTuple):
    """NSEC and NSEC3 (RFC 4034 section 4.1.2, RFC 5155): the record types the bitmap
    lists (the next owner name or hash is not kept)."""

    types: tuple[int, ...]


class Opaque(NamedTuple):
    """A type not decoded here: only its length is kept."""

    length: int


RData = (
    Address
    | DomainName
    | MailExchange
    | Service
    | Texts
    | StartOfAuthority
    | Edns
    | ServiceBinding
    | TypeBitmap
    | Opaque
)
_NAME_TYPES: Final = frozenset({t.NS, t.CNAME, t.PTR, t.DNAME, 3, 4, 7, 8, 9})


def decode(
    data: bytes, rtype: int, rclass: int, ttl: int, start: int, end: int
) -> tuple[RData, str]:
    """The data of a record of rtype at data[start:end] (names may point anywhere in the
    message data). Returns the value and an anomaly code ("" when none)."""
    size = end - start
    if rtype == t.A:
        if size != 4:
            return Opaque(size), "dns.bad_rdata"
        return Address(".".join(str(b) for b in data[start:end])), ""
    if rtype == t.AAAA:
        if size != 16:
            return Opaque(size), "dns.bad_rdata"
        return Address(str(ipaddress.IPv6Address(data[start:end]))), ""
    if rtype in _NAME_TYPES:
        name, _, problem = read_name(data, start)
        return DomainName(name), problem
    if rtype == t.MX and size >= 3:
        name, _, problem = read_name(data, start + 2)
        return MailExchange(_u16(data, start), name), problem
    if rtype == t.SRV and size >= 7:
        name, _, problem = read_name(data, start + 6)
        priority, weight, port = _u16(data, start), _u16(data, start + 2), _u16(data, start + 4)
        return Service(priority, weight, port, name), problem
    if rtype == t.TXT:
        return _texts(data, start, end)
    if rtype == t.SOA:
        return _soa(data, start, end)
    if rtype == t.OPT:
        return _edns(data, rclass, ttl, start, end)
    if rtype in (t.SVCB, t.HTTPS) and size >= 3:
        return _service_binding(data, start, end)
    if rtype == t.NSEC:
        _, pos, problem = read_name(data, start)
        return _bitmap(data, pos, end, problem)
    if rtype == t.NSEC3 and size >= 5:
        pos = start + 5 + data[start + 4]  # algorithm, flags, iterations, salt
        pos = pos + 1 + data[pos] if pos < end else end + 1  # hash
        return _bitmap(data, pos, end, "")
    if rtype in (t.MX, t.SRV, t.SVCB, t.HTTPS):
        return Opaque(size), "dns.bad_rdata"
    return Opaque(size), ""


def _u16(data: bytes, pos: int) -> int:
    return (data[pos] << 8) | data[pos + 1]


def _u32(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 4], "big")


def _texts(data: bytes, pos: int, end: int) -> tuple[RData, str]:
    strings: list[str] = []
    while pos < end and len(strings) < MAX_TEXTS:
        length = data[pos]
        if pos + 1 + length > end:
            return Texts(tuple(strings)), "dns.bad_rdata"
        strings.append(data[pos + 1 : pos + 1 + length].decode("utf-8", "replace"))
        pos += 1 + length
    return Texts(tuple(strings)), ""


def _soa(data: bytes, pos: int, end: int) -> tuple[RData, str]:
    mname, pos, problem = read_name(data, pos)
    rname, pos, problem2 = read_name(data, pos)
    if problem or problem2 or end - pos < 20:
        return Opaque(0), problem or problem2 or "dns.bad_rdata"
    numbers = [_u32(data, pos + 4 * i) for i in range(5)]
    return StartOfAuthority(mname, rname, *numbers), ""


def _edns(data: bytes, rclass: int, ttl: int, pos: int, end: int) -> tuple[RData, str]:
    options: list[EdnsOption] = []
    problem = ""
    while pos < end:  # each option takes at least 4 bytes: bounded by the data
        if end - pos < 4:
            problem = "dns.bad_rdata"
            break
        code, length = _u16(data, pos), _u16(data, pos + 2)
        body = pos + 4
        if body + length > end:
            problem = "dns.bad_rdata"
            break
        subnet = None
        if code == t.OPTION_CLIENT_SUBNET and length >= 4:
            subnet = _client_subnet(data[body : body + length])
        options.append(EdnsOption(code, length, subnet))
        pos = body + length
    flags = ttl & 0xFFFF
    edns = Edns(rclass, ttl >> 24, (ttl >> 16) & 0xFF, bool(flags & 0x8000), tuple(options))
    return edns, problem


def _client_subnet(body: bytes) -> ClientSubnet:
    family, source, scope = _u16(body, 0), body[2], body[3]
    raw = body[4:]
    address = ""
    if family == 1 and len(raw) <= 4:
        address = str(ipaddress.IPv4Address(raw.ljust(4, b"\x00")))
    elif family == 2 and len(raw) <= 16:
        address = str(ipaddress.IPv6Address(raw.ljust(16, b"\x00")))
    return ClientSubnet(family, source, scope, address)


def _service_binding(data: bytes, pos: int, end: int) -> tuple[RData, str]:
    priority = _u16(data, pos)
    target, pos, problem = read_name(data, pos + 2)
    keys: list[int] = []
    while not problem and pos < end and len(keys) < MAX_SVC_KEYS:
        if end - pos < 4 or pos + 4 + _u16(data, pos + 2) > end:
            problem = "dns.bad_rdata"
            break
        keys.append(_u16(data, pos))
        pos += 4 + _u16(data, pos + 2)
    return ServiceBinding(priority, target, tuple(keys)), problem


def _bitmap(data: bytes, pos: int, end: int, problem: str) -> tuple[RData, str]:
    """Window blocks: window number, bitmap length (1-32), bitmap; bit n of window w is
    type w * 256 + n. At most 8 types per byte: bounded by the data."""
    types: list[int] = []
    while not problem and pos < end:
        if end - pos < 2 or not 0 < data[pos + 1] <= 32 or pos + 2 + data[pos + 1] > end:
            problem = "dns.bad_rdata"
            break
        base = data[pos] * 256
        for i, byte in enumerate(data[pos + 2 : pos + 2 + data[pos + 1]]):
            types += [base + i * 8 + bit for bit in range(8) if byte & (0x80 >> bit)]
        pos += 2 + data[pos + 1]
    if pos > end:
        problem = "dns.bad_rdata"
    return TypeBitmap(tuple(types)), problem

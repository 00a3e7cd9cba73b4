"""Hello extensions (RFC 6066 server_name, RFC 7301 ALPN, RFC 8422 supported_groups and
ec_point_formats, RFC 8446 4.2 supported_versions, signature_algorithms, key_share).

Each decoder reads one extension's data; a short or inconsistent one adds the anomaly
``tls.bad_extension`` and yields what could be read.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.tls.reader import Reader, u16_list

SNI_HOST_NAME = 0


class Extension(NamedTuple):
    type: int
    data: bytes


def split_extensions(r: Reader) -> tuple[tuple[Extension, ...], bool]:
    """The extension block at the reader (absent: none), and whether it was well-formed."""
    if r.left() == 0:
        return (), True
    block = r.sub(2)
    ok = not r.short and r.left() == 0
    found: list[Extension] = []
    while block.left() >= 4:
        ext_type = block.u16()
        data = block.vector(2)
        found.append(Extension(ext_type, data))
        if block.short:
            return tuple(found), False
    return tuple(found), ok and block.left() == 0


def server_names(data: bytes) -> tuple[tuple[str, ...], bool]:
    """Host names of a server_name extension (RFC 6066 section 3)."""
    r = Reader(data)
    names_block = r.sub(2)
    names: list[str] = []
    while names_block.left() >= 3:
        name_type = names_block.u8()
        name = names_block.vector(2)
        if name_type == SNI_HOST_NAME:
            names.append(name.decode("utf-8", "replace"))
    return tuple(names), not (r.short or names_block.short or names_block.left() or r.left())


def alpn_protocols(data: bytes) -> tuple[tuple[bytes, ...], bool]:
    """Protocol names of an ALPN extension (RFC 7301 section 3.1), as on the wire."""
    r = Reader(data)
    block = r.sub(2)
    names: list[bytes] = []
    while block.left() > 0:
        names.append(block.vector(1))
    return tuple(names), not (r.short or block.short or r.left())


def text(name: bytes) -> str:
    """A wire string for display (invalid UTF-8 replaced, never an exception)."""
    return name.decode("utf-8", "replace")


def u16_vector(data: bytes, prefix: int) -> tuple[tuple[int, ...], bool]:
    """A vector of 16-bit codes (groups, signature schemes, versions)."""
    r = Reader(data)
    body = r.vector(prefix)
    return u16_list(body), not (r.short or r.left() or len(body) % 2)


def u8_vector(data: bytes) -> tuple[tuple[int, ...], bool]:
    r = Reader(data)
    body = r.vector(1)
    return tuple(body), not (r.short or r.left())


def client_key_shares(data: bytes) -> tuple[tuple[tuple[int, int], ...], bool]:
    """(group, key length) of each KeyShareEntry in a ClientHello's key_share."""
    r = Reader(data)
    block = r.sub(2)
    shares: list[tuple[int, int]] = []
    while block.left() >= 4:
        group = block.u16()
        key = block.vector(2)
        shares.append((group, len(key)))
    return tuple(shares), not (r.short or block.short or block.left() or r.left())


def server_key_share(data: bytes, retry: bool) -> tuple[int, int, bool]:
    """(group, key length) of a ServerHello's key_share; a HelloRetryRequest carries only
    the selected group (key length -1)."""
    r = Reader(data)
    group = r.u16()
    if retry:
        return group, -1, not (r.short or r.left())
    key = r.vector(2)
    return group, len(key), not (r.short or r.left())

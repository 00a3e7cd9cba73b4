"""ClientHello and ServerHello (RFC 5246 7.4.1.2-3, RFC 8446 4.1.2-4), HelloRetryRequest
included (a ServerHello whose random is the special value of RFC 8446 4.1.3).

Pure; a malformed hello yields what could be read plus ``tls.bad_hello`` or
``tls.bad_extension``, never an exception.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.tls import extensions as ext
from interlock.protocols.tls.reader import Reader, u16_list
from interlock.protocols.tls.vocabulary import (
    EXT_ALPN,
    EXT_EC_POINT_FORMATS,
    EXT_KEY_SHARE,
    EXT_SERVER_NAME,
    EXT_SIGNATURE_ALGORITHMS,
    EXT_SUPPORTED_GROUPS,
    EXT_SUPPORTED_VERSIONS,
)

HELLO_RETRY_RANDOM: Final = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
)
"""RFC 8446 4.1.3: SHA-256 of "HelloRetryRequest"."""


class ClientHello(NamedTuple):
    version: int
    """legacy_version (the highest version offered before TLS 1.3)."""
    random: bytes
    session_id: bytes
    cipher_suites: tuple[int, ...]
    compression_methods: tuple[int, ...]
    extension_types: tuple[int, ...]
    """In wire order, GREASE included."""
    server_names: tuple[str, ...]
    alpn: tuple[str, ...]
    alpn_first: bytes
    """The first ALPN value as on the wire (JA4 reads its bytes)."""
    supported_groups: tuple[int, ...]
    key_share_groups: tuple[int, ...]
    key_share_lengths: tuple[int, ...]
    supported_versions: tuple[int, ...]
    signature_algorithms: tuple[int, ...]
    ec_point_formats: tuple[int, ...]
    anomalies: tuple[str, ...]
    cookie: bytes = b""
    """DTLS only (RFC 6347 4.2.1): the cookie echoed from a HelloVerifyRequest."""

    @property
    def server_name(self) -> str | None:
        return self.server_names[0] if self.server_names else None


class ServerHello(NamedTuple):
    version: int
    random: bytes
    session_id: bytes
    cipher_suite: int
    compression_method: int
    extension_types: tuple[int, ...]
    selected_version: int
    """supported_versions' choice (TLS 1.3), else -1."""
    key_share_group: int
    """The server's key share group, or a HelloRetryRequest's selected group; -1 if none."""
    alpn: str | None
    ec_point_formats: tuple[int, ...]
    is_hello_retry_request: bool
    anomalies: tuple[str, ...]

    @property
    def negotiated_version(self) -> int:
        return self.selected_version if self.selected_version >= 0 else self.version


class _Decoded:
    """What the extensions of one hello said (filled in as they are read)."""

    __slots__ = (
        "alpn",
        "alpn_first",
        "ec_point_formats",
        "groups",
        "names",
        "ok",
        "share_groups",
        "share_lengths",
        "sigalgs",
        "versions",
    )

    def __init__(self) -> None:
        self.names: tuple[str, ...] = ()
        self.alpn: tuple[str, ...] = ()
        self.alpn_first = b""
        self.groups: tuple[int, ...] = ()
        self.share_groups: tuple[int, ...] = ()
        self.share_lengths: tuple[int, ...] = ()
        self.versions: tuple[int, ...] = ()
        self.sigalgs: tuple[int, ...] = ()
        self.ec_point_formats: tuple[int, ...] = ()
        self.ok = True


def _client_extension(e: ext.Extension, d: _Decoded) -> None:
    ok = True
    if e.type == EXT_SERVER_NAME:
        d.names, ok = ext.server_names(e.data)
    elif e.type == EXT_ALPN:
        names, ok = ext.alpn_protocols(e.data)
        d.alpn = tuple(ext.text(n) for n in names)
        d.alpn_first = names[0] if names else b""
    elif e.type == EXT_SUPPORTED_GROUPS:
        d.groups, ok = ext.u16_vector(e.data, 2)
    elif e.type == EXT_KEY_SHARE:
        shares, ok = ext.client_key_shares(e.data)
        d.share_groups = tuple(g for g, _ in shares)
        d.share_lengths = tuple(n for _, n in shares)
    elif e.type == EXT_SUPPORTED_VERSIONS:
        d.versions, ok = ext.u16_vector(e.data, 1)
    elif e.type == EXT_SIGNATURE_ALGORITHMS:
        d.sigalgs, ok = ext.u16_vector(e.data, 2)
    elif e.type == EXT_EC_POINT_FORMATS:
        d.ec_point_formats, ok = ext.u8_vector(e.data)
    d.ok = d.ok and ok


def parse_client_hello(body: bytes, datagram: bool = False) -> ClientHello:
    """Decode a ClientHello message body (after the handshake header); a DTLS one has a
    cookie after the session id."""
    r = Reader(body)
    version = r.u16()
    random = r.take(32)
    session_id = r.vector(1)
    cookie = r.vector(1) if datagram else b""
    suites = u16_list(r.vector(2))
    compression = tuple(r.vector(1))
    anomalies: list[str] = []
    if r.short:
        anomalies.append("tls.bad_hello")
    found, well_formed = ext.split_extensions(r)
    d = _Decoded()
    for e in found:
        _client_extension(e, d)
    if not (well_formed and d.ok) and not r.short:
        anomalies.append("tls.bad_extension")
    return ClientHello(
        version,
        random,
        session_id,
        suites,
        compression,
        tuple(e.type for e in found),
        d.names,
        d.alpn,
        d.alpn_first,
        d.groups,
        d.share_groups,
        d.share_lengths,
        d.versions,
        d.sigalgs,
        d.ec_point_formats,
        tuple(anomalies),
        cookie,
    )


def parse_server_hello(body: bytes) -> ServerHello:
    """Decode a ServerHello (or HelloRetryRequest) message body."""
    r = Reader(body)
    version = r.u16()
    random = r.take(32)
    session_id = r.vector(1)
    suite = r.u16()
    compression = r.u8()
    anomalies: list[str] = []
    if r.short:
        anomalies.append("tls.bad_hello")
    found, ok = ext.split_extensions(r)
    retry = random == HELLO_RETRY_RANDOM
    selected, group, alpn = -1, -1, None
    point_formats: tuple[int, ...] = ()
    for e in found:
        good = True
        if e.type == EXT_SUPPORTED_VERSIONS:
            er = Reader(e.data)
            selected = er.u16()
            good = not (er.short or er.left())
        elif e.type == EXT_KEY_SHARE:
            group, _length, good = ext.server_key_share(e.data, retry)
        elif e.type == EXT_ALPN:
            names, good = ext.alpn_protocols(e.data)
            alpn = ext.text(names[0]) if names else None
            good = good and len(names) == 1
        elif e.type == EXT_EC_POINT_FORMATS:
            point_formats, good = ext.u8_vector(e.data)
        ok = ok and good
    if not ok and not r.short:
        anomalies.append("tls.bad_extension")
    return ServerHello(
        version,
        random,
        session_id,
        suite,
        compression,
        tuple(e.type for e in found),
        selected,
        group,
        alpn,
        point_formats,
        retry,
        tuple(anomalies),
    )


def encode_client_hello_body(
    version: int,
    random: bytes,
    session_id: bytes,
    cipher_suites: tuple[int, ...],
    extensions: tuple[tuple[int, bytes], ...],
) -> bytes:
    """A ClientHello body (for tests): null compression, extensions as given."""
    out = version.to_bytes(2, "big") + random + bytes([len(session_id)]) + session_id
    out += (2 * len(cipher_suites)).to_bytes(2, "big")
    out += b"".join(s.to_bytes(2, "big") for s in cipher_suites) + b"\x01\x00"
    block = b"".join(t.to_bytes(2, "big") + len(d).to_bytes(2, "big") + d for t, d in extensions)
    return out + len(block).to_bytes(2, "big") + block

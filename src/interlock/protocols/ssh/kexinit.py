"""SSH_MSG_KEXINIT (RFC 4253 section 7.1): the algorithm lists each side offers, in
cleartext before any key exists. HASSH (Salesforce's SSH client/server fingerprint) is the
MD5 of ``kex;encryption;mac;compression`` in the sending side's direction.

Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Final, NamedTuple

LIST_NAMES: Final = (
    "kex_algorithms",
    "server_host_key_algorithms",
    "encryption_algorithms_client_to_server",
    "encryption_algorithms_server_to_client",
    "mac_algorithms_client_to_server",
    "mac_algorithms_server_to_client",
    "compression_algorithms_client_to_server",
    "compression_algorithms_server_to_client",
    "languages_client_to_server",
    "languages_server_to_client",
)
MAX_LIST: Final = 4096
"""Longest name-list kept (OpenSSH's own lists are under 1,500 bytes)."""
PQ_MARKERS: Final = ("sntrup", "mlkem", "kyber", "frodokem", "mceliece", "ntruprime")
"""Substrings naming post-quantum (hybrid) key exchange methods: OpenSSH's
sntrup761x25519-sha512@openssh.com and mlkem768x25519-sha256, and the drafts' kyber names."""

_U32 = struct.Struct(">I")


class KexInit(NamedTuple):
    cookie: bytes
    lists: tuple[str, ...]
    """The ten name-lists in wire order (see LIST_NAMES); missing ones are empty."""
    first_kex_packet_follows: int
    anomalies: tuple[str, ...]

    @property
    def kex_algorithms(self) -> str:
        return self.lists[0]

    def hassh_algorithms(self, client: bool) -> str:
        """``kex;enc;mac;cmp`` for the side that sent this KEXINIT."""
        offset = 0 if client else 1
        kex, enc, mac, cmp = (self.lists[i] for i in (0, 2 + offset, 4 + offset, 6 + offset))
        return f"{kex};{enc};{mac};{cmp}"

    def hassh(self, client: bool) -> str:
        text = self.hassh_algorithms(client).encode("latin-1")
        return hashlib.md5(text, usedforsecurity=False).hexdigest()

    def post_quantum_kex(self) -> tuple[str, ...]:
        """The offered key exchange methods that are post-quantum hybrids."""
        names = self.kex_algorithms.split(",") if self.kex_algorithms else []
        return tuple(n for n in names if any(m in n for m in PQ_MARKERS))


def parse_kexinit(payload: bytes) -> KexInit:
    """A KEXINIT payload after its message code: cookie, ten name-lists, a flag, reserved."""
    anomalies: list[str] = []
    cookie = payload[:16]
    pos = 16
    lists: list[str] = []
    for _ in LIST_NAMES:
        if pos + 4 > len(payload):
            break
        (size,) = _U32.unpack_from(payload, pos)
        pos += 4
        if pos + size > len(payload):
            break
        lists.append(payload[pos : pos + min(size, MAX_LIST)].decode("latin-1"))
        pos += size
    if len(cookie) < 16 or len(lists) < len(LIST_NAMES) or pos >= len(payload):
        anomalies.append("ssh.bad_kexinit")
    lists.extend([""] * (len(LIST_NAMES) - len(lists)))
    follows = payload[pos] if pos < len(payload) else 0
    return KexInit(cookie, tuple(lists), follows, tuple(anomalies))


def negotiate(client: str, server: str) -> str | None:
    """RFC 4253 section 7.1: the first client algorithm the server also offers."""
    offered = set(server.split(","))
    return next((name for name in client.split(",") if name and name in offered), None)

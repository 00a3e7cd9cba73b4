"""Client and server fingerprints of hellos: JA3 and JA3S (Salesforce, 2017) and JA4 and
JA4S (FoxIO JA4+ specification, github.com/FoxIO-LLC/ja4, technical details).

JA3: MD5 of "version,ciphers,extensions,groups,point formats" (decimal values joined by
"-", GREASE values removed). JA4: "t" or "d" (DTLS), the highest version offered, "d" when
SNI is present else "i", two-digit cipher and extension counts (GREASE excluded), the first
and last characters of the first ALPN value ("00" when none), then the first 12 hex digits
of SHA-256 of the sorted cipher list, and of the sorted extension list (SNI and ALPN
removed) followed by "_" and the signature algorithms in wire order.
"""

from __future__ import annotations

import hashlib
from typing import Final

from interlock.protocols.tls.hello import ClientHello, ServerHello
from interlock.protocols.tls.vocabulary import EXT_ALPN, EXT_SERVER_NAME, is_grease

JA4_VERSIONS: Final[dict[int, str]] = {
    0x0304: "13",
    0x0303: "12",
    0x0302: "11",
    0x0301: "10",
    0x0300: "s3",
    0x0002: "s2",
    0xFEFF: "d1",
    0xFEFD: "d2",
    0xFEFC: "d3",
}
EMPTY_HASH: Final = "000000000000"


def _dashed(values: tuple[int, ...]) -> str:
    return "-".join(str(v) for v in values if not is_grease(v))


def ja3_string(hello: ClientHello) -> str:
    return ",".join(
        (
            str(hello.version),
            _dashed(hello.cipher_suites),
            _dashed(hello.extension_types),
            _dashed(hello.supported_groups),
            "-".join(str(v) for v in hello.ec_point_formats),
        )
    )


def ja3(hello: ClientHello) -> str:
    return hashlib.md5(ja3_string(hello).encode(), usedforsecurity=False).hexdigest()


def ja3s_string(hello: ServerHello) -> str:
    return f"{hello.version},{hello.cipher_suite},{_dashed(hello.extension_types)}"


def ja3s(hello: ServerHello) -> str:
    return hashlib.md5(ja3s_string(hello).encode(), usedforsecurity=False).hexdigest()


def _hash12(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _is_alnum(byte: int) -> bool:
    return 0x30 <= byte <= 0x39 or 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


def _alpn_chars(value: bytes) -> str:
    """First and last character of an ALPN value; when either byte is not an ASCII letter
    or digit, the first hex digit of the first byte and the last of the last (JA4 rule)."""
    if not value:
        return "00"
    first, last = value[0], value[-1]
    if _is_alnum(first) and _is_alnum(last):
        return chr(first) + chr(last)
    return f"{first:02x}"[0] + f"{last:02x}"[1]


def _version(offered: tuple[int, ...], legacy: int) -> str:
    real = [v for v in offered if not is_grease(v)]
    return JA4_VERSIONS.get(max(real) if real else legacy, "00")


def ja4(hello: ClientHello, datagram: bool = False) -> str:
    ciphers = [c for c in hello.cipher_suites if not is_grease(c)]
    extensions = [e for e in hello.extension_types if not is_grease(e)]
    head = (
        ("d" if datagram else "t")
        + _version(hello.supported_versions, hello.version)
        + ("d" if EXT_SERVER_NAME in extensions else "i")
        + f"{min(len(ciphers), 99):02d}{min(len(extensions), 99):02d}"
        + _alpn_chars(hello.alpn_first)
    )
    part_b = _hash12(",".join(f"{c:04x}" for c in sorted(ciphers))) if ciphers else EMPTY_HASH
    kept = sorted(e for e in extensions if e not in (EXT_SERVER_NAME, EXT_ALPN))
    text = ",".join(f"{e:04x}" for e in kept)
    algorithms = [s for s in hello.signature_algorithms if not is_grease(s)]
    if algorithms:
        text += "_" + ",".join(f"{s:04x}" for s in algorithms)
    part_c = _hash12(text) if kept else EMPTY_HASH
    return f"{head}_{part_b}_{part_c}"


def ja4s(hello: ServerHello, datagram: bool = False) -> str:
    extensions = hello.extension_types
    head = (
        ("d" if datagram else "t")
        + JA4_VERSIONS.get(hello.negotiated_version, "00")
        + f"{min(len(extensions), 99):02d}"
        + _alpn_chars(hello.alpn.encode() if hello.alpn else b"")
    )
    part_c = _hash12(",".join(f"{e:04x}" for e in extensions)) if extensions else EMPTY_HASH
    return f"{head}_{hello.cipher_suite:04x}_{part_c}"

"""Address and text forms as Wireshark writes them, for the identity protocols."""

from __future__ import annotations

from typing import Final

MAX_TEXT: Final = 1024
"""Longest text kept from one field (names, descriptions): the rest is cut, not stored."""


def mac_text(raw: bytes) -> str:
    """00:1b:1b:12:34:56."""
    return raw.hex(":")


def ipv4_text(raw: bytes) -> str:
    """Dotted quad of four bytes."""
    return f"{raw[0]}.{raw[1]}.{raw[2]}.{raw[3]}"


def ipv6_text(raw: bytes) -> str:
    """Compressed IPv6 text (RFC 5952), as Wireshark shows it."""
    groups = [(raw[i] << 8) | raw[i + 1] for i in range(0, 16, 2)]
    best, best_len, run, run_len = -1, 0, -1, 0
    for i, g in enumerate(groups):
        if g == 0:
            if run < 0:
                run, run_len = i, 0
            run_len += 1
            if run_len > best_len:
                best, best_len = run, run_len
        else:
            run = -1
    parts = [f"{g:x}" for g in groups]
    if best_len < 2:
        return ":".join(parts)
    return ":".join(parts[:best]) + "::" + ":".join(parts[best + best_len :])


def text(raw: bytes, stop_at_nul: bool = False) -> str:
    """Wire text as a string: UTF-8 where valid, a replacement character where not, cut
    at MAX_TEXT bytes (and at the first NUL for NUL-terminated fields)."""
    if stop_at_nul:
        nul = raw.find(b"\0")
        if nul >= 0:
            raw = raw[:nul]
    return raw[:MAX_TEXT].decode("utf-8", "replace")


def hex_text(raw: bytes) -> str:
    """Bytes as Wireshark's -T fields writes FT_BYTES: lower-case hex, no separators."""
    return raw.hex()

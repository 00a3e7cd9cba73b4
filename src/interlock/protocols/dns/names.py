"""Domain names on the wire (RFC 1035 section 4.1.4): labels and compression pointers.

Pure and loop-safe: a name follows at most MAX_POINTER_HOPS pointers and collects at most
MAX_NAME_OCTETS octets, so a hostile message cannot make the reader spin or grow.
"""

from __future__ import annotations

from typing import Final

MAX_POINTER_HOPS: Final = 64
"""Pointers followed in one name; a valid name of 255 octets needs far fewer."""
MAX_NAME_OCTETS: Final = 255
"""RFC 1035 section 2.3.4: a name is at most 255 octets on the wire."""
ROOT: Final = "<Root>"
"""How Wireshark shows the empty (root) name."""

# Control characters are shown octal-escaped (Wireshark prints \001); printable ASCII and
# high bytes are kept (high bytes are then read as UTF-8, invalid ones replaced).
_SHOWN: Final = bytes(range(256)).translate(None, bytes(range(32)) + b"\x7f")
_ESCAPES: Final[dict[int, bytes]] = {c: b"\\%03o" % c for c in [*range(32), 0x7F]}


def _label_text(label: bytes) -> bytes:
    if not label.translate(None, _SHOWN):  # nothing to escape: the common case
        return label
    return b"".join(_ESCAPES.get(c, bytes((c,))) for c in label)


def read_name(data: bytes, pos: int) -> tuple[str, int, str]:
    """The name starting at data[pos] (data is the whole DNS message).

    Returns (name, position after the name where it starts, anomaly code or ""). A name
    cut short keeps what was read; the position is then the end of data.
    """
    labels: list[bytes] = []
    octets = 0
    hops = 0
    after = -1  # where the name ends in place (set at the first pointer)
    end = len(data)
    anomaly = ""
    while True:
        if pos >= end:
            anomaly = "dns.truncated"
            pos = end
            break
        length = data[pos]
        if length == 0:
            pos += 1
            break
        kind = length & 0xC0
        if kind == 0xC0:
            if pos + 1 >= end:
                anomaly = "dns.truncated"
                pos = end
                break
            target = ((length & 0x3F) << 8) | data[pos + 1]
            if after < 0:
                after = pos + 2
            hops += 1
            if hops > MAX_POINTER_HOPS:
                anomaly = "dns.compression_loop"
                break
            if target >= end:
                anomaly = "dns.bad_pointer"
                break
            pos = target
            continue
        if kind:
            anomaly = "dns.bad_label_type"  # 0x40 (extended) and 0x80 (reserved) label types
            pos = end
            break
        if pos + 1 + length > end:
            anomaly = "dns.truncated"
            pos = end
            break
        octets += length + 1
        if octets > MAX_NAME_OCTETS:
            anomaly = "dns.name_too_long"
            if after < 0:
                after = pos + 1 + length
            break
        labels.append(_label_text(data[pos + 1 : pos + 1 + length]))
        pos += 1 + length
    if anomaly == "dns.compression_loop":
        return "<Name contains a pointer that loops>", after, anomaly
    text = b".".join(labels).decode("utf-8", "replace") if labels else ROOT
    return text, (after if after >= 0 else pos), anomaly


def encode_name(name: str) -> bytes:
    """A name as uncompressed labels (for tests and the capture builders)."""
    if name in ("", ".", ROOT):
        return b"\x00"
    parts = name.rstrip(".").split(".")
    return b"".join(bytes((len(p),)) + p.encode() for p in parts) + b"\x00"

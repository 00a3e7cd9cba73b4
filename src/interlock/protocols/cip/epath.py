"""CIP EPATH: the padded segment paths that address a class, instance, attribute or tag.

CIP Volume 1, Appendix C (Data Management), C-1.4: port segments (route hops), logical
segments (class, instance, member, connection point, attribute, electronic key, service
id), network segments, symbolic segments, and data segments (simple data and the ANSI
extended symbol that names a Logix tag). Paths here are always the padded form used in
requests and connection paths.

Pure: bytes in, segments out. A path that cannot be walked to its end stops at the bad
segment and carries an anomaly code; nothing here raises on malformed input.
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

SegmentKind = Literal[
    "port",
    "class",
    "instance",
    "member",
    "connection_point",
    "attribute",
    "electronic_key",
    "service",
    "extended_logical",
    "network",
    "symbolic",
    "data",
    "symbol",
    "data_type",
]

_LOGICAL_KINDS: Final[tuple[SegmentKind, ...]] = (
    "class",
    "instance",
    "member",
    "connection_point",
    "attribute",
    "electronic_key",
    "service",
    "extended_logical",
)


class Segment(NamedTuple):
    kind: SegmentKind
    value: int
    """The number a segment carries: class id, instance, attribute, port, data size..."""
    text: str = ""
    """Symbol name (ANSI extended symbol, symbolic segment) or a port's link address."""
    raw: bytes = b""
    """The segment's bytes as on the wire."""


class Path(NamedTuple):
    segments: tuple[Segment, ...]
    anomalies: tuple[str, ...]

    def first(self, kind: SegmentKind) -> int | None:
        return next((s.value for s in self.segments if s.kind == kind), None)

    def last(self, kind: SegmentKind) -> int | None:
        """The last segment of a kind: what Wireshark takes as the path's class or instance."""
        found = None
        for seg in self.segments:
            if seg.kind == kind:
                found = seg.value
        return found

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.segments if s.kind == "symbol")


EMPTY_PATH: Final = Path((), ())
_NUMERIC_SYMBOL_SIZES: Final = {6: 1, 7: 2, 8: 4}  # USINT, UINT, UDINT symbol numbers


def _le(p: bytes, i: int, n: int) -> int:
    return int.from_bytes(p[i : i + n], "little")


def _port(p: bytes, i: int, end: int) -> tuple[Segment | None, int]:
    head = p[i]
    pos = i + 1
    extended = bool(head & 0x10)
    size = 1
    if extended:
        if pos >= end:
            return None, end
        size = p[pos]
        pos += 1
    port = head & 0x0F
    if port == 0x0F:
        if pos + 2 > end:
            return None, end
        port = _le(p, pos, 2)
        pos += 2
    if pos + size > end:
        return None, end
    link = p[pos : pos + size]
    pos += size
    pos += (pos - i) & 1
    text = link.decode("latin-1") if extended else str(link[0])
    return Segment("port", port, text, p[i : min(pos, end)]), pos


def _logical(p: bytes, i: int, end: int) -> tuple[Segment | None, int]:
    head = p[i]
    kind = _LOGICAL_KINDS[(head >> 2) & 0x07]
    fmt = head & 0x03
    if kind == "electronic_key":
        if i + 10 > end or p[i + 1] != 4:
            return None, end
        return Segment(kind, p[i + 1], "", p[i : i + 10]), i + 10
    if fmt == 0:
        if i + 2 > end:
            return None, end
        return Segment(kind, p[i + 1], "", p[i : i + 2]), i + 2
    if fmt == 3:
        return None, end
    width = 2 if fmt == 1 else 4
    if i + 2 + width > end:
        return None, end
    return Segment(kind, _le(p, i + 2, width), "", p[i : i + 2 + width]), i + 2 + width


def _network(p: bytes, i: int, end: int) -> tuple[Segment | None, int]:
    head = p[i]
    if head & 0x10:  # data size in words follows
        if i + 2 > end:
            return None, end
        stop = i + 2 + 2 * p[i + 1]
    else:
        stop = i + 2
    if stop > end:
        return None, end
    return Segment("network", head & 0x1F, "", p[i:stop]), stop


def _symbolic(p: bytes, i: int, end: int) -> tuple[Segment | None, int]:
    size = p[i] & 0x1F
    if size == 0:  # extended string format: a format/size byte follows
        if i + 2 > end:
            return None, end
        fmt, count = p[i + 1] >> 5, p[i + 1] & 0x1F
        if fmt in (1, 2):  # double- or triple-byte characters
            size = count * (fmt + 1)
        elif fmt == 6 and count in _NUMERIC_SYMBOL_SIZES:
            size = _NUMERIC_SYMBOL_SIZES[count]
        else:
            return None, end
        start = i + 2
    else:
        start = i + 1
    stop = start + size
    stop += (stop - i) & 1
    if start + size > end:
        return None, end
    text = p[start : start + size].decode("latin-1")
    return Segment("symbolic", size, text, p[i : min(stop, end)]), stop


def _data(p: bytes, i: int, end: int) -> tuple[Segment | None, int]:
    head = p[i]
    if i + 2 > end:
        return None, end
    if head == 0x91:  # ANSI extended symbol: size in bytes, then padding to a word
        size = p[i + 1]
        stop = i + 2 + size + (size & 1)
        if i + 2 + size > end:
            return None, end
        text = p[i + 2 : i + 2 + size].decode("latin-1")
        return Segment("symbol", size, text, p[i : min(stop, end)]), stop
    if head == 0x80:  # simple data segment: size in words
        stop = i + 2 + 2 * p[i + 1]
        if stop > end:
            return None, end
        return Segment("data", p[i + 1], "", p[i:stop]), stop
    return None, end


def parse_path(p: bytes, start: int, end: int) -> Path:
    """The segments of the padded EPATH in p[start:end], as far as they can be walked."""
    segments: list[Segment] = []
    pos = start
    end = min(end, len(p))
    while pos < end:
        kind = p[pos] >> 5
        seg: Segment | None
        if kind == 0:
            seg, pos = _port(p, pos, end)
        elif kind == 1:
            seg, pos = _logical(p, pos, end)
        elif kind == 2:
            seg, pos = _network(p, pos, end)
        elif kind == 3:
            seg, pos = _symbolic(p, pos, end)
        elif kind == 4:
            seg, pos = _data(p, pos, end)
        else:
            return Path(tuple(segments), ("cip.path_segment_unsupported",))
        if seg is None:
            return Path(tuple(segments), ("cip.path_segment_invalid",))
        segments.append(seg)
    return Path(tuple(segments), ())


def encode_logical(kind: SegmentKind, value: int) -> bytes:
    """One padded logical segment (8-, 16- or 32-bit as the value needs)."""
    code = 0x20 | (_LOGICAL_KINDS.index(kind) << 2)
    if value < 0x100:
        return bytes((code, value))
    if value < 0x10000:
        return bytes((code | 1, 0)) + value.to_bytes(2, "little")
    return bytes((code | 2, 0)) + value.to_bytes(4, "little")


def encode_symbol(name: str) -> bytes:
    """An ANSI extended symbol segment, padded to a whole number of words."""
    raw = name.encode("latin-1")
    return bytes((0x91, len(raw))) + raw + b"\x00" * (len(raw) & 1)


def encode_port(port: int, link: int) -> bytes:
    """A port segment with a one-byte link address (a backplane slot, say)."""
    return bytes((port & 0x0F, link & 0xFF))

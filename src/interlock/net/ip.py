"""IPv4 (RFC 791) and IPv6 (RFC 8200) headers, with fragment reassembly.

Pure: bytes in, tuples out. The reassembly table is bounded in datagrams and in bytes;
incomplete datagrams are dropped (and counted) when it is full. Checksums are not checked
(Wireshark's default). As Wireshark does by default ("TSO support"), an IPv4 total length
of 0 is taken to mean a segmentation-offload capture and replaced by the captured length.
"""

from __future__ import annotations

from typing import Final, NamedTuple

IPV6_EXTENSIONS: Final = frozenset({0, 43, 51, 60, 135, 139, 140})
IPV6_FRAGMENT: Final = 44
IPV6_AH: Final = 51
NO_NEXT_HEADER: Final = 59

MAX_PENDING_DATAGRAMS: Final = 1024
MAX_PENDING_BYTES: Final = 16 * 1024 * 1024
MAX_DATAGRAM: Final = 65_535 + 40
# Bytes one datagram may hold in fragments, overlaps and all, before it is given up.
MAX_DATAGRAM_PARTS: Final = 2 * MAX_DATAGRAM


class Datagram(NamedTuple):
    """The transport payload of one IP packet (or of a reassembled datagram)."""

    addresses: bytes
    """Source and destination addresses, concatenated (8 or 32 bytes)."""
    proto: int
    data: bytes
    start: int
    end: int
    truncated: bool
    """Fewer bytes were captured than the header says were sent."""


class _Pending:
    __slots__ = ("parts", "size", "total")

    def __init__(self) -> None:
        self.parts: dict[int, bytes] = {}
        self.total = -1
        self.size = 0


class Defragmenter:
    """IPv4 and IPv6 fragment reassembly, bounded in datagrams in flight and bytes held.

    When a bound is reached the oldest incomplete datagrams are dropped and counted.
    """

    def __init__(
        self, limit: int = MAX_PENDING_DATAGRAMS, max_bytes: int = MAX_PENDING_BYTES
    ) -> None:
        self.limit = limit
        self.max_bytes = max_bytes
        self.pending: dict[tuple[bytes, int, int], _Pending] = {}
        self.held = 0
        """Bytes of fragment payload held in pending."""
        self.reassembled = 0
        self.dropped = 0

    def add(
        self, key: tuple[bytes, int, int], offset: int, payload: bytes, more: bool
    ) -> bytes | None:
        """Add one fragment; return the whole payload when this one completes it."""
        entry = self.pending.get(key)
        if entry is None:
            if len(self.pending) >= self.limit:
                self._drop(next(iter(self.pending)))
            entry = self.pending[key] = _Pending()
        end = offset + len(payload)
        if end > MAX_DATAGRAM or entry.size + len(payload) > MAX_DATAGRAM_PARTS:
            self._drop(key)
            return None
        if offset not in entry.parts:
            entry.parts[offset] = payload
            entry.size += len(payload)
            self.held += len(payload)
            while self.held > self.max_bytes:
                oldest = next(iter(self.pending))
                self._drop(oldest)
                if oldest == key:
                    return None
        if not more:
            entry.total = end
        if entry.total < 0 or entry.size < entry.total:
            return None
        whole = _assemble(entry)
        if whole is not None:
            self.held -= entry.size
            del self.pending[key]
            self.reassembled += 1
        return whole

    def _drop(self, key: tuple[bytes, int, int]) -> None:
        self.held -= self.pending.pop(key).size
        self.dropped += 1


def _assemble(entry: _Pending) -> bytes | None:
    """The datagram if its parts cover 0..total without a hole, else None."""
    buf = bytearray(entry.total)
    covered = 0
    for start in sorted(entry.parts):
        part = entry.parts[start]
        if start > covered:
            return None  # overlapping parts made size look complete; wait for more
        buf[start : start + len(part)] = part[: max(0, entry.total - start)]
        covered = max(covered, start + len(part))
    if covered < entry.total:
        return None
    return bytes(buf)


def ipv4(data: bytes, pos: int, defrag: Defragmenter) -> Datagram | None:
    """Decode an IPv4 header at pos; None for a fragment still waiting or a broken header."""
    if len(data) < pos + 20 or data[pos] >> 4 != 4:
        return None
    ihl = (data[pos] & 0x0F) * 4
    total = (data[pos + 2] << 8) | data[pos + 3] or len(data) - pos  # 0: TSO, as Wireshark
    end = pos + total
    truncated = end > len(data)
    if truncated:
        end = len(data)
    if ihl < 20 or total < ihl or pos + ihl > end:
        return None
    addresses = data[pos + 12 : pos + 20]
    proto = data[pos + 9]
    flags_offset = (data[pos + 6] << 8) | data[pos + 7]
    if flags_offset & 0x3FFF:
        if truncated:
            return None
        ident = (data[pos + 4] << 8) | data[pos + 5]
        whole = defrag.add(
            (addresses, proto, ident),
            (flags_offset & 0x1FFF) * 8,
            data[pos + ihl : end],
            bool(flags_offset & 0x2000),
        )
        if whole is None:
            return None
        return Datagram(addresses, proto, whole, 0, len(whole), False)
    return Datagram(addresses, proto, data, pos + ihl, end, truncated)


def ipv6(data: bytes, pos: int, defrag: Defragmenter) -> Datagram | None:
    """Decode an IPv6 header and its extension headers at pos."""
    if len(data) < pos + 40 or data[pos] >> 4 != 6:
        return None
    payload_len = (data[pos + 4] << 8) | data[pos + 5]
    end = pos + 40 + payload_len
    truncated = end > len(data)
    if truncated:
        end = len(data)
    addresses = data[pos + 8 : pos + 40]
    return _extensions(addresses, data[pos + 6], data, pos + 40, end, truncated, defrag)


def _extensions(
    addresses: bytes,
    nxt: int,
    data: bytes,
    cur: int,
    end: int,
    truncated: bool,
    defrag: Defragmenter | None,
) -> Datagram | None:
    """Walk extension headers from cur to the transport header.

    After a Fragment header the walk goes on inside the reassembled payload (defrag None
    there: a second non-atomic Fragment header inside a datagram is not followed).
    """
    while nxt in IPV6_EXTENSIONS or nxt == IPV6_FRAGMENT:
        if cur + 8 > end:
            return None
        if nxt == IPV6_FRAGMENT:
            frag = (data[cur + 2] << 8) | data[cur + 3]
            inner = data[cur]
            if frag & 0xFFF9 == 0:  # atomic fragment (RFC 6946): offset 0, no more fragments
                nxt, cur = inner, cur + 8
                continue
            if truncated or defrag is None:
                return None
            ident = int.from_bytes(data[cur + 4 : cur + 8], "big")
            whole = defrag.add(
                (addresses, inner, ident), frag & 0xFFF8, data[cur + 8 : end], bool(frag & 1)
            )
            if whole is None:
                return None
            return _extensions(addresses, inner, whole, 0, len(whole), False, None)
        length = (data[cur + 1] + 1) * 8 if nxt != IPV6_AH else (data[cur + 1] + 2) * 4
        nxt = data[cur]
        cur += length
    if nxt == NO_NEXT_HEADER or cur > end:
        return None
    return Datagram(addresses, nxt, data, cur, end, truncated)

"""The unit every capture source yields."""

from __future__ import annotations

from typing import NamedTuple

# Chunk size for file reads: big enough that read() calls are rare, small enough that
# memory stays flat however large the capture is.
READ_CHUNK = 1 << 20

# Wireshark refuses records above this size (WTAP_MAX_PACKET_SIZE_STANDARD); a larger
# length in a record header means the file is damaged, not that a jumbo packet arrived.
MAX_RECORD = 262_144


class Frame(NamedTuple):
    """One captured frame, as read from a file or an interface."""

    ts: float
    """Capture time, seconds since the epoch."""
    linktype: int
    """LINKTYPE_* value of the interface it was captured on."""
    data: bytes
    """The captured bytes (possibly fewer than were on the wire)."""
    wire_len: int
    """Length of the frame on the wire."""

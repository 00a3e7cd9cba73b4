"""Capture health: what the capture itself lacked (holes, truncation, one-sided flows).

These are facts about the recording, not alerts about the plant.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class CaptureHealth:
    frames: int = 0
    unsupported_link_frames: int = 0
    non_ip_frames: int = 0
    """Frames neither IP nor of a link-layer protocol the engine knows."""
    malformed_ip_frames: int = 0
    truncated_frames: int = 0
    ip_fragments_reassembled: int = 0
    ip_fragments_dropped: int = 0
    tcp_flows: int = 0
    udp_flows: int = 0
    link_flows: int = 0
    """Link-layer conversations (one ethertype between two MAC addresses: ARP, LLDP...)."""
    flows_probed: int = 0
    """Flows on ports no protocol claims, recognized by a content probe."""
    tcp_holes: int = 0
    tcp_retransmissions: int = 0
    tcp_overlaps: int = 0
    tcp_segments_skipped: int = 0
    """Segments that neither continued a unit nor started one (mid-session, after holes)."""
    udp_datagrams_skipped: int = 0
    """Datagrams on a protocol's port that do not start one of its units."""
    reassembly_buffer_overflows: int = 0
    flows_evicted: int = 0
    """Flows forgotten because the flow table was full."""
    flows_expired: int = 0
    """Flows forgotten after five minutes of capture time without a packet."""
    one_sided_flows: int = 0
    units: Counter[str] = field(default_factory=Counter)
    kernel_drops: int | None = None
    """Live capture: frames the kernel dropped for want of buffer space (None: unknown)."""
    capture_error: str | None = None

    def as_dict(self) -> dict[str, object]:
        out = {k: v for k, v in self.__dict__.items() if not isinstance(v, Counter)}
        out["units"] = dict(sorted(self.units.items()))
        return out

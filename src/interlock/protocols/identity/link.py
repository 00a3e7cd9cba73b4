"""Engine glue for protocols whose unit is the whole frame (ARP, LLDP, CDP, DCP) or the
whole UDP datagram (DHCP, SNMP, NBNS, mDNS): the unit runs to the end of what the engine
hands over, and a session that pairs nothing."""

from __future__ import annotations

from typing import Any


def rest_of_frame(buf: bytes, pos: int) -> int:
    """The unit is everything from pos to the end of the frame or datagram."""
    return len(buf) - pos


def always_starts(buf: bytes, start: int, end: int) -> bool:
    return True


def never_probes(buf: bytes, start: int, end: int) -> bool:
    """Link-layer protocols are found by ethertype, never by content."""
    return False


def no_fast_path(buf: bytes, start: int, end: int) -> None:
    return None


class StandaloneSession:
    """Every unit stands alone: nothing to pair within the flow."""

    __slots__ = ()

    def observe(self, message: Any, is_request: bool, frame: int, ts: float) -> None:
        return None

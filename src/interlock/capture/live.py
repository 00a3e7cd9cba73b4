"""Live capture from a network interface through a receive-only AF_PACKET socket.

Passive: the socket is never written to. Frames go through the same pipeline as files.
On loopback, the kernel shows every packet twice (outgoing and incoming); as libpcap
does, the outgoing copy is skipped.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Final

from interlock.capture.frames import Frame
from interlock.capture.linktypes import ETHERNET
from interlock.errors import CaptureError

ETH_P_ALL: Final = 0x0003
PACKET_OUTGOING: Final = 4
SNAPLEN: Final = 65_535
POLL_SECONDS: Final = 0.25


def open_socket(iface: str) -> socket.socket:
    try:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    except PermissionError:
        raise CaptureError(
            f"{iface}: live capture needs root or the CAP_NET_RAW capability"
        ) from None
    except OSError as exc:
        raise CaptureError(f"{iface}: cannot open a capture socket: {exc.strerror}") from None
    try:
        sock.bind((iface, 0))
    except OSError as exc:
        sock.close()
        raise CaptureError(f"{iface}: cannot capture on this interface: {exc.strerror}") from None
    sock.settimeout(POLL_SECONDS)
    return sock


def live_frames(iface: str, count: int = 0, duration: float = 0.0) -> Iterator[Frame]:
    """Frames from iface until count frames or duration seconds (0: no limit) or Ctrl-C."""
    sock = open_socket(iface)
    deadline = time.monotonic() + duration if duration > 0 else None
    seen = 0
    with sock:
        try:
            while not count or seen < count:
                if deadline is not None and time.monotonic() >= deadline:
                    return
                try:
                    data, address = sock.recvfrom(SNAPLEN)
                except TimeoutError:
                    continue
                if iface == "lo" and address[2] == PACKET_OUTGOING:
                    continue
                seen += 1
                yield Frame(time.time(), ETHERNET, data, len(data))
        except KeyboardInterrupt:
            return

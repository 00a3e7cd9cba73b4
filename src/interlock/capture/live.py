"""Live capture from a network interface, passively, as the same stream of frames as a file.

Two sources, measured against each other in bench/RESULTS.md ("Live capture"):
`live_frames` here reads a receive-only AF_PACKET socket (packet(7)), one recvmsg(2) and
kernel timestamp per frame; `interlock.capture.tcpdump` runs `tcpdump -U -w -` and reads
its pcap stream with the capture-file reader. `open_live` picks one.

Passive: neither ever sends a packet. Like libpcap, both put the interface in promiscuous
mode while they run (so a SPAN port's traffic for other hosts is seen) and, on loopback,
skip the outgoing copy of each packet. Both stop after `count` frames, `duration` seconds
or the first Ctrl-C (SIGINT, when iterated in the main thread; a second one interrupts),
and report the frames the kernel dropped for want of buffer space (`dropped`). Memory is
bounded by the kernel buffer (`buffer_bytes`) and, for tcpdump, one read chunk.

Does not: filter (BPF), capture several interfaces at once, or open link types other than
Ethernet, loopback and raw IP (tun) with the socket (tcpdump takes what libpcap does).
"""

from __future__ import annotations

import contextlib
import select
import signal
import socket
import struct
import threading
import time
from abc import abstractmethod
from collections.abc import Generator, Iterator
from types import FrameType
from typing import Final

from interlock.capture.frames import MAX_RECORD, Frame
from interlock.capture.linktypes import ETHERNET, RAW
from interlock.errors import CaptureError

# Linux (x86-64, arm64) constants that Python's socket module does not export.
ETH_P_ALL: Final = 0x0003
SOL_PACKET: Final = 263
PACKET_ADD_MEMBERSHIP: Final = 1
PACKET_MR_PROMISC: Final = 1
PACKET_STATISTICS: Final = 6
SO_RCVBUFFORCE: Final = 33
SO_TIMESTAMPNS: Final = 35  # also the cmsg type, with a 64-bit struct timespec
ARPHRD_LINKTYPES: Final = {1: ETHERNET, 772: ETHERNET, 65534: RAW}  # ether, loopback, none
ARPHRD_LOOPBACK: Final = 772

SNAPLEN: Final = MAX_RECORD
BUFFER_BYTES: Final = 32 * 1024 * 1024
"""Kernel receive buffer: absorbs bursts while the engine is busy."""
POLL_SECONDS: Final = 0.25
GATHER_SECONDS: Final = 0.01
"""After a wait, frames gather this long before being read (libpcap's block timeout, 1 s in
tcpdump, does the same): far fewer wakeups at low rates, measured in bench/RESULTS.md."""
START_SECONDS: Final = 10.0

_PACKET_MREQ = struct.Struct("iHH8s")
_TPACKET_STATS = struct.Struct("II")
_TIMESPEC = struct.Struct("qq")


class LiveCapture(Iterator[Frame]):
    """Frames from an interface until count frames, duration seconds or Ctrl-C."""

    def __init__(self, iface: str, count: int, duration: float) -> None:
        self.iface = iface
        self.count = count
        self.deadline = time.monotonic() + duration if duration > 0 else None
        self.stopping = False
        self._frames = self._generate()

    def __next__(self) -> Frame:
        return next(self._frames)

    def close(self) -> None:
        """Stop and release the interface (iterating to the end does it too)."""
        self._frames.close()
        self._release()

    @property
    @abstractmethod
    def dropped(self) -> int | None:
        """Frames the kernel dropped because they were read too slowly; None: unknown."""

    def expired(self) -> bool:
        return self.stopping or (self.deadline is not None and time.monotonic() >= self.deadline)

    @abstractmethod
    def _generate(self) -> Generator[Frame, None, None]:
        """The frames; releases the source when it ends."""

    @abstractmethod
    def _release(self) -> None:
        """Close the source; idempotent."""


@contextlib.contextmanager
def stop_on_sigint(capture: LiveCapture) -> Iterator[None]:
    """Make the first SIGINT ask capture to stop, if SIGINT is ours to take."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if capture.stopping:
            raise KeyboardInterrupt
        capture.stopping = True

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGINT, signal.default_int_handler)


# -- AF_PACKET -------------------------------------------------------------------------


def open_socket(
    iface: str, promiscuous: bool = True, buffer_bytes: int = BUFFER_BYTES
) -> socket.socket:
    """A non-blocking AF_PACKET socket bound to iface, receiving every protocol."""
    try:
        index = socket.if_nametoindex(iface)
    except OSError:
        raise CaptureError(f"{iface}: no such network interface (see `ip link`)") from None
    try:
        # Protocol 0 until bind: no frame from another interface is queued in between.
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    except PermissionError:
        raise CaptureError(
            f"{iface}: live capture needs root or the CAP_NET_RAW capability"
        ) from None
    except OSError as exc:
        raise CaptureError(f"{iface}: cannot open a capture socket: {exc.strerror}") from None
    try:
        try:
            sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, buffer_bytes)
        except PermissionError:  # without CAP_NET_ADMIN, capped at net.core.rmem_max
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer_bytes)
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sock.bind((iface, ETH_P_ALL))
        if promiscuous:
            mreq = _PACKET_MREQ.pack(index, PACKET_MR_PROMISC, 0, b"")
            sock.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq)
    except OSError as exc:
        sock.close()
        raise CaptureError(f"{iface}: cannot capture on this interface: {exc.strerror}") from None
    sock.setblocking(False)
    return sock


class PacketSocketCapture(LiveCapture):
    """Frames read from an AF_PACKET socket, one recvmsg(2) each, kernel-timestamped."""

    def __init__(
        self,
        iface: str,
        count: int = 0,
        duration: float = 0.0,
        *,
        promiscuous: bool = True,
        buffer_bytes: int = BUFFER_BYTES,
    ) -> None:
        self.sock = open_socket(iface, promiscuous, buffer_bytes)
        hatype = self.sock.getsockname()[3]
        if hatype not in ARPHRD_LINKTYPES:
            self.sock.close()
            raise CaptureError(
                f"{iface}: link type ARPHRD {hatype} is not supported by the socket source"
            )
        self.linktype = ARPHRD_LINKTYPES[hatype]
        self.skip_outgoing = hatype == ARPHRD_LOOPBACK
        self._dropped = 0
        super().__init__(iface, count, duration)

    @property
    def dropped(self) -> int:
        if self.sock.fileno() >= 0:
            raw = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, _TPACKET_STATS.size)
            self._dropped += _TPACKET_STATS.unpack(raw)[1]  # reading resets the counters
        return self._dropped

    def _generate(self) -> Generator[Frame, None, None]:
        sock, linktype, count, deadline = self.sock, self.linktype, self.count, self.deadline
        buf = bytearray(SNAPLEN)
        view, bufs = memoryview(buf), [buf]
        recv, clock, outgoing = sock.recvmsg_into, time.monotonic, socket.PACKET_OUTGOING
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        seen = 0
        with stop_on_sigint(self):
            try:
                while not self.stopping:
                    try:
                        # MSG_TRUNC: size is the frame's length even when it exceeds SNAPLEN.
                        size, ancillary, _, address = recv(bufs, 64, socket.MSG_TRUNC)
                    except BlockingIOError:
                        if poller.poll(POLL_SECONDS * 1000):
                            time.sleep(GATHER_SECONDS)  # let a batch gather: fewer wakeups
                        if deadline is not None and clock() >= deadline:
                            return
                        continue
                    if self.skip_outgoing and address[2] == outgoing:
                        continue
                    yield Frame(_timestamp(ancillary), linktype, bytes(view[:size]), size)
                    seen += 1
                    if seen == count or (deadline is not None and clock() >= deadline):
                        return
            except OSError as exc:  # e.g. the interface went down or away
                raise CaptureError(f"{self.iface}: capture stopped: {exc.strerror}") from None
            finally:
                self._release()

    def _release(self) -> None:
        if self.sock.fileno() >= 0:
            _ = self.dropped  # keep the final count
            self.sock.close()


def _timestamp(ancillary: list[tuple[int, int, bytes]]) -> float:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) == 16:
            sec, nsec = _TIMESPEC.unpack(data)
            return float(sec + nsec * 1e-9)
    return time.time()


def live_frames(
    iface: str,
    count: int = 0,
    duration: float = 0.0,
    *,
    promiscuous: bool = True,
    buffer_bytes: int = BUFFER_BYTES,
) -> PacketSocketCapture:
    """Frames from iface through an AF_PACKET socket (count, duration 0: no limit)."""
    return PacketSocketCapture(
        iface, count, duration, promiscuous=promiscuous, buffer_bytes=buffer_bytes
    )


def open_live(
    iface: str, count: int = 0, duration: float = 0.0, source: str = "auto"
) -> LiveCapture:
    """A live source: "tcpdump", "socket", or "auto" (tcpdump when installed: it measured
    cheaper per frame and held higher rates; the socket otherwise)."""
    from interlock.capture import tcpdump  # imports this module: import here, not above

    try:
        socket.if_nametoindex(iface)
    except OSError:
        raise CaptureError(f"{iface}: no such network interface (see `ip link`)") from None
    if source == "tcpdump" or (source == "auto" and tcpdump.available()):
        return tcpdump.tcpdump_frames(iface, count, duration)
    if source in ("socket", "auto"):
        return live_frames(iface, count, duration)
    raise CaptureError(f"unknown live source {source!r} (auto, tcpdump or socket)")

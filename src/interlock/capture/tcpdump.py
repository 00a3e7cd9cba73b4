"""Live capture through `tcpdump -U -w -`, read with the capture-file reader.

Measured against the AF_PACKET source in bench/RESULTS.md ("Live capture"): it costs less
CPU per frame and holds higher rates, at the price of up to a second of delay (libpcap's
block timeout) and of needing tcpdump installed. Passive, bounded and stoppable exactly as
``interlock.capture.live`` describes.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Generator

from interlock.capture.chunks import ChunkedInput
from interlock.capture.frames import Frame
from interlock.capture.live import (
    BUFFER_BYTES,
    POLL_SECONDS,
    START_SECONDS,
    LiveCapture,
    stop_on_sigint,
)
from interlock.capture.pcap import read_pcap
from interlock.errors import CaptureError


def _tcpdump() -> str | None:
    return shutil.which("tcpdump") or shutil.which("tcpdump", path="/usr/sbin:/sbin")


def available() -> bool:
    return _tcpdump() is not None


_KERNEL_DROPS = re.compile(rb"^(\d+) packets? dropped by kernel$", re.MULTILINE)


class TcpdumpCapture(LiveCapture):
    """Frames from `tcpdump -U -w -` read through the pcap file reader."""

    def __init__(
        self,
        iface: str,
        count: int = 0,
        duration: float = 0.0,
        *,
        promiscuous: bool = True,
        buffer_bytes: int = BUFFER_BYTES,
    ) -> None:
        exe = _tcpdump()
        if exe is None:
            raise CaptureError(f"{iface}: tcpdump is not installed (apt-get install tcpdump)")
        argv = [exe, "-U", "-w", "-", "-i", iface, "-B", str(max(1, buffer_bytes // 1024))]
        if not promiscuous:
            argv.append("-p")
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _release
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.log
        )
        self._terminated = self._closed = False
        self._dropped: int | None = None
        self._stderr = b""  # what tcpdump said, once it has exited
        try:
            self._await_listening(iface)
        except BaseException:
            self._release()
            raise
        super().__init__(iface, count, duration)

    @property
    def dropped(self) -> int | None:
        """Known once tcpdump has exited and printed its statistics."""
        return self._dropped

    def _await_listening(self, iface: str) -> None:
        give_up = time.monotonic() + START_SECONDS
        while time.monotonic() < give_up:
            if b"listening on" in self._said():
                return
            if self.proc.poll() is not None:
                message = self._complaint().removeprefix(f"tcpdump: {iface}: ")
                raise CaptureError(f"{iface}: tcpdump cannot capture: {message}")
            time.sleep(0.01)
        raise CaptureError(f"{iface}: tcpdump did not start within {START_SECONDS:.0f} s")

    def _generate(self) -> Generator[Frame, None, None]:
        assert self.proc.stdout is not None
        count = self.count
        seen = 0
        with stop_on_sigint(self):
            try:
                source = ChunkedInput(_Reader(self._read))
                for frame in read_pcap(source, f"tcpdump -i {self.iface}"):
                    yield frame
                    seen += 1
                    if seen == count:
                        return
            except CaptureError:
                self._release()
                if not self._failed():
                    raise
            finally:
                self._release()
            if self._failed():
                raise CaptureError(f"{self.iface}: {self._complaint()}")

    def _read(self, size: int) -> bytes:
        """What tcpdump has written so far, up to size bytes; b"" once it has exited.

        One read(2): a buffered read of a whole chunk would wait for a full MiB and stall a
        live capture. Once the capture has expired, asks tcpdump to stop, then reads what
        it wrote before exiting.
        """
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            if not self._terminated and self.expired():
                self._terminate()
            ready, _, _ = select.select([fd], [], [], POLL_SECONDS)
            if ready:
                data = os.read(fd, size)
                if not data:
                    self._await_exit()
                return data

    def _await_exit(self) -> None:
        # End of output means tcpdump is exiting; reap it first, so that _release does not
        # mistake an exit on its own (interface gone) for one we asked for.
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=START_SECONDS)

    def _failed(self) -> bool:  # tcpdump exited on its own, with an error
        return not self._terminated and self.proc.returncode not in (None, 0)

    def _said(self) -> bytes:
        if self.log.closed:
            return self._stderr
        self.log.seek(0)
        return self.log.read()

    def _complaint(self) -> str:
        lines = self._said().decode(errors="replace").splitlines()
        return next((ln for ln in lines if "listening on" not in ln), "tcpdump: no message")

    def _terminate(self) -> None:
        if self.proc.poll() is None:
            self._terminated = True
            self.proc.terminate()  # tcpdump prints its statistics and exits

    def _release(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._terminate()
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        give_up = time.monotonic() + START_SECONDS
        with contextlib.suppress(OSError):
            # Drain until tcpdump exits, so that it is never stuck writing to a full pipe.
            while time.monotonic() < give_up:
                ready, _, _ = select.select([fd], [], [], POLL_SECONDS)
                if ready and not os.read(fd, 1 << 16):
                    break
        try:
            self.proc.wait(timeout=START_SECONDS)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self._stderr = self._said()
        self.log.close()
        match = _KERNEL_DROPS.search(self._stderr)
        self._dropped = int(match[1]) if match else None


class _Reader:
    """The one method of a binary stream that ChunkedInput calls."""

    def __init__(self, read: Callable[[int], bytes]) -> None:
        self.read = read


def tcpdump_frames(
    iface: str,
    count: int = 0,
    duration: float = 0.0,
    *,
    promiscuous: bool = True,
    buffer_bytes: int = BUFFER_BYTES,
) -> TcpdumpCapture:
    """Frames from iface through `tcpdump -U -w -` (count, duration 0: no limit)."""
    return TcpdumpCapture(
        iface, count, duration, promiscuous=promiscuous, buffer_bytes=buffer_bytes
    )

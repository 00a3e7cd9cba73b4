"""Open a capture file by its magic number (never its extension) and stream its frames."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from interlock.capture.chunks import ChunkedInput
from interlock.capture.frames import Frame
from interlock.capture.pcap import MAGICS, read_pcap
from interlock.capture.pcapng import read_pcapng
from interlock.errors import CaptureError, CaptureFormatError

PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"


def open_capture(path: str | Path) -> Iterator[Frame]:
    """Stream the frames of a pcap or pcapng file.

    Every complete record is yielded before a CaptureError reports damage further on.
    """
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the generator below
    except OSError as exc:
        raise CaptureError(f"{name}: cannot open: {exc.strerror or exc}") from None
    return _frames(stream, name)


def _frames(stream: BinaryIO, name: str) -> Iterator[Frame]:
    with stream:
        try:
            magic = stream.read(4)
            source = ChunkedInput(stream, magic)
            if magic in MAGICS:
                yield from read_pcap(source, name)
            elif magic == PCAPNG_MAGIC:
                yield from read_pcapng(source, name)
            elif len(magic) < 4:
                raise CaptureFormatError(f"{name}: empty or too short to be a capture file")
            else:
                raise CaptureFormatError(
                    f"{name}: not a pcap or pcapng file (magic number {magic.hex()})"
                )
        except OSError as exc:  # a read failing part-way (EIO, a directory, a vanished mount)
            raise CaptureError(f"{name}: cannot read: {exc.strerror or exc}") from None

"""Capture sources: pcap and pcapng files, and live interfaces, as one stream of frames."""

from interlock.capture.frames import Frame
from interlock.capture.reader import open_capture

__all__ = ["Frame", "open_capture"]

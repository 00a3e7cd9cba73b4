"""The Common Industrial Protocol (CIP Volume 1): messages, paths, objects, services."""

from interlock.protocols.cip.epath import Path, Segment, parse_path
from interlock.protocols.cip.message import CipMessage, parse_message

__all__ = ["CipMessage", "Path", "Segment", "parse_message", "parse_path"]

"""EtherNet/IP encapsulation (CIP Volume 2) carrying CIP explicit and I/O messaging."""

from interlock.protocols.enip.encap import EnipPacket, encode, parse

__all__ = ["EnipPacket", "encode", "parse"]

"""ARP (RFC 826; probes and announcements, RFC 5227): who has which IPv4 address at which
MAC address, the first evidence an asset inventory has of a host.

Anomaly codes:
- ``arp.truncated``: the frame ends before the addresses the header announces.
- ``arp.bad_hw_size``: Ethernet hardware type with a hardware size other than 6.
- ``arp.bad_proto_size``: IPv4 protocol type with a protocol size other than 4.
- ``arp.unknown_opcode``: an opcode outside RFC 826 / RFC 903 / RFC 2390 (1-9, 10 ARP-NAK).
"""

from interlock.protocols.arp.packet import ArpPacket, parse

__all__ = ["ArpPacket", "parse"]

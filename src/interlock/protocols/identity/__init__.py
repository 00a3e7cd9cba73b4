"""Pieces the identity protocols share (ARP, DHCP, LLDP, CDP, SNMP, PROFINET DCP, NetBIOS
name service, mDNS): address text, bounded text decoding, and the engine glue of
protocols whose every unit is a whole frame or datagram.

Pure: no I/O.
"""

from interlock.protocols.identity.wire import hex_text, ipv4_text, ipv6_text, mac_text, text

__all__ = ["hex_text", "ipv4_text", "ipv6_text", "mac_text", "text"]

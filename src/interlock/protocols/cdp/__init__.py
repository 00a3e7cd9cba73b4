"""Cisco Discovery Protocol (version 1 and 2): what a Cisco switch, router or phone says
about itself on every port: device id, addresses, port, capabilities, software version,
platform, VLANs, duplex. Carried in 802.2 LLC/SNAP with OUI 00-00-0C, protocol id 0x2000.

Anomaly codes:
- ``cdp.truncated``: fewer than the 4 header bytes (version, TTL, checksum).
- ``cdp.bad_tlv_length``: a TLV length under 4 (its own header).
- ``cdp.tlv_truncated``: a TLV length running past the end of the frame.
- ``cdp.bad_address``: an address list whose count or entry lengths do not fit its TLV.
- ``cdp.unknown_version``: a version other than 1 or 2.
- ``cdp.too_many_tlvs``: more than MAX_TLVS TLVs; the rest is not decoded.
"""

from interlock.protocols.cdp.packet import CdpPacket, parse

__all__ = ["CdpPacket", "parse"]

"""PROFINET DCP (Discovery and basic Configuration Protocol, IEC 61158-6-10, clause 4.3):
how engineering tools find PROFINET devices (Identify), read and change their name of
station and IP parameters (Get, Set), make them flash (Control/Signal) or reset them to
factory settings, and how devices announce themselves (Hello). Carried directly in
Ethernet frames of ethertype 0x8892 with FrameIDs 0xFEFC-0xFEFF; other FrameIDs on that
ethertype (cyclic real-time data, alarms) are not DCP and are not reported.

Anomaly codes:
- ``pn_dcp.truncated``: the frame ends inside the 10-byte DCP header.
- ``pn_dcp.data_length``: DCPDataLength runs past the end of the frame.
- ``pn_dcp.block_truncated``: a block's DCPBlockLength runs past DCPDataLength.
- ``pn_dcp.block_too_short``: a block shorter than its BlockInfo/BlockQualifier, or than
  the fixed values its option and suboption need.
- ``pn_dcp.unknown_service``: a ServiceID other than Get, Set, Identify, Hello.
- ``pn_dcp.unknown_service_type``: a ServiceType other than request, success, not supported.
- ``pn_dcp.too_many_blocks``: more than MAX_BLOCKS blocks; the rest is not decoded.
"""

from interlock.protocols.pn_dcp.packet import DcpBlock, DcpPacket, parse

__all__ = ["DcpBlock", "DcpPacket", "parse"]

"""LLDP (IEEE 802.1AB-2016): what a switch port or a device says about itself every 30
seconds: chassis and port ids, system name and description, capabilities, management
addresses, and organizationally specific TLVs (IEEE 802.1, IEEE 802.3, PROFINET).

Anomaly codes:
- ``lldp.tlv_truncated``: a TLV's length runs past the end of the frame.
- ``lldp.bad_tlv_length``: a TLV shorter than its type needs (TTL not 2 bytes, a chassis
  or port id without its id, capabilities not 4 bytes, a management address whose inner
  lengths do not fit, an organizational TLV under 4 bytes), or an End TLV not empty.
- ``lldp.missing_mandatory``: the LLDPDU does not start with Chassis ID, Port ID, TTL.
- ``lldp.missing_end``: the frame ends without an End of LLDPDU TLV.
- ``lldp.too_many_tlvs``: more than MAX_TLVS TLVs; the rest is not decoded.
"""

from interlock.protocols.lldp.tlv import LldpPdu, parse

__all__ = ["LldpPdu", "parse"]

"""SNMP v1, v2c and v3 (RFC 1157, RFC 1901/3416, RFC 3412/3414): managers reading and
writing agents' MIB objects, agents' traps and informs, and what agents say about
themselves (the MIB-II system group: sysDescr, sysObjectID, sysName...).

The community string of v1/v2c is a credential: only its length is decoded, its value is
never kept in a message, transaction, output or log. v3 keeps the USM user name and
engine id (identity) but not the authentication digest, and leaves encrypted scoped PDUs
undecoded.

Anomaly codes:
- ``snmp.truncated``: the datagram ends inside an element (Wireshark then does not call
  the datagram SNMP when the outer SEQUENCE itself is cut).
- ``snmp.bad_length``: an element's length runs past the element holding it, or is
  indefinite or longer than four octets; an exception value (NULL...) with content.
- ``snmp.bad_tag``: an element that is not of the type SNMP puts there, or a
  multi-octet (high-number) tag.
- ``snmp.trailing_data``: bytes after the message's outer SEQUENCE.
- ``snmp.unknown_version``: a version other than 0 (v1), 1 (v2c) or 3 (v3).
- ``snmp.unknown_pdu``: a PDU tag outside 0xA0-0xA8.
- ``snmp.trap_v1_in_v2``: a v1 Trap-PDU in a v2c or v3 message.
- ``snmp.pdu_not_in_v1``: a GetBulk, Inform, SNMPv2-Trap or Report PDU in a v1 message.
- ``snmp.bad_oid``: an OID that is empty, ends inside a sub-identifier or has one over
  64 bits.
- ``snmp.bad_integer``: an integer value that is empty or over nine octets.
- ``snmp.bad_value``: a constructed value in a variable binding.
- ``snmp.unknown_value_type``: a value tag that is no SMI type.
- ``snmp.too_many_varbinds``: more than MAX_VARBINDS bindings; the rest is not decoded.
- ``snmp.cleartext_community`` (transactions only): a v1/v2c message, whose community
  crossed the network in cleartext.
"""

from interlock.protocols.snmp.message import SnmpMessage, parse

__all__ = ["SnmpMessage", "parse"]

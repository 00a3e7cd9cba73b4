"""NetBIOS name service (RFC 1001, RFC 1002 section 4.2): hosts asking for names (name
queries), claiming, refreshing and releasing their own (registrations, refreshes,
releases), and answering node status requests with every name they hold and their MAC
address (the unit id): identity evidence for inventory.

Anomaly codes:
- ``nbns.truncated``: the datagram ends inside the header, a name or a record.
- ``nbns.incomplete_entry``: a record's data length ends inside an NB entry or the node
  status data (Wireshark's "incomplete entry").
- ``nbns.illegal_name``: a name that is not a legal first-level encoding of 16 bytes.
- ``nbns.bad_pointer``, ``nbns.compression_loop``, ``nbns.bad_label_type``,
  ``nbns.name_too_long``: as the DNS codes of the same names (names are DNS names).
- ``nbns.unknown_opcode``: an opcode other than query, registration, release, WACK,
  refresh (8, 9) and multi-homed registration (15).
- ``nbns.too_many_records``: more than MAX_RECORDS questions and records; the rest is not
  decoded.
"""

from interlock.protocols.nbns.message import NbnsMessage, parse

__all__ = ["NbnsMessage", "parse"]

"""DNS (RFC 1035) over UDP and TCP, with mDNS (RFC 6762) and LLMNR (RFC 4795) messages.

Anomaly codes (on the message):
- dns.truncated: the message ends before its header, a question or a record does (over
  TCP also: fewer bytes than the length prefix says).
- dns.compression_loop: a name's compression pointers loop (or exceed 64 hops).
- dns.bad_pointer: a compression pointer points past the end of the message.
- dns.bad_label_type: a label with the reserved 0x40 or 0x80 type bits.
- dns.name_too_long: a name longer than 255 octets (kept cut at that length).
- dns.bad_rdata: record data whose length does not fit its type (an A record that is
  not 4 bytes, a TXT string running past the data, an EDNS option cut short...).
- dns.reserved_flag: the reserved Z bit of the header is set.
- dns.trailing_bytes: bytes after the last record the header counts.
"""

from interlock.protocols.dns.message import DnsMessage, Question, ResourceRecord, parse_message

__all__ = ["DnsMessage", "Question", "ResourceRecord", "parse_message"]

"""DHCP and BOOTP (RFC 2131, RFC 951; options RFC 2132, client FQDN RFC 4702): how hosts
get their addresses, and what they say about themselves while asking (host name, vendor
class, client identifier, the parameter request list that fingerprints their stack).

Anomaly codes:
- ``dhcp.truncated``: shorter than the 236-byte fixed BOOTP header.
- ``dhcp.option_truncated``: an option's length runs past the end of its area.
- ``dhcp.missing_end``: the options end without an End option (255).
- ``dhcp.bad_option_length``: an option shorter than its fixed value (message type,
  addresses, lease time, overload) or not a multiple of 4 for address lists.
- ``dhcp.too_many_options``: more than MAX_OPTIONS options; the rest is not decoded.
- ``dhcp.unknown_op``: a BOOTP op other than 1 (request) or 2 (reply).
"""

from interlock.protocols.dhcp.message import DhcpMessage, parse

__all__ = ["DhcpMessage", "parse"]

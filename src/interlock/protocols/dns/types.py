"""DNS vocabularies: resource record types, opcodes, response codes (IANA "Domain Name
System (DNS) Parameters" registry), and EDNS0 option codes."""

from __future__ import annotations

from typing import Final

A: Final = 1
NS: Final = 2
CNAME: Final = 5
SOA: Final = 6
PTR: Final = 12
MX: Final = 15
TXT: Final = 16
AAAA: Final = 28
SRV: Final = 33
DNAME: Final = 39
OPT: Final = 41
NSEC: Final = 47
NSEC3: Final = 50
SVCB: Final = 64
HTTPS: Final = 65

TYPE_NAMES: Final[dict[int, str]] = {
    1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 13: "HINFO", 15: "MX", 16: "TXT",
    17: "RP", 18: "AFSDB", 24: "SIG", 25: "KEY", 28: "AAAA", 29: "LOC", 33: "SRV",
    35: "NAPTR", 36: "KX", 37: "CERT", 39: "DNAME", 41: "OPT", 42: "APL", 43: "DS",
    44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID",
    50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA", 55: "HIP", 59: "CDS",
    60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD", 64: "SVCB", 65: "HTTPS",
    99: "SPF", 108: "EUI48", 109: "EUI64", 249: "TKEY", 250: "TSIG", 251: "IXFR",
    252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI", 257: "CAA",
}  # fmt: skip

OPCODE_NAMES: Final[dict[int, str]] = {
    0: "query", 1: "iquery", 2: "status", 4: "notify", 5: "update", 6: "dso",
}  # fmt: skip

RCODE_NAMES: Final[dict[int, str]] = {
    0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
    6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE",
}  # fmt: skip

OPTION_CLIENT_SUBNET: Final = 8
"""EDNS0 Client Subnet (RFC 7871)."""


def type_name(rtype: int) -> str:
    """The mnemonic of a record type, or TYPE<n> (RFC 3597) for one not in the table."""
    return TYPE_NAMES.get(rtype) or f"TYPE{rtype}"

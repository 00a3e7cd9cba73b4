"""NetBIOS names on the wire (RFC 1001 section 14.1, RFC 1002 section 4.1): a DNS-style
name whose first label is the first-level encoding of 16 bytes (each byte as two letters
'A' + nibble), the 16th byte being the suffix (name type), further labels the scope id.

Decoded as Wireshark 4.0 shows it: "NAME<20>" then ".scope"; an illegal encoding is
shown as Wireshark's "Illegal NetBIOS name (...)" text with suffix -1.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.dns.names import read_name

NAME_LEN: Final = 16
SUFFIX_NAMES: Final = {
    0x00: "Workstation/Redirector", 0x01: "Browser", 0x02: "Workstation/Redirector",
    0x03: "Messenger service/Main name", 0x05: "Forwarded name", 0x06: "RAS Server service",
    0x1B: "Domain Master Browser", 0x1C: "Domain Controllers", 0x1D: "Local Master Browser",
    0x1E: "Browser Election Service", 0x1F: "Net DDE Service", 0x20: "Server service",
    0x21: "RAS client service", 0x22: "Exchange Interchange (MSMail Connector)",
    0x23: "Exchange Store", 0x24: "Exchange Directory", 0x2B: "Lotus Notes Server service",
    0x30: "Modem sharing server service", 0x31: "Modem sharing client service",
    0x43: "SMS Clients Remote Control", 0x44: "SMS Administrators Remote Control Tool",
    0x45: "SMS Clients Remote Chat", 0x46: "SMS Clients Remote Transfer",
    0x4C: "DEC Pathworks TCP/IP Service on Windows NT",
    0x52: "DEC Pathworks TCP/IP Service on Windows NT", 0x6A: "Microsoft Exchange IMC",
    0x87: "Microsoft Exchange MTA", 0xBE: "Network Monitor Agent",
    0xBF: "Network Monitor Analyzer",
}  # fmt: skip
"""Wireshark's names for the suffixes (packet-netbios.c), used in answer names."""


class NetbiosName(NamedTuple):
    text: str
    """As Wireshark shows it: NAME<xx>.scope, or its "Illegal NetBIOS name" text."""
    name: str
    """The 15-byte name, trailing spaces removed ("" when illegal)."""
    suffix: int
    """The 16th byte (name type), -1 when the encoding is illegal."""
    scope: str


def printable(raw: bytes) -> str:
    """The 15 name bytes: printable ASCII kept, others as <xx>, trailing spaces cut."""
    out = "".join(chr(b) if 32 <= b <= 126 else f"<{b:02x}>" for b in raw[: NAME_LEN - 1])
    return out.rstrip(" ")


def decode(encoded: str) -> NetbiosName:
    """Undo the first-level encoding of a name read as DNS text."""
    label, dot, scope = encoded.partition(".")
    raw = bytearray()
    for i in range(0, len(label), 2):
        high = label[i]
        if not "A" <= high <= "Z":
            return _illegal("1st character not between A and Z in first-level encoding")
        if i + 1 >= len(label):
            return _illegal("odd number of bytes")
        low = label[i + 1]
        if not "A" <= low <= "Z":
            return _illegal("2nd character not between A and Z in first-level encoding")
        if len(raw) < NAME_LEN:  # Wireshark ignores what follows the 16th byte
            raw.append((((ord(high) - 65) << 4) | (ord(low) - 65)) & 0xFF)
    if len(raw) != NAME_LEN:
        return _illegal(f"{len(raw)} bytes long")
    name = printable(bytes(raw))
    suffix = raw[NAME_LEN - 1]
    return NetbiosName(f"{name}<{suffix:02x}>{dot}{scope}", name, suffix, scope)


def _illegal(why: str) -> NetbiosName:
    return NetbiosName(f"Illegal NetBIOS name ({why})", "", -1, "")


def read_netbios_name(data: bytes, pos: int) -> tuple[NetbiosName, int, str]:
    """The NetBIOS name at data[pos] (data is the whole message; pointers allowed).
    Returns (name, position after it, anomaly code or "")."""
    text, after, anomaly = read_name(data, pos)
    return decode(text), after, anomaly.replace("dns.", "nbns.", 1)

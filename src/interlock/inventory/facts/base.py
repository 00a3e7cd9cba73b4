"""The shape of identity evidence: facts about a device and (IP, MAC) bindings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple

Side = Literal["server", "client"]
Child = tuple[str, str]


class IdentityFact(NamedTuple):
    side: Side
    attribute: str
    value: str
    source: str
    confidence: float
    child: Child | None = None
    """(kind, key) of the device behind the address this fact is about, if any."""
    address: str | None = None
    """The IP or MAC address the fact is about when it is not the side's IP: the sender
    of a link-layer frame, the address a DNS answer names, a BACnet device forwarded by
    a BBMD. When set, ``side`` only says which side of the exchange reported it."""


class Binding(NamedTuple):
    """An IP address that a frame says belongs to a MAC address (ARP, DHCP ACK, DCP).

    Authoritative: the device itself (or its DHCP server) states it, so it holds even for
    a MAC address that routed traffic shows with many IP addresses (a router's own IP)."""

    ip: str
    mac: str
    source: str


class Origin(NamedTuple):
    """The original sender of a message another device relayed (a BBMD's Forwarded-NPDU):
    an asset of its own though no traffic of its own may reach the capture."""

    ip: str
    port: int
    source: str


def text_of(raw: object) -> str:
    """A reported value as text ("" for nothing worth keeping: None, containers, blanks)."""
    if raw is None or isinstance(raw, (dict, list, tuple, bool)):
        return ""
    return str(raw).strip()


def strings(
    values: Mapping[str, object],
    names: Mapping[str, str],
    source: str,
    confidence: float,
    child: Child | None = None,
    keep_unknown: bool = True,
    side: Side = "server",
    address: str | None = None,
) -> Iterable[IdentityFact]:
    """One fact per reported string, named by ``names`` (or by its own key when kept)."""
    for key, raw in values.items():
        value = text_of(raw)
        if not value:
            continue
        attribute = names.get(key, key if keep_unknown else "")
        if attribute:
            yield IdentityFact(side, attribute, value, source, confidence, child, address)


def is_unicast_mac(mac: object) -> bool:
    """A MAC address one interface owns: not group, broadcast or all-zero."""
    if not isinstance(mac, str) or len(mac) != 17:
        return False
    try:
        first = int(mac[:2], 16)
    except ValueError:
        return False
    return not first & 1 and mac != "00:00:00:00:00:00"

"""Zones and conduits as IEC 62443-3-2 defines them, in Interlock's terms.

A zone groups assets that share security requirements and carries a target security level
(SL-T, 0..4, as one level or as the seven-element vector over the foundational
requirements of IEC 62443-3-3). A conduit groups the communication channels between two
zones (or within one) and says which protocols, and which operation classes of each, may
cross it, and optionally which zone may initiate.

Pure data: no I/O. ``interlock.zones.loader`` builds these from a YAML file.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

FOUNDATIONAL_REQUIREMENTS: Final = ("IAC", "UC", "SI", "DC", "RDF", "TRE", "RA")
"""IEC 62443-3-3 FR 1..7, the axes of a security-level vector."""

ANY: Final = "any"
"""In a conduit: any protocol (even traffic the engine could not identify), or any operation."""


@dataclass(frozen=True, slots=True)
class SecurityLevel:
    """SL-T as a vector over FR 1..7 (IEC 62443-3-3); a single level fills all seven."""

    vector: tuple[int, int, int, int, int, int, int]

    @property
    def uniform(self) -> bool:
        return len(set(self.vector)) == 1

    def as_json(self) -> int | dict[str, int]:
        if self.uniform:
            return self.vector[0]
        return dict(zip(FOUNDATIONAL_REQUIREMENTS, self.vector, strict=True))


@dataclass(frozen=True, slots=True)
class Members:
    """What belongs to a zone: address ranges and explicitly named assets."""

    networks: tuple[IpNetwork, ...] = ()
    asset_ids: tuple[int, ...] = ()
    macs: tuple[str, ...] = ()
    """Lower-case, colon-separated (00:1b:1b:23:eb:3b)."""
    hostnames: tuple[str, ...] = ()
    """Lower-case; matched against the `name` identity values of assets."""


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    description: str
    security_level: SecurityLevel
    members: Members
    line: int


@dataclass(frozen=True, slots=True)
class ProtocolRule:
    """One protocol a conduit allows, with the operation classes allowed (None: all)."""

    protocol: str
    """An engine protocol or transaction protocol name, or ``any``."""
    operations: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class Conduit:
    name: str
    description: str
    zones: tuple[str, str]
    """The two zones it joins; the same name twice for a conduit within one zone."""
    initiator: str | None
    """The zone whose assets may open the communication; None: either."""
    rules: tuple[ProtocolRule, ...]
    security_level: SecurityLevel | None
    line: int

    @property
    def internal(self) -> bool:
        return self.zones[0] == self.zones[1]

    def joins(self, a: str, b: str) -> bool:
        return {a, b} == set(self.zones)

    def rule_for(self, protocol: str) -> ProtocolRule | None:
        for rule in self.rules:
            if rule.protocol == protocol:
                return rule
        return None


@dataclass(frozen=True, slots=True)
class ZoneModel:
    source: str
    zones: tuple[Zone, ...]
    conduits: tuple[Conduit, ...]

    def zone(self, name: str) -> Zone:
        return next(z for z in self.zones if z.name == name)


@dataclass(frozen=True, slots=True, order=True)
class LoadError:
    """One thing wrong in a zones file, where it is."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"

"""Zones and conduits (IEC 62443-3-2) over the asset inventory.

A YAML zones file (docs/inventory-zones.md) maps address ranges and named assets to zones
with a target security level, and declares conduits: the protocols, and the operation
classes of each, allowed between two zones. ``load_zones`` validates a file and reports
every error with its line; ``assign`` puts each asset of an ``Inventory`` in a zone;
``check`` turns each flow and operation edge that no conduit allows into a finding.

Pure: no files, clock or database; the CLI (``interlock zones``) reads and stores.
"""

from __future__ import annotations

from interlock.zones.assign import Assignment, assign
from interlock.zones.check import Finding, check
from interlock.zones.loader import load_zones
from interlock.zones.model import Conduit, LoadError, ProtocolRule, SecurityLevel, Zone, ZoneModel

__all__ = [
    "Assignment",
    "Conduit",
    "Finding",
    "LoadError",
    "ProtocolRule",
    "SecurityLevel",
    "Zone",
    "ZoneModel",
    "assign",
    "check",
    "load_zones",
]

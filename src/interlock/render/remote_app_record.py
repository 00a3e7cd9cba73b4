"""TeamViewer and AnyDesk units as dissect records (Wireshark has no dissector for
either): the magic or TLS content type, the unit's length, and the flow's running counts."""

from __future__ import annotations

from typing import Any

from interlock.protocols.teamviewer.session import FlowSeen
from interlock.protocols.teamviewer.units import OpaqueUnit

Record = tuple[str | None, dict[str, Any], tuple[str, ...]]


def _record(prefix: str, magic_name: str, unit: OpaqueUnit, answered: Any) -> Record:
    fields: dict[str, Any] = {f"{prefix}.length": unit.length, f"{prefix}.remote_access": True}
    if unit.magic is not None:
        fields[f"{prefix}.{magic_name}"] = unit.magic
    if isinstance(answered, FlowSeen):
        fields[f"{prefix}.units"] = list(answered.units)
        fields[f"{prefix}.octets"] = list(answered.octets)
    return None, fields, unit.anomalies


def teamviewer_record(unit: OpaqueUnit, role: int, answered: Any) -> Record:
    return _record("teamviewer", "magic", unit, answered)


def anydesk_record(unit: OpaqueUnit, role: int, answered: Any) -> Record:
    return _record("anydesk", "tls_content_type", unit, answered)

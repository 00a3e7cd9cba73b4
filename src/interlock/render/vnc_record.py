"""RFB segments as dissect records, with Wireshark 4.0's field names, as the session read
them. Segments after the handshake are counted by the session, not reported."""

from __future__ import annotations

from typing import Any

from interlock.protocols.vnc.rfb import RfbUnit
from interlock.protocols.vnc.session import VncInfo

Record = tuple[str | None, dict[str, Any], tuple[str, ...]]
_FIELDS = (
    ("client_version", "vnc.client_proto_ver"),
    ("server_version", "vnc.server_proto_ver"),
    ("security_type", "vnc.server_security_type"),
    ("client_security_type", "vnc.client_security_type"),
    ("auth_error", "vnc.auth_error"),
    ("shared", "vnc.share_desktop_flag"),
    ("width", "vnc.width"),
    ("height", "vnc.height"),
    ("desktop_name", "vnc.desktop_name"),
)


def vnc_record(unit: RfbUnit, role: int, answered: Any) -> Record | None:
    if not isinstance(answered, VncInfo):
        return None, {"vnc.length": unit.length}, unit.anomalies
    if answered.after_handshake:
        return None
    fields: dict[str, Any] = {}
    for attribute, name in _FIELDS:
        value = getattr(answered, attribute)
        if value is not None:
            fields[name] = value
    if answered.security_types:
        fields["vnc.num_security_types"] = len(answered.security_types)
        fields["vnc.security_type"] = list(answered.security_types)
    if answered.auth_result is not None:
        fields["vnc.auth_result"] = bool(answered.auth_result)
    no_auth = answered.client_security_type == 1 or answered.security_type == 1
    if no_auth:
        fields["vnc.no_authentication"] = True
    return None, fields, unit.anomalies + answered.anomalies

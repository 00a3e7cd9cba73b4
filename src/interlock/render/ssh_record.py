"""SSH units as dissect records, with Wireshark 4.0's field names (``ssh.protocol`` is the
whole identification line; the split versions are the project's own)."""

from __future__ import annotations

from typing import Any

from interlock.protocols.ssh.kexinit import LIST_NAMES
from interlock.protocols.ssh.packets import SshBanner, SshUnit
from interlock.protocols.ssh.session import KexSeen

Record = tuple[str | None, dict[str, Any], tuple[str, ...]]


def ssh_record(unit: SshUnit, role: int, answered: Any) -> Record:
    fields: dict[str, Any] = {}
    if isinstance(unit, SshBanner):
        fields["ssh.protocol"] = unit.text
        if unit.proto_version is not None:
            fields["ssh.protocol_version"] = unit.proto_version
        if unit.software_version is not None:
            fields["ssh.software_version"] = unit.software_version
        if unit.comments is not None:
            fields["ssh.comments"] = unit.comments
        return None, fields, unit.anomalies
    fields["ssh.packet_length"] = unit.packet_length
    fields["ssh.padding_length"] = unit.padding_length
    fields["ssh.message_code"] = unit.message_code
    kex = unit.kexinit
    anomalies = unit.anomalies
    if kex is not None:
        for name, value in zip(LIST_NAMES, kex.lists, strict=True):
            fields[f"ssh.{name}"] = value
        fields["ssh.first_kex_packet_follows"] = kex.first_kex_packet_follows
        client = role == 1 or (role == -1 and isinstance(answered, KexSeen) and answered.client)
        prefix = "ssh.kex.hassh" if client else "ssh.kex.hasshserver"
        fields[f"{prefix}_algorithms"] = kex.hassh_algorithms(client)
        fields[prefix] = kex.hassh(client)
        pq = kex.post_quantum_kex()
        if pq:
            fields["ssh.kex.post_quantum"] = list(pq)
        anomalies = anomalies + kex.anomalies
    if unit.host_key_type is not None:
        fields["ssh.host_key.type"] = unit.host_key_type
    return None, fields, anomalies

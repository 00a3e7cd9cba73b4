"""SMB units (one NetBIOS session packet) as dissect records, with Wireshark 4.0's field
names: ``smb.*`` for SMB1, ``smb2.*`` for SMB2/3 (compounded messages as lists),
``ntlmssp.auth.*`` for the AUTHENTICATE identity. Hashes and responses are never shown."""

from __future__ import annotations

from typing import Any

from interlock.protocols.smb.message import SMB1, SMB2, SmbMessage
from interlock.protocols.smb.nbss import SmbUnit

Record = tuple[str | None, dict[str, Any], tuple[str, ...]]


def _add(fields: dict[str, Any], name: str, value: Any) -> None:
    if value is None:
        return
    if name in fields:
        old = fields[name]
        fields[name] = [*old, value] if isinstance(old, list) else [old, value]
    else:
        fields[name] = value


def _message(fields: dict[str, Any], m: SmbMessage) -> None:
    if m.version == SMB1:
        _add(fields, "smb.cmd", m.command)
        _add(fields, "smb.nt_status", m.status)
        _add(fields, "smb.mid", m.message_id)
        _add(fields, "smb.uid", m.session_id)
        _add(fields, "smb.tid", m.tree_id)
        _add(fields, "smb.flags.response", m.response)
        for dialect in m.dialects:
            _add(fields, "smb.dialect.name", dialect)
        _add(fields, "smb.dialect.index", m.dialect)
        _add(fields, "smb.path", m.path)
        _add(fields, "smb.file", m.filename)
    elif m.version == SMB2:
        _add(fields, "smb2.cmd", m.command)
        _add(fields, "smb2.nt_status", m.status)
        _add(fields, "smb2.msg_id", m.message_id)
        _add(fields, "smb2.sesid", m.session_id)
        _add(fields, "smb2.tid", m.tree_id)
        _add(fields, "smb2.flags.response", m.response)
        for dialect in m.dialects:
            _add(fields, "smb2.dialect", int(dialect, 16))
        _add(fields, "smb2.dialect", m.dialect)
        _add(fields, "smb2.sec_mode", m.security_mode)
        if m.security_mode is not None:
            _add(fields, "smb2.sec_mode.sign_required", bool(m.security_mode & 2))
        _add(fields, "smb2.tree", m.path)
        _add(fields, "smb2.filename", m.filename)
    else:
        _add(fields, "smb2.encrypted", True)
        _add(fields, "smb2.sesid", m.session_id)
    if m.ntlm is not None:
        _add(fields, "ntlmssp.messagetype", m.ntlm.message_type)
        _add(fields, "ntlmssp.auth.domain", m.ntlm.domain)
        _add(fields, "ntlmssp.auth.username", m.ntlm.user)
        _add(fields, "ntlmssp.auth.hostname", m.ntlm.workstation)


def smb_record(unit: SmbUnit, role: int, answered: Any) -> Record:
    fields: dict[str, Any] = {"nbss.type": unit.nbss_type, "nbss.length": unit.nbss_length}
    anomalies = list(unit.anomalies)
    for message in unit.messages:
        _message(fields, message)
        anomalies += message.anomalies
        if message.ntlm is not None:
            anomalies += message.ntlm.anomalies
    return None, fields, tuple(dict.fromkeys(anomalies))

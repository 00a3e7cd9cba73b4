"""FTP control lines as dissect records, with Wireshark 4.0's field names.

The lines after the first of a multi-line reply carry ``ftp.response.continuation``
only, as Wireshark shows them (it reads a code from a segment's first line). Unlike Wireshark, a PASS or ACCT argument is never printed: ``ftp.request.arg`` is absent
and ``ftp.request.arg_redacted`` says one was sent.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.ftp.lines import FtpLine
from interlock.protocols.ftp.session import FtpCommand, MultiLine
from interlock.protocols.remote_access.common import Step

Record = tuple[str | None, dict[str, Any], tuple[str, ...]]


def _request(line: FtpLine, answered: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"ftp.request": True}
    if line.command is not None:
        fields["ftp.request.command"] = line.command
    if line.arg is not None:
        fields["ftp.request.arg"] = line.arg
    elif line.arg_present:
        fields["ftp.request.arg_redacted"] = True
        if isinstance(answered, Step) and isinstance(answered.message, FtpCommand):
            fields["ftp.cleartext_credentials"] = not answered.message.tls
    endpoint = line.endpoint
    if endpoint is not None and line.command == "PORT":
        fields["ftp.active.cip"] = endpoint.ip
        fields["ftp.active.port"] = endpoint.port
    elif endpoint is not None and line.command == "EPRT":
        if endpoint.ip is not None:
            fields["ftp.eprt.ip"] = endpoint.ip
        fields["ftp.eprt.port"] = endpoint.port
    return fields


def _response(line: FtpLine, answered: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"ftp.response": True}
    if line.code is None or isinstance(answered, MultiLine):
        # Wireshark reads a code from a segment's first line only: a multi-line reply's
        # later lines are text (they usually share its first line's segment).
        fields["ftp.response.continuation"] = line.text
        return fields
    fields["ftp.response.code"] = line.code
    if line.reply_text:
        fields["ftp.response.arg"] = line.reply_text
    endpoint = line.endpoint
    if endpoint is not None and line.code == 227:
        fields["ftp.passive.ip"] = endpoint.ip
        fields["ftp.passive.port"] = endpoint.port
    elif endpoint is not None and line.code == 229:
        fields["ftp.epsv.port"] = endpoint.port
    return fields


def ftp_record(line: FtpLine, role: int, answered: Any) -> Record:
    request = role == 1 or (role == -1 and line.code is None)
    fields = _request(line, answered) if request else _response(line, answered)
    return None, fields, line.anomalies

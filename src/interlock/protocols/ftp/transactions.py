"""FTP commands with their replies as transactions.

USER, PASS and ACCT are SESSION transactions (230 ok, 530 an exception) carrying the user
name, the server's greeting and system type, and whether credentials crossed in cleartext
(a password sent without AUTH TLS accepted first); RETR reads a file; STOR, STOU, APPE,
DELE, RNFR, RNTO, MKD and RMD write. The file name is in ``details["path"]``.
"""

from __future__ import annotations

from typing import Any, Final

from interlock.model import (
    Endpoint,
    OperationClass,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.ftp.lines import FtpLine
from interlock.protocols.ftp.session import FtpCommand, MultiLine
from interlock.protocols.remote_access.common import SeenRequest, Step, step_key

Op = OperationClass
OPERATIONS: Final = {
    **dict.fromkeys(("USER", "PASS", "ACCT", "AUTH", "REIN", "QUIT", "PBSZ", "PROT"), Op.SESSION),
    "RETR": Op.READ,
    **dict.fromkeys(
        ("STOR", "STOU", "APPE", "DELE", "RNFR", "RNTO", "MKD", "RMD", "XMKD", "XRMD"), Op.WRITE
    ),
    **dict.fromkeys(
        ("LIST", "NLST", "MLSD", "MLST", "CWD", "CDUP", "PWD", "XPWD", "SIZE", "MDTM", "STAT"),
        Op.DISCOVERY,
    ),
    **dict.fromkeys(("SYST", "FEAT", "HELP"), Op.IDENTITY),
}
FILE_COMMANDS: Final = frozenset(
    ("RETR", "STOR", "STOU", "APPE", "DELE", "RNFR", "RNTO", "MKD", "RMD", "CWD", "SIZE", "MDTM")
)

pairing_key = step_key


def view(line: FtpLine, seen: Any) -> tuple[Step, SeenRequest | None] | None:
    """Commands wait for their final reply; 1xx replies and the greeting are not pairs."""
    if isinstance(seen, MultiLine):
        seen = seen.answers
    if isinstance(seen, Step):
        return seen, None
    if isinstance(seen, SeenRequest) and line.code is not None and line.code >= 200:
        return Step(seen.adu.key, line), seen
    return None


def _details(command: FtpCommand, reply: FtpLine | None) -> dict[str, object]:
    line = command.line
    details: dict[str, object] = {}
    if OPERATIONS.get(line.command or "") == Op.SESSION:
        details.update(
            remote_access=True,
            server_banner=command.banner,
            server_system=command.system,
            username=command.username,
            auth_method="password" if line.command in ("PASS", "ACCT") else None,
            cleartext_credentials=command.password_sent and not command.tls,
            encrypted=command.tls,
        )
    if line.command in FILE_COMMANDS and line.arg is not None:
        details["path"] = line.arg
    endpoint = line.endpoint or (reply.endpoint if reply is not None else None)
    if endpoint is not None:
        details["data_channel"] = {"ip": endpoint.ip, "port": endpoint.port}
    if reply is not None and reply.reply_text is not None:
        details["reply"] = reply.reply_text
    return details


def build(
    client: Endpoint,
    server: Endpoint,
    request: Step | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Step | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    command: FtpCommand | None = request.message if request is not None else None
    reply: FtpLine | None = response.message if response is not None else None
    code = reply.code if reply is not None else None
    status: TransactionStatus
    if code is not None and code >= 400:
        status = "exception"
    elif command is not None and reply is not None:
        status = "ok"
    else:
        status = "unanswered" if command is not None else "unknown"
    name = command.line.command if command is not None else None
    return Transaction(
        protocol="ftp",
        client=client,
        server=server,
        function=0,  # FTP commands are words: see function_name
        function_name=name or "",
        operation=OPERATIONS.get(name or "", Op.OTHER),
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        exception_code=code if status == "exception" else None,
        details=_details(command, reply) if command is not None else {},
        anomalies=merge_anomalies(command.line if command else None, reply),
    )

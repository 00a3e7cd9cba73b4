"""SSH connection set-up as a SESSION transaction: both sides' software and algorithm
offers, the negotiated algorithms, HASSH fingerprints, post-quantum key exchange.

The transaction is reported on the unit that completes the KEXINIT pair; its request is
the client's side, its response the server's. Authentication happens after NEWKEYS,
encrypted: the user name and method are not visible.
"""

from __future__ import annotations

from typing import Any

from interlock.model import (
    Endpoint,
    OperationClass,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.remote_access.common import SeenRequest, Step, never_a_request, step_key
from interlock.protocols.ssh.kexinit import negotiate
from interlock.protocols.ssh.session import KexSeen, SshSide, pair_view

pairing_key = step_key
is_request = never_a_request


def view(unit: Any, seen: KexSeen | None) -> tuple[Step, SeenRequest] | None:
    return pair_view(seen)


def _software(side: SshSide | None) -> str | None:
    return side.banner.software_version if side is not None and side.banner else None


def _details(client: SshSide, server: SshSide) -> dict[str, object]:
    c, s = client.kexinit, server.kexinit
    kex = negotiate(c.lists[0], s.lists[0])
    cipher_c2s = negotiate(c.lists[2], s.lists[2])
    cipher_s2c = negotiate(c.lists[3], s.lists[3])
    return {
        "remote_access": True,
        "client_banner": client.banner.text if client.banner else None,
        "server_banner": server.banner.text if server.banner else None,
        "client_software": _software(client),
        "server_software": _software(server),
        "kex_algorithm": kex,
        "host_key_algorithm": negotiate(c.lists[1], s.lists[1]),
        "cipher_client_to_server": cipher_c2s,
        "cipher_server_to_client": cipher_s2c,
        "mac_client_to_server": negotiate(c.lists[4], s.lists[4]),
        "compression_client_to_server": negotiate(c.lists[6], s.lists[6]),
        "hassh": c.hassh(True),
        "hassh_server": s.hassh(False),
        "post_quantum_kex_client": list(c.post_quantum_kex()),
        "post_quantum_kex_server": list(s.post_quantum_kex()),
        "post_quantum_kex": kex in c.post_quantum_kex() if kex else False,
        "auth_method": None,
        "username": None,
        "cleartext_credentials": False,
        "encrypted": bool(cipher_c2s and cipher_c2s != "none"),
    }


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
    client_side: SshSide | None = request.message if request is not None else None
    server_side: SshSide | None = response.message if response is not None else None
    details: dict[str, object] = {"remote_access": True}
    status: TransactionStatus
    if client_side is not None and server_side is not None:
        details = _details(client_side, server_side)
        status = "ok" if details["kex_algorithm"] else "exception"
    else:
        status = "unanswered" if client_side is not None else "unknown"
    return Transaction(
        protocol="ssh",
        client=client,
        server=server,
        function=20,
        function_name="KEXINIT",
        operation=OperationClass.SESSION,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        details=details,
        anomalies=merge_anomalies(
            client_side.kexinit if client_side else None,
            server_side.kexinit if server_side else None,
        ),
    )

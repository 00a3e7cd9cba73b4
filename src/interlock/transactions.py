"""Turn the engine's paired units into typed transactions (the model the rest consumes)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Final, NamedTuple

from interlock.model import Endpoint, Transaction
from interlock.net.flows import TCP, Flow
from interlock.protocols.arp import transactions as arp_transactions
from interlock.protocols.bacnet import transactions as bacnet_transactions
from interlock.protocols.cdp import transactions as cdp_transactions
from interlock.protocols.dhcp import transactions as dhcp_transactions
from interlock.protocols.dnp3 import transactions as dnp3_transactions
from interlock.protocols.dns import transactions as dns_tx
from interlock.protocols.enip import transactions as enip_transactions
from interlock.protocols.ftp import transactions as ftp_transactions
from interlock.protocols.http import transactions as http_tx
from interlock.protocols.iec104 import transactions as iec104_transactions
from interlock.protocols.lldp import transactions as lldp_transactions
from interlock.protocols.modbus import transactions as modbus_transactions
from interlock.protocols.mqtt import transactions as mqtt_transactions
from interlock.protocols.nbns import transactions as nbns_transactions
from interlock.protocols.opcua import transactions as opcua_transactions
from interlock.protocols.pn_dcp import transactions as pn_dcp_transactions
from interlock.protocols.rdp import transactions as rdp_transactions
from interlock.protocols.s7comm import transactions as s7comm_transactions
from interlock.protocols.smb import transactions as smb_transactions
from interlock.protocols.snmp import transactions as snmp_transactions
from interlock.protocols.ssh import transactions as ssh_transactions
from interlock.protocols.teamviewer import transactions as remote_app_transactions
from interlock.protocols.telnet import transactions as telnet_transactions
from interlock.protocols.tls import transactions as tls_transactions
from interlock.protocols.vnc import transactions as vnc_transactions

MAX_OPEN_PER_FLOW: Final = 1024


class Pairing(NamedTuple):
    key: Callable[[Any], Hashable]
    """What a request and its response share (for Modbus: unit, transaction id, function)."""
    build: Callable[..., Transaction]
    view: Callable[[Any, Any], tuple[Any, Any] | None] | None = None
    """Optional: (unit, what the session returned) -> the message and request to pair, or
    None to skip the unit (S7: the session completes S7 PDUs from COTP fragments)."""
    is_request: Callable[[Any], bool] | None = None
    """Optional: whether a (viewed) message is a request, when the protocol says so itself
    (DNP3: by function code); by default, the TCP client's messages are the requests."""


PAIRINGS: Final[dict[str, Pairing]] = {
    "modbus": Pairing(modbus_transactions.pairing_key, modbus_transactions.build),
    "dnp3": Pairing(
        dnp3_transactions.pairing_key,
        dnp3_transactions.build,
        dnp3_transactions.view,
        dnp3_transactions.is_request,
    ),
    "enip": Pairing(enip_transactions.pairing_key, enip_transactions.build),
    "s7comm": Pairing(
        s7comm_transactions.pairing_key,
        s7comm_transactions.build,
        s7comm_transactions.view,
        s7comm_transactions.is_request,
    ),
    "opcua": Pairing(
        opcua_transactions.pairing_key,
        opcua_transactions.build,
        opcua_transactions.view,
        opcua_transactions.is_request,
    ),
    "bacnet": Pairing(
        bacnet_transactions.pairing_key,
        bacnet_transactions.build,
        bacnet_transactions.view,
        bacnet_transactions.is_request,
    ),
    "iec104": Pairing(
        iec104_transactions.pairing_key,
        iec104_transactions.build,
        iec104_transactions.view,
        iec104_transactions.is_request,
    ),
    "ssh": Pairing(
        ssh_transactions.pairing_key,
        ssh_transactions.build,
        ssh_transactions.view,
        ssh_transactions.is_request,
    ),
    "ftp": Pairing(ftp_transactions.pairing_key, ftp_transactions.build, ftp_transactions.view),
    "rdp": Pairing(rdp_transactions.pairing_key, rdp_transactions.build, rdp_transactions.view),
    "smb": Pairing(smb_transactions.pairing_key, smb_transactions.build, smb_transactions.view),
    "vnc": Pairing(
        vnc_transactions.pairing_key,
        vnc_transactions.build,
        vnc_transactions.view,
        vnc_transactions.is_request,
    ),
    "telnet": Pairing(
        telnet_transactions.pairing_key,
        telnet_transactions.build,
        telnet_transactions.view,
        telnet_transactions.is_request,
    ),
    "teamviewer": Pairing(
        remote_app_transactions.pairing_key,
        remote_app_transactions.build_teamviewer,
        remote_app_transactions.view,
        remote_app_transactions.is_request,
    ),
    "anydesk": Pairing(
        remote_app_transactions.pairing_key,
        remote_app_transactions.build_anydesk,
        remote_app_transactions.view,
        remote_app_transactions.is_request,
    ),
    **dict.fromkeys(
        ("dns", "dns-tcp", "mdns", "llmnr"),
        Pairing(dns_tx.pairing_key, dns_tx.build, None, dns_tx.is_request),
    ),
    "http": Pairing(http_tx.pairing_key, http_tx.build, http_tx.view, http_tx.is_request),
    "mqtt": Pairing(
        mqtt_transactions.pairing_key,
        mqtt_transactions.build,
        mqtt_transactions.view,
        mqtt_transactions.is_request,
    ),
    "tls": Pairing(
        tls_transactions.pairing_key,
        tls_transactions.build,
        tls_transactions.view,
        tls_transactions.is_request,
    ),
    "arp": Pairing(
        arp_transactions.pairing_key, arp_transactions.build, None, arp_transactions.is_request
    ),
    "cdp": Pairing(
        cdp_transactions.pairing_key, cdp_transactions.build, None, cdp_transactions.is_request
    ),
    "pn_dcp": Pairing(
        pn_dcp_transactions.pairing_key,
        pn_dcp_transactions.build,
        pn_dcp_transactions.view,
        pn_dcp_transactions.is_request,
    ),
    "dhcp": Pairing(
        dhcp_transactions.pairing_key, dhcp_transactions.build, None, dhcp_transactions.is_request
    ),
    "lldp": Pairing(
        lldp_transactions.pairing_key, lldp_transactions.build, None, lldp_transactions.is_request
    ),
    "snmp": Pairing(
        snmp_transactions.pairing_key, snmp_transactions.build, None, snmp_transactions.is_request
    ),
    "nbns": Pairing(
        nbns_transactions.pairing_key, nbns_transactions.build, None, nbns_transactions.is_request
    ),
}


class TransactionSink:
    """Engine sink that emits one Transaction per request/response pair.

    A request not yet answered waits (bounded per flow); when its flow closes, at the end,
    or when the bound is reached, it is emitted as unanswered. A response with no request
    is emitted alone.
    """

    def __init__(self, emit: Callable[[Transaction], None]) -> None:
        self.emit = emit
        self.waiting: dict[int, dict[Hashable, tuple[int, float, Any, Endpoints]]] = {}

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        assert flow.spec is not None
        pairing = PAIRINGS.get(flow.spec.name)
        if pairing is None:
            return
        if pairing.view is not None:
            viewed = pairing.view(message, answered)
            if viewed is None:
                return
            message, answered = viewed
        client, server = _endpoints(flow)
        waiting = self.waiting.setdefault(id(flow), {})
        key = pairing.key(message)
        from_client = direction == flow.client_dir
        if pairing.is_request is not None:
            from_client = pairing.is_request(message)
            if from_client and flow.transport != TCP:
                # No handshake names the client of a UDP or link-layer flow: a request does
                # (a DCP Set from the engineering station, BACnet requests either way).
                client, server = _by_direction(flow, direction)
        if from_client:
            previous = waiting.pop(key, None)
            if previous is None and len(waiting) >= MAX_OPEN_PER_FLOW:
                previous = waiting.pop(next(iter(waiting)))
            if previous is not None:
                asker, answerer = previous[3]
                self.emit(
                    pairing.build(
                        asker, answerer, previous[2], previous[0], previous[1], None, None, None
                    )
                )
            waiting[key] = (frame, ts, message, (client, server))
        elif answered is not None:
            previous = waiting.pop(key, None)
            if previous is not None:
                client, server = previous[3]
            self.emit(
                pairing.build(
                    client, server, answered.adu, answered.frame, answered.ts, message, frame, ts
                )
            )
        else:
            self.emit(pairing.build(client, server, None, None, None, message, frame, ts))

    def flow_closed(self, flow: Flow) -> None:
        """The engine forgets flow: what still waits for an answer is unanswered."""
        waiting = self.waiting.pop(id(flow), None)
        if not waiting or flow.spec is None:
            return
        build = PAIRINGS[flow.spec.name].build
        for frame, ts, message, (client, server) in waiting.values():
            self.emit(build(client, server, message, frame, ts, None, None, None))


Endpoints = tuple[Endpoint, Endpoint]


def _endpoints(flow: Flow) -> Endpoints:
    return _by_direction(flow, flow.client_dir if flow.client_dir >= 0 else 0)


def _by_direction(flow: Flow, client_direction: int) -> Endpoints:
    src, sport, dst, dport = flow.text[client_direction]
    return Endpoint(src, sport), Endpoint(dst, dport)

"""`interlock dissect --jsonl`: one JSON object per protocol unit, as Wireshark 4.0 shows it.

The shape is fixed by ../shared/spec/dissect.md. Records are encoded with orjson and
written one by one to a buffered stream: give it a large buffer (see ``open_output``).
Collecting many small encoded records in a list before joining them was measured to be
several times slower (allocator pressure), so don't.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, BinaryIO, Final, Protocol

import orjson

from interlock.net.flows import ETHER, TCP, UDP, Flow
from interlock.render.arp_record import arp_record
from interlock.render.bacnet_record import bacnet_record
from interlock.render.cdp_record import cdp_record
from interlock.render.dhcp_record import dhcp_record
from interlock.render.dnp3_record import dnp3_record
from interlock.render.dns_record import dns_record, mdns_record
from interlock.render.enip_record import enip_record
from interlock.render.ftp_record import ftp_record
from interlock.render.http_record import http_record
from interlock.render.iec104_record import iec104_record
from interlock.render.lldp_record import lldp_record
from interlock.render.modbus_record import modbus_record
from interlock.render.mqtt_record import mqtt_record
from interlock.render.nbns_record import nbns_record
from interlock.render.opcua_record import opcua_record
from interlock.render.pn_dcp_record import pn_dcp_record
from interlock.render.rdp_record import rdp_record
from interlock.render.remote_app_record import anydesk_record, teamviewer_record
from interlock.render.s7comm_record import s7comm_record
from interlock.render.smb_record import smb_record
from interlock.render.snmp_record import snmp_record
from interlock.render.ssh_record import ssh_record
from interlock.render.telnet_record import telnet_record
from interlock.render.tls_record import tls_record
from interlock.render.vnc_record import vnc_record

OUTPUT_BUFFER: Final = 1 << 20
dumps = orjson.dumps
APPEND_NEWLINE: Final = orjson.OPT_APPEND_NEWLINE
TRANSPORT_NAMES: Final = {TCP: "tcp", UDP: "udp", ETHER: "ether"}


Record = tuple[str | None, dict[str, Any], Sequence[str]]
Renderer = Callable[[Any, int, Any], Record | None]
"""(message, role, answered) -> (proto, fields, anomalies), or None when the unit is not
one the contract reports (a COTP connection request, say). proto None means the spec's
name; a spec may report another (TPKT on port 102 carries s7comm and s7comm-plus).
role: 1 query, 0 response, -1 the ports cannot tell (Wireshark's classification)."""
RENDERERS: Final[dict[str, Renderer]] = {
    "modbus": modbus_record,
    "dnp3": dnp3_record,
    "enip": enip_record,
    "s7comm": s7comm_record,
    "opcua": opcua_record,
    "bacnet": bacnet_record,
    "iec104": iec104_record,
    "ssh": ssh_record,
    "ftp": ftp_record,
    "rdp": rdp_record,
    "smb": smb_record,
    "vnc": vnc_record,
    "telnet": telnet_record,
    "teamviewer": teamviewer_record,
    "anydesk": anydesk_record,
    "dns": dns_record,
    "dns-tcp": dns_record,
    "mdns": mdns_record,
    "llmnr": dns_record,
    "http": http_record,
    "mqtt": mqtt_record,
    "tls": tls_record,
    "arp": arp_record,
    "lldp": lldp_record,
    "cdp": cdp_record,
    "pn_dcp": pn_dcp_record,
    "dhcp": dhcp_record,
    "snmp": snmp_record,
    "nbns": nbns_record,
}


class Output(Protocol):
    """Where records go: a binary stream (only these two methods are used)."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


class RecordHead:
    """What every record of one flow direction shares (computed once per direction)."""

    __slots__ = ("dport", "dst", "proto", "renderer", "role", "sport", "src", "transport")

    def __init__(
        self,
        renderer: Renderer,
        proto: str,
        transport: str,
        src: str,
        sport: int,
        dst: str,
        dport: int,
        role: int,
    ) -> None:
        self.renderer = renderer
        self.proto = proto
        self.transport = transport
        self.src = src
        self.sport = sport
        self.dst = dst
        self.dport = dport
        self.role = role
        """1: Wireshark calls this direction's units queries, 0 responses, -1 cannot tell."""


def open_output(fd: int) -> BinaryIO:
    """A binary writer on fd with a buffer large enough that writes are rare."""
    return open(fd, "wb", buffering=OUTPUT_BUFFER, closefd=False)


class JsonlSink:
    """Engine sink that writes dissect records to a binary stream."""

    def __init__(
        self,
        out: Output,
        protocols: Collection[str] | None = None,
        server_ports: dict[str, frozenset[int]] | None = None,
    ) -> None:
        self.out = out
        self.write = out.write
        self.wanted = frozenset(protocols) if protocols else None
        self.server_ports = server_ports or {}
        self.written = 0

    def _prepare(self, flow: Flow, direction: int) -> RecordHead:
        """What every record of this flow and direction shares, computed once."""
        spec = flow.spec
        assert spec is not None
        src, sport, dst, dport = flow.text[direction]
        ports = self.server_ports.get(spec.name, spec.tcp_ports)
        # Wireshark decides query or response by the server port alone (one side only).
        role = -1 if (sport in ports) == (dport in ports) else int(dport in ports)
        if sport not in ports and dport not in ports and flow.client_dir >= 0:
            # Found by a content probe: the port the probe took for the server's counts,
            # as it does in Wireshark once the port is decoded as the protocol.
            role = int(direction == flow.client_dir)
        head = RecordHead(
            RENDERERS[spec.name],
            spec.name,
            TRANSPORT_NAMES[flow.transport],
            src,
            sport,
            dst,
            dport,
            role,
        )
        flow.sink_state[direction] = head
        return head

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        head: RecordHead = flow.sink_state[direction] or self._prepare(flow, direction)
        record = head.renderer(message, head.role, answered)
        if record is None:
            return
        proto, fields, anomalies = record
        proto = proto or head.proto
        if self.wanted is not None and proto not in self.wanted:
            return
        self.written += 1
        self.write(
            dumps(
                {
                    "frame": frame,
                    "ts": ts,
                    "proto": proto,
                    "transport": head.transport,
                    "src": head.src,
                    "sport": head.sport,
                    "dst": head.dst,
                    "dport": head.dport,
                    "fields": fields,
                    "anomalies": anomalies,
                },
                option=APPEND_NEWLINE,
            )
        )

    def flush(self) -> None:
        self.out.flush()

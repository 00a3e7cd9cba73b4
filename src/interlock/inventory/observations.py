"""What one analysis run saw, aggregated as it goes: hosts and their MAC addresses, identity
facts, protocol use, devices behind addresses, flows and operation edges.

Identity is keyed by address: an IP address, or a MAC address for what the link layer
said (LLDP, CDP, DCP, DHCP options). Bindings are the (IP, MAC) pairs a device or its
DHCP server stated (ARP, DHCP ACK, DCP); stations are MAC addresses that spoke for
themselves at the link layer, assets even if they never send an IP packet.

Memory grows with what is distinct (hosts, values, conversations), never with packets:
every key holds first/last/count, not one row per packet. A long run hands its tables over
in slices (``take``) once they hold ``size()`` keys enough, so that it stays bounded too.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass, field
from typing import Final, TypeVar

from interlock.inventory.facts import (
    UNIT_EXTRACTORS,
    Binding,
    IdentityFact,
    Origin,
    bindings_of,
    facts_of,
    is_unicast_mac,
    origins_of,
)
from interlock.inventory.model import is_mac
from interlock.model import Transaction
from interlock.net.flows import ETHER, TCP, UDP, Flow

TRANSPORTS: Final = {TCP: "tcp", UDP: "udp", ETHER: "ether"}
BROADCAST_MAC: Final = b"\xff" * 6
ZERO_MAC: Final = bytes(6)  # loopback and some container captures: no hardware address
K = TypeVar("K")


@dataclass(slots=True)
class Seen:
    """First and last time, how often, and the first frame that showed it."""

    first: float
    last: float
    frame: int
    count: int = 1

    def again(self, ts: float, count: int = 1) -> None:
        # Comparisons, not min()/max(): this runs a few times per transaction.
        if ts < self.first:
            self.first = ts
        if ts > self.last:
            self.last = ts
        self.count += count


@dataclass(slots=True)
class FlowStats:
    packets: int
    octets: int
    first: float
    last: float
    connections: int = 1


@dataclass
class RunObservations:
    capture: str
    """sha256 of the capture (or a name for a live interface)."""
    site: str
    hosts: dict[str, Seen] = field(default_factory=dict)
    macs: dict[tuple[str, str], Seen] = field(default_factory=dict)
    """(ip, mac) -> when the address was seen with that MAC as its Ethernet address."""
    identity: dict[tuple[str, tuple[str, str] | None, str, str, str], tuple[float, Seen]] = field(
        default_factory=dict
    )
    """(address, child, attribute, value, source) -> (confidence, seen); the address is an
    IP address, or a MAC address for link-layer evidence."""
    protocols: dict[tuple[str, str, str, int], Seen] = field(default_factory=dict)
    """(ip, proto, side, service port) -> seen."""
    children: dict[tuple[str, str, str], Seen] = field(default_factory=dict)
    """(ip, kind, key) -> seen: a device behind an address (Modbus unit, DNP3 outstation)."""
    flows: dict[tuple[str, str, str, int, str], FlowStats] = field(default_factory=dict)
    """(transport, client ip, server ip, server port, proto) -> counters."""
    edges: dict[tuple[str, str, str, str], Seen] = field(default_factory=dict)
    """(client ip, server ip, proto, operation class) -> seen."""
    bindings: dict[tuple[str, str], Seen] = field(default_factory=dict)
    """(ip, mac) -> when a frame stated that the IP address belongs to the MAC address."""
    stations: dict[str, Seen] = field(default_factory=dict)
    """mac -> when it spoke for itself at the link layer (LLDP, CDP, DCP, DHCP)."""
    first_ts: float | None = None
    last_ts: float | None = None
    sender: tuple[int, str] = (0, "")
    """(frame, source address) of the UDP unit the engine is reporting (``unit_sent``)."""

    # -- slices --------------------------------------------------------------------

    def size(self) -> int:
        """Keys held: what a slice costs in memory."""
        return (
            len(self.hosts) + len(self.macs) + len(self.identity) + len(self.protocols)
            + len(self.children) + len(self.flows) + len(self.edges) + len(self.bindings)
            + len(self.stations)
        )  # fmt: skip

    def take(self) -> RunObservations:
        """What was observed since the last slice, as a run of its own; this run goes on
        empty (its capture, site and time bounds stay)."""
        part = RunObservations(self.capture, self.site)
        part.first_ts, part.last_ts = self.first_ts, self.last_ts
        for name in TABLES:
            setattr(part, name, getattr(self, name))
            setattr(self, name, {})
        return part

    def absorb(self, earlier: RunObservations) -> None:
        """Take back what an earlier slice could not place yet (a conversation whose
        hosts are only known when its flow closes)."""
        for (client, server, proto, op), seen in earlier.edges.items():
            _fold(self.edges, (client, server, proto, op), seen)
        for key, seen in earlier.children.items():
            _fold(self.children, key, seen)
        for ikey, (confidence, seen) in earlier.identity.items():
            found = self.identity.get(ikey)
            if found is None:
                self.identity[ikey] = (confidence, seen)
            else:
                _merge_seen(found[1], seen)

    # -- feeding -------------------------------------------------------------------

    def unit_sent(
        self, frame: int, flow: Flow, direction: int, ts: float = 0.0, message: object = None
    ) -> None:
        """The engine reports a unit sent in ``direction`` of ``flow``; transactions built
        from it alone follow at once. A request standing alone on a UDP flow (a BACnet
        I-Am) is named by the flow's first sender, which need not be the request's sender,
        and so is a response whose request the flow's first sender did not send (NetBIOS
        and BACnet use one port on both sides); on TCP the handshake named the client (a
        broker's PUBLISH stays the broker's). What a unit says about its sender that its
        transaction does not carry (a DCP Hello's blocks) is taken from ``message``."""
        self.sender = (frame, flow.text[direction][0]) if flow.transport == UDP else (0, "")
        spec = flow.spec
        if message is not None and spec is not None and spec.name in UNIT_EXTRACTORS:
            facts, bindings = UNIT_EXTRACTORS[spec.name](message, flow.text[direction][0])
            for fact in facts:
                if fact.address is not None:
                    self.fact(fact.address, fact, ts, frame)
            for binding in bindings:
                self.bind(binding, ts, frame)

    def transaction(self, tx: Transaction) -> None:
        frame = tx.response_frame or tx.request_frame or 0
        ts = tx.response_ts if tx.response_ts is not None else tx.request_ts
        if ts is None:
            return
        client, server = tx.client.ip, tx.server.ip
        if tx.response_frame is None and self.sender == (tx.request_frame, server):
            client, server = server, client
        elif tx.response_frame is not None and self.sender == (tx.response_frame, client):
            client, server = server, client  # the answer came from the named client
        if tx.request_frame is not None and tx.status != "unsolicited":
            _see(self.edges, (client, server, tx.protocol, tx.operation.value), ts, frame)
        unit = tx.details.get("unit_id")
        if tx.protocol == "modbus" and isinstance(unit, int) and tx.response_frame is not None:
            _see(self.children, (server, "modbus_unit", str(unit)), ts, frame)
        outstation = tx.details.get("outstation")
        if tx.protocol == "dnp3" and isinstance(outstation, int) and tx.response_frame:
            _see(self.children, (server, "dnp3_outstation", str(outstation)), ts, frame)
        if tx.protocol == "pn_dcp" and tx.request_frame is not None and is_unicast_mac(client):
            # An engineering station naming, addressing or resetting devices by DCP.
            _see(self.stations, client, ts, frame)
        if tx.protocol == "dhcp" and tx.response_frame is not None and is_host_address(server):
            # DHCP replies go to broadcast: the flow's first sender is no client to trust.
            _see(self.protocols, (server, "dhcp", "server", tx.server.port), ts, frame)
        for fact in facts_of(tx):
            address = fact.address or (server if fact.side == "server" else client)
            if fact.side == "client" and tx.request_frame is not None and tx.request_ts is not None:
                self.fact(address, fact, tx.request_ts, tx.request_frame)  # said in the request
            else:
                self.fact(address, fact, ts, frame)
        for binding in bindings_of(tx):
            self.bind(binding, ts, frame)
        for origin in origins_of(tx):
            if tx.request_frame is not None and tx.request_ts is not None:
                self.relayed(origin, client, tx.protocol, tx.request_ts, tx.request_frame)
            else:
                self.relayed(origin, client, tx.protocol, ts, frame)

    def bind(self, binding: Binding, ts: float, frame: int) -> None:
        if is_host_address(binding.ip) and is_unicast_mac(binding.mac):
            _see(self.bindings, (binding.ip, binding.mac), ts, frame)
            _see(self.hosts, binding.ip, ts, frame)

    def relayed(self, origin: Origin, relay: str, proto: str, ts: float, frame: int) -> None:
        """A message ``relay`` forwarded for its original sender (a BBMD's Forwarded-NPDU):
        that sender is a host that used the protocol from its port, whether or not its own
        traffic reaches the capture. No MAC address: the frame carried the relay's."""
        if origin.ip == relay or not is_host_address(origin.ip):
            return
        _see(self.hosts, origin.ip, ts, frame)
        _see(self.protocols, (origin.ip, proto, "client", origin.port), ts, frame)
        self.fact(
            origin.ip, IdentityFact("client", "forwarded_by", relay, origin.source, 0.9), ts, frame
        )

    def fact(self, address: str, fact: IdentityFact, ts: float, frame: int) -> None:
        """A fact about an IP address, or about a MAC address (it makes a station)."""
        if is_mac(address):
            if not is_unicast_mac(address):
                return
            _see(self.stations, address, ts, frame)
        key = (address, fact.child, fact.attribute, fact.value, fact.source)
        found = self.identity.get(key)
        if found is None:
            self.identity[key] = (fact.confidence, Seen(ts, ts, frame))
        else:
            found[1].again(ts)
        if fact.child is not None:
            _see(self.children, (address, *fact.child), ts, frame)

    def flow(self, flow: Flow) -> None:
        """A flow the engine forgot (closed, idle, or at the end): its record and hosts."""
        if flow.packets == 0:
            return
        first, last = flow.first_seen, flow.last_seen
        self.first_ts = first if self.first_ts is None else min(self.first_ts, first)
        self.last_ts = last if self.last_ts is None else max(self.last_ts, last)
        client_dir = flow.client_dir if flow.client_dir >= 0 else 0
        client, _cport, server, sport = flow.text[client_dir]
        proto = flow.spec.name if flow.spec is not None and flow.units else ""
        transport = TRANSPORTS.get(flow.transport, str(flow.transport))
        key = (transport, client, server, sport, proto)
        stats = self.flows.get(key)
        if stats is None:
            self.flows[key] = FlowStats(flow.packets, flow.octets, first, last)
        else:
            stats.packets += flow.packets
            stats.octets += flow.octets
            stats.first = min(stats.first, first)
            stats.last = max(stats.last, last)
            stats.connections += 1
        if flow.transport == ETHER:
            return
        if len(flow.macs) == 12:
            a, b = flow.text[0][0], flow.text[0][2]
            self._host_mac(a, flow.macs[:6], first, last)
            self._host_mac(b, flow.macs[6:], first, last)
        for ip in (client, server):
            if is_host_address(ip):
                _see(self.hosts, ip, first, 0).again(last, 0)
        if proto and flow.units:
            _see(self.protocols, (server, proto, "server", sport), first, 0).again(last, 0)
            _see(self.protocols, (client, proto, "client", sport), first, 0).again(last, 0)

    def _host_mac(self, ip: str, mac: bytes, first: float, last: float) -> None:
        if mac in (ZERO_MAC, BROADCAST_MAC) or mac[0] & 1 or not is_host_address(ip):
            return
        _see(self.macs, (ip, mac.hex(":")), first, 0).again(last, 0)


TABLES: Final = (
    "hosts", "macs", "identity", "protocols", "children", "flows", "edges", "bindings", "stations",
)  # fmt: skip


def _fold(table: dict[K, Seen], key: K, seen: Seen) -> None:
    found = table.get(key)
    if found is None:
        table[key] = seen
    else:
        _merge_seen(found, seen)


def _merge_seen(into: Seen, earlier: Seen) -> None:
    if earlier.first < into.first:
        into.frame = earlier.frame
    into.first = min(into.first, earlier.first)
    into.last = max(into.last, earlier.last)
    into.count += earlier.count


def _see(table: dict[K, Seen], key: K, ts: float, frame: int) -> Seen:
    seen = table.get(key)
    if seen is None:
        seen = table[key] = Seen(ts, ts, frame)
    else:
        seen.again(ts)
    return seen


@functools.lru_cache(maxsize=65_536)
def is_host_address(ip: str) -> bool:
    """Whether an address can belong to one device (not multicast, broadcast or unspecified).
    Cached: asked for both ends of every flow, and parsing is most of the cost."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if address.is_multicast or address.is_unspecified:
        return False
    return not (address.version == 4 and ip.endswith(".255"))

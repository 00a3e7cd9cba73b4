"""Merge one run's observations into the inventory, by evidence rather than by one address.

An address seen in traffic is matched to an asset by its MAC address first (DHCP may have
moved its IP), then by the IP itself unless that asset has a different MAC of its own (the
address now belongs to another device). MAC addresses that stand for many IP addresses
belong to a router (routed traffic carries the router's MAC), so they identify the
router, not the hosts behind it. Conflicting identity values are all kept.

Link-layer evidence is keyed by MAC address. A binding a device (or its DHCP server)
stated itself, in ARP, a DHCP ACK or a PROFINET DCP IP block, joins the IP address to the
MAC address even when routed traffic marks that MAC as a router's (it is the router's own
address). A MAC address that spoke for itself at the link layer (LLDP, CDP, DCP, DHCP)
and that no IP address resolved to becomes an asset of its own, addressed by its MAC (a
switch that only sends LLDP). Facts about a MAC address go to the asset that has it.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Final

from interlock.inventory.model import (
    Asset,
    CaptureRecord,
    Change,
    Edge,
    Evidence,
    FlowRecord,
    IdentityValue,
    Inventory,
    Role,
    Span,
    is_mac,
)
from interlock.inventory.observations import RunObservations
from interlock.inventory.oui import nic_vendor
from interlock.inventory.roles import assign_roles
from interlock.inventory.witness import MAX_ADDRESSES_PER_HOST_MAC, MacWitness

QUIET_SECONDS: Final = 24 * 3600.0
REMOTE_ACCESS: Final = frozenset(
    {"ssh", "rdp", "vnc", "telnet", "teamviewer", "anydesk", "ftp", "smb"}
)


def merge(inventory: Inventory, run: RunObservations, capture: CaptureRecord) -> list[Change]:
    """Fold a whole run into an inventory held in memory; the changes it brought (also
    appended to it). The run is consumed as it is folded in."""
    changes = merge_slice(inventory, run, capture)
    if run.last_ts is not None:
        noted = inventory.quiet_noted
        candidates = [
            (a.id, a.span.last, noted.get(a.id)) for a in inventory.top_level()
        ]  # fmt: skip
        for change in quiet_changes(candidates, run.last_ts, capture):
            noted[change.asset_id or 0] = change.ts
            changes.append(change)
    assign_roles(inventory)
    inventory.captures.append(capture)
    inventory.changes.extend(changes)
    return changes


def merge_slice(
    inventory: Inventory,
    run: RunObservations,
    capture: CaptureRecord,
    leftover: RunObservations | None = None,
    witness: MacWitness | None = None,
) -> list[Change]:
    """Fold a run, or a slice of one, into the inventory (or the part of it the slice
    touches: every asset that has one of its addresses, with its devices behind it and the
    edges it is the client of); the changes it brought. Roles and quiet assets are left to
    the caller. With ``witness``, what earlier slices of the run saw of each MAC address
    counts too in telling a router's MAC. With ``leftover``, the edges, facts and devices behind an address whose
    addresses no asset has yet go there instead of being dropped: a later slice may bring
    their hosts (a flow's hosts come when it closes).

    The slice is consumed: each table is emptied once folded in, so that a large run and
    the inventory it grows are not both whole in memory at the peak."""
    merger = _Merger(inventory, run, capture, leftover, witness)
    merger.hosts()
    run.hosts.clear()
    run.macs.clear()
    run.bindings.clear()
    merger.stations()
    run.stations.clear()
    merger.children()
    merger.identity()
    run.identity.clear()
    run.children.clear()
    merger.protocols()
    run.protocols.clear()
    merger.flows()
    merger.edges()
    return merger.changes


def quiet_changes(
    candidates: Iterable[tuple[int, float, float | None]], now: float, capture: CaptureRecord
) -> Iterator[Change]:
    """Top-level assets silent for QUIET_SECONDS of capture time before ``now`` (the run's
    last packet), once per silence. Each candidate is (asset id, last seen, when it was
    last reported quiet or None)."""
    for asset_id, last, noted in candidates:
        if last < now - QUIET_SECONDS and (noted if noted is not None else -1.0) < last:
            yield Change(
                "asset_quiet", now, asset_id, f"no traffic since {last:.0f}",
                Evidence(capture.sha256, 0, now, capture.site),
            )  # fmt: skip


class _Merger:
    def __init__(
        self,
        inventory: Inventory,
        run: RunObservations,
        capture: CaptureRecord,
        leftover: RunObservations | None,
        witness: MacWitness | None,
    ) -> None:
        self.inv = inventory
        self.run = run
        self.leftover = leftover
        self.witness = witness
        self.carrying: dict[str, int] = {}
        """router MAC -> how many IP addresses it was seen with (at least)."""
        self.capture = capture
        self.changes: list[Change] = []
        self.by_ip: dict[str, Asset] = {}
        self.by_mac: dict[str, Asset] = {}
        # An address moved between assets belongs to the one that had it last.
        owned = [
            (span.last, a, asset)
            for asset in inventory.top_level()
            for a, span in asset.addresses.items()
        ]
        for _last, address, asset in sorted(owned, key=lambda t: t[0]):
            (self.by_mac if is_mac(address) else self.by_ip)[address] = asset
        self.resolved: dict[str, Asset] = {}
        """ip -> the asset it stands for in this run."""

    def evidence(self, frame: int, ts: float) -> Evidence:
        return Evidence(self.capture.sha256, frame, ts, self.capture.site)

    def note(self, kind: str, ts: float, asset: Asset | None, summary: str, frame: int = 0) -> None:
        self.changes.append(
            Change(kind, ts, asset.id if asset else None, summary, self.evidence(frame, ts))
        )

    # -- hosts ---------------------------------------------------------------------

    def router_macs(self) -> dict[str, list[str]]:
        ips_of: dict[str, list[str]] = defaultdict(list)
        for ip, mac in self.run.macs:
            ips_of[mac].append(ip)
        routers = {}
        for mac, ips in ips_of.items():
            pool = ips if self.witness is None else self.witness.see(mac, ips)
            nets = {ipaddress.ip_network(f"{ip}/24", strict=False) for ip in pool if ":" not in ip}
            if len(pool) > MAX_ADDRESSES_PER_HOST_MAC or len(nets) > 1:
                routers[mac] = sorted(ips)
                self.carrying[mac] = max(len(ips), len(pool))
        return routers

    def hosts(self) -> None:
        routers = self.router_macs()
        macs_of: dict[str, list[str]] = defaultdict(list)
        for ip, mac in self.run.macs:
            if mac not in routers:
                macs_of[ip].append(mac)
        for ip, mac in self.run.bindings:  # stated by the device: holds even for a router MAC
            if mac not in macs_of[ip]:
                macs_of[ip].append(mac)
        for ip, seen in sorted(self.run.hosts.items(), key=lambda kv: kv[1].first):
            macs = macs_of.get(ip, [])
            asset = next((self.by_mac[m] for m in macs if m in self.by_mac), None)
            if asset is None:
                known = self.by_ip.get(ip)
                if known is not None and not (
                    macs and known.macs and set(macs).isdisjoint(known.macs)
                ):
                    asset = known
            if asset is None:
                asset = self.inv.new_asset(seen.first)
                self.note("new_asset", seen.first, asset, f"new asset {ip}")
            asset.span.widen(seen.first, seen.last, 1)
            _widen(asset.addresses, ip, seen.first, seen.last)
            for mac in macs:
                first, last = self.pair_span(ip, mac)
                _widen(asset.addresses, mac, first, last)
                self.nic_vendor(asset, mac, first, last)
                self.by_mac[mac] = asset
                if self.witness is not None:
                    self.witness.given(mac, (ip, mac) in self.run.bindings)
            self.by_ip[ip] = asset
            self.resolved[ip] = asset
        for mac, ips in routers.items():
            spans = [self.run.macs[(ip, mac)] for ip in ips]
            first, last = min(s.first for s in spans), max(s.last for s in spans)
            asset = self.by_mac.get(mac)
            if asset is not None and self.witness is not None and self.witness.carried(mac):
                asset = None  # the host an earlier slice gave it to keeps it, not the role
            if asset is None:
                asset = self.inv.new_asset(first)
                self.note("new_asset", first, asset, f"new router {mac}")
                self.by_mac[mac] = asset
            asset.span.widen(first, last, 1)
            _widen(asset.addresses, mac, first, last)
            self.nic_vendor(asset, mac, first, last)
            carrying = self.carrying[mac]
            reason = f"its MAC address carries traffic of {carrying} IP addresses ({', '.join(ips[:4])}...)"
            asset.roles = [r for r in asset.roles if r.role != "router"] + [Role("router", reason)]

    def pair_span(self, ip: str, mac: str) -> tuple[float, float]:
        """When the IP address was seen with the MAC address, by traffic or by binding."""
        spans = [t[(ip, mac)] for t in (self.run.macs, self.run.bindings) if (ip, mac) in t]
        return min(s.first for s in spans), max(s.last for s in spans)

    def stations(self) -> None:
        """MAC addresses that spoke for themselves at the link layer and that no IP address
        resolved to are assets of their own, addressed by their MAC."""
        for mac, seen in sorted(self.run.stations.items(), key=lambda kv: kv[1].first):
            asset = self.by_mac.get(mac)
            if asset is None:
                asset = self.by_mac[mac] = self.inv.new_asset(seen.first)
                self.note("new_asset", seen.first, asset, f"new asset {mac}", seen.frame)
            asset.span.widen(seen.first, seen.last, 1)
            _widen(asset.addresses, mac, seen.first, seen.last)
            self.nic_vendor(asset, mac, seen.first, seen.last)

    def resolve(self, address: str) -> Asset | None:
        """The asset an IP address stands for in this run (or, for an address this run
        did not see in traffic, such as one a DNS answer gives, the asset that had it last),
        or the one that has a MAC address."""
        if is_mac(address):
            return self.by_mac.get(address)
        return self.resolved.get(address) or self.by_ip.get(address)

    def nic_vendor(self, asset: Asset, mac: str, first: float, last: float) -> None:
        vendor = nic_vendor(mac)
        if vendor is None:
            return
        key = ("nic_vendor", vendor, "ieee.oui")
        if key in asset.identity:
            asset.identity[key].span.widen(first, last, 1)
        else:
            asset.identity[key] = IdentityValue(
                *key, 0.5, self.evidence(0, first), Span(first, last, 1)
            )

    def children(self) -> None:
        units: dict[str, set[str]] = defaultdict(set)
        for ip, kind, key in self.run.children:
            if kind == "modbus_unit":
                units[ip].add(key)
        for (ip, kind, key), seen in self.run.children.items():
            parent = self.resolve(ip)
            if parent is None and self.leftover is not None:
                self.leftover.children[(ip, kind, key)] = seen
            if parent is None or self.folded(parent, kind, key, units.get(ip, set())):
                continue
            child = self.child(parent, kind, key, seen.first)
            child.span.widen(seen.first, seen.last, seen.count)

    def folded(self, parent: Asset, kind: str, key: str, units: set[str]) -> bool:
        """A lone Modbus unit id is the device itself, not a device behind a gateway."""
        if kind != "modbus_unit":
            return False
        known = {c.child_key for c in self.inv.children_of(parent.id) if c.child_kind == kind}
        return len(units | known) < 2

    def child(self, parent: Asset, kind: str, key: str, ts: float) -> Asset:
        for existing in self.inv.children_of(parent.id):
            if existing.child_kind == kind and existing.child_key == key:
                return existing
        child = self.inv.new_asset(ts, parent_id=parent.id, child_kind=kind, child_key=key)
        self.note("new_asset", ts, child, f"new device behind {parent.id}: {kind} {key}")
        return child

    # -- what assets said and did ---------------------------------------------------

    def identity(self) -> None:
        for ikey, (confidence, seen) in self.run.identity.items():
            ip, child_ref, attribute, value, source = ikey
            asset = self.resolve(ip)
            if asset is None:
                if self.leftover is not None:
                    self.leftover.identity[ikey] = (confidence, seen)
                continue
            if child_ref is not None and not self.folded(asset, *child_ref, self._units(ip)):
                asset = self.child(asset, *child_ref, seen.first)
            key = (attribute, value, source)
            current = asset.identity.get(key)
            if current is not None:
                current.span.widen(seen.first, seen.last, seen.count)
                continue
            rivals = [
                v for (a, _, s), v in asset.identity.items() if a == attribute and s == source
            ]
            asset.identity[key] = IdentityValue(
                attribute, value, source, confidence, self.evidence(seen.frame, seen.first),
                Span(seen.first, seen.last, seen.count),
            )  # fmt: skip
            if rivals:
                before = max(rivals, key=lambda v: v.span.last).value
                self.note(
                    "identity_changed", seen.first, asset,
                    f"{attribute} changed from {before!r} to {value!r} ({source})", seen.frame,
                )  # fmt: skip

    def _units(self, ip: str) -> set[str]:
        return {key for (i, kind, key) in self.run.children if i == ip and kind == "modbus_unit"}

    def protocols(self) -> None:
        for (ip, proto, side, port), seen in self.run.protocols.items():
            asset = self.resolved.get(ip)
            if asset is None:
                continue
            key = (proto, side, port)
            if key not in asset.protocols:
                if asset.protocols and not any(p == proto for p, _, _ in asset.protocols):
                    self.note(
                        "new_protocol", seen.first, asset, f"{side} of {proto} on port {port}"
                    )
                asset.protocols[key] = Span(seen.first, seen.last, 0)
            asset.protocols[key].widen(seen.first, seen.last, 1)

    def flows(self) -> None:
        while self.run.flows:
            key, stats = self.run.flows.popitem()
            record = self.inv.flows.get(key)
            if record is None:
                self.inv.flows[key] = FlowRecord(
                    *key, stats.packets, stats.octets, stats.connections,
                    Span(stats.first, stats.last, stats.connections),
                )  # fmt: skip
            else:
                record.packets += stats.packets
                record.octets += stats.octets
                record.connections += stats.connections
                record.span.widen(stats.first, stats.last, stats.connections)

    def edges(self) -> None:
        pairs = {(e.client_id, e.server_id, e.proto) for e in self.inv.edges.values()}
        # Oldest first, taken from the end of a reversed list: each observation is freed
        # once folded in.
        pending = sorted(self.run.edges.items(), key=lambda kv: kv[1].first)
        pending.reverse()
        self.run.edges.clear()
        while pending:
            (client_ip, server_ip, proto, operation), seen = pending.pop()
            client, server = self.resolve(client_ip), self.resolve(server_ip)
            if client is None or server is None:
                if self.leftover is not None:
                    self.leftover.edges[(client_ip, server_ip, proto, operation)] = seen
                continue
            key = (client.id, server.id, proto, operation)
            edge = self.inv.edges.get(key)
            if edge is None:
                edge = self.inv.edges[key] = Edge(*key, Span(seen.first, seen.last, 0))
                if (client.id, server.id, proto) not in pairs:
                    pairs.add((client.id, server.id, proto))
                    kind = "new_remote_access" if proto in REMOTE_ACCESS else "new_pair"
                    self.note(
                        kind, seen.first, server,
                        f"{client_ip} -> {server_ip} over {proto}", seen.frame,
                    )  # fmt: skip
            edge.span.widen(seen.first, seen.last, seen.count)


def _widen(spans: dict[str, Span], key: str, first: float, last: float) -> None:
    span = spans.get(key)
    if span is None:
        spans[key] = Span(first, last, 1)
    else:
        span.widen(first, last, 1)

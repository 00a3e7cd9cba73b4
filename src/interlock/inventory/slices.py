"""A run merged into the store slice by slice, so that its memory stays bounded.

A long capture, or a live tap analyzed for days, sees more hosts and conversations than
fit in memory next to the whole inventory. So the run's observations are handed over in
slices of about ``SLICE_KEYS`` keys; each slice is merged against the part of the
inventory it touches (every asset having one of its addresses, with its devices behind it
and the edges it is the client of), which the store looks up, and written back at once.
Roles are recomputed for the assets a slice touched; quiet assets are found at the end by
a pass over the store, page by page.

A slice is merged as ``merge`` merges a run, with two differences that follow from not
seeing the whole run at once: the ``count`` of an asset, address, protocol or NIC vendor
grows by one per slice that saw it (per run, when the run fits in one slice), and a MAC
address is known as a router's once the run has seen it with more than three IP
addresses or with two /24s (``MacWitness``): the first ones, in earlier slices, were
merged as one host's addresses (as a host with an IPv4, a link-local and an IPv6 address
is), and that host keeps the MAC beside the router asset made for it then; the router
role's reason counts the addresses of the last slice that saw the MAC. Edges, facts and devices behind an address whose
addresses no asset has yet wait for the next slice (a flow's hosts come when it closes),
at most ``CARRY_LIMIT`` of them, the oldest dropped first.

The store side is any object with the ``Workspace`` methods (``interlock.store.workspace``
is the SQLite one). Pure otherwise: no I/O here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Final, Protocol, TypeVar

from interlock.inventory.merge import QUIET_SECONDS, merge_slice, quiet_changes
from interlock.inventory.model import CaptureRecord, Change, Inventory
from interlock.inventory.observations import RunObservations, Seen
from interlock.inventory.roles import assign_roles
from interlock.inventory.witness import MacWitness

SLICE_KEYS: Final = 20_000
"""Observation keys (hosts, conversations, identity values...) per slice: about 5 MB."""
CARRY_LIMIT: Final = 50_000
K = TypeVar("K")


class Workspace(Protocol):
    """The store as a sliced merge needs it, inside one store transaction."""

    def next_asset_id(self) -> int: ...

    def working_set(self, addresses: Collection[str]) -> tuple[Inventory, set[int]]:
        """The assets having any of these addresses, their devices behind them and the
        edges they are the client of (the ids of all these: the complete ones), plus the
        servers of their remote-access edges, for naming only."""
        ...

    def write_slice(
        self, working: Inventory, complete: Collection[int], changes: list[Change]
    ) -> None:
        """Replace the stored state of the complete assets (and of the edges they are the
        client of) with the working set's, add its flows and append the changes."""
        ...

    def quiet_candidates(
        self, before: float, after_id: int, limit: int
    ) -> list[tuple[int, float, float | None]]:
        """Top-level assets last seen before ``before``, ids above ``after_id`` in order:
        (id, last seen, when last reported quiet or None)."""
        ...

    def write_changes(self, changes: list[Change]) -> None: ...

    def record_capture(self, capture: CaptureRecord) -> None: ...


class SlicedMerge:
    """Merges a run's observations into a workspace whenever ``due``, and at ``finish``."""

    def __init__(
        self, workspace: Workspace, observations: RunObservations, slice_keys: int = SLICE_KEYS
    ) -> None:
        self.workspace = workspace
        self.observations = observations
        self.slice_keys = slice_keys
        self.next_id = workspace.next_asset_id()
        self.counts: dict[str, int] = {}
        """Changes recorded by the run, by kind."""
        self.carried: RunObservations | None = None
        self.witness = MacWitness()
        self.slices = 0
        self.on_slice: Callable[[], None] | None = None
        """Called after each slice but the last (a live tap commits there)."""

    def due(self) -> bool:
        return self.observations.size() >= self.slice_keys

    def flush(self, final: bool = False) -> None:
        """Merge what was observed since the last slice, and write it to the workspace."""
        part = self.observations.take()
        if self.carried is not None:
            part.absorb(self.carried)
            self.carried = None
        if part.size() == 0:
            return
        working, complete = self.workspace.working_set(addresses_of(part))
        first_new = working.next_id = self.next_id
        leftover = None if final else RunObservations(part.capture, part.site)
        evidence = CaptureRecord(part.capture, "", part.site, 0, None, None)
        changes = merge_slice(working, part, evidence, leftover, self.witness)
        self.next_id = working.next_id
        touched = complete | set(range(first_new, self.next_id))
        assign_roles(working, touched)
        self.workspace.write_slice(working, touched, changes)
        self.count(changes)
        self.slices += 1
        if leftover is not None and leftover.size():
            _bound(leftover, CARRY_LIMIT)
            self.carried = leftover
        if not final and self.on_slice is not None:
            self.on_slice()

    def finish(self, capture: CaptureRecord) -> None:
        """The last slice, quiet assets, and the capture's record: written last, so that
        only a run that got here is taken for merged (a capture is skipped next time)."""
        self.flush(final=True)
        if capture.last_ts is not None:
            before, after = capture.last_ts - QUIET_SECONDS, 0
            while page := self.workspace.quiet_candidates(before, after, 1000):
                changes = list(quiet_changes(page, capture.last_ts, capture))
                self.workspace.write_changes(changes)
                self.count(changes)
                after = page[-1][0]
        self.workspace.record_capture(capture)

    def count(self, changes: Iterable[Change]) -> None:
        for change in changes:
            self.counts[change.kind] = self.counts.get(change.kind, 0) + 1


def addresses_of(part: RunObservations) -> set[str]:
    """Every IP and MAC address a slice names: the assets it may touch."""
    found = set(part.hosts) | set(part.stations)
    for pairs in (part.macs, part.bindings):
        for ip, mac in pairs:
            found.add(ip)
            found.add(mac)
    found.update(key[0] for key in part.identity)
    found.update(key[0] for key in part.protocols)
    found.update(key[0] for key in part.children)
    for client, server, _proto, _op in part.edges:
        found.add(client)
        found.add(server)
    return found


def _bound(leftover: RunObservations, limit: int) -> None:
    """Keep the newest ``limit`` carried keys."""
    if leftover.size() <= limit:
        return
    lasts = sorted(
        [s.last for s in leftover.edges.values()]
        + [s.last for s in leftover.children.values()]
        + [s.last for _c, s in leftover.identity.values()],
        reverse=True,
    )
    cut = lasts[limit - 1]
    leftover.edges = _newer(leftover.edges, cut)
    leftover.children = _newer(leftover.children, cut)
    leftover.identity = {k: v for k, v in leftover.identity.items() if v[1].last >= cut}


def _newer(table: dict[K, Seen], cut: float) -> dict[K, Seen]:
    return {k: s for k, s in table.items() if s.last >= cut}

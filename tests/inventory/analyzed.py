"""Captures analyzed into a temporary store, and ways to look at the inventory it keeps."""

from __future__ import annotations

from pathlib import Path

from interlock.analyze import analyze_frames, sha256_of
from interlock.capture.reader import open_capture
from interlock.inventory.model import Asset, Change, Inventory
from interlock.store import repository
from interlock.store.schema import open_store


def analyze(tmp_path: Path, *captures: Path) -> tuple[Inventory, list[Change]]:
    """Every capture through the engine into one store; the inventory loaded back from it
    and the changes the runs recorded."""
    store = open_store(tmp_path / "inventory.db")
    changes: list[Change] = []
    for path in captures:
        frames = open_capture(path)
        digest = sha256_of(path)
        outcome = analyze_frames(store, frames, path.name, digest, "lab", {})
        assert outcome.error is None
        changes += repository.changes(store, capture=(digest, "lab"))
    return repository.load(store), changes


def with_address(inventory: Inventory, address: str) -> Asset:
    [found] = [a for a in inventory.top_level() if address in a.addresses]
    return found


def identity(asset: Asset, attribute: str) -> dict[str, set[str]]:
    """value -> sources of one attribute."""
    found: dict[str, set[str]] = {}
    for value in asset.identity.values():
        if value.attribute == attribute:
            found.setdefault(value.value, set()).add(value.source)
    return found


def roles(asset: Asset) -> dict[str, str]:
    return {r.role: r.reason for r in asset.roles}

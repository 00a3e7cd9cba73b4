"""Where an address stands in the plant, as far as the inventory and zones tell.

``ot``: the asset has a Purdue level at or under the limit, or (level unknown) sits in a
declared zone. ``it``: its Purdue level is above the limit. ``unknown``: the inventory
knows nothing that places it.
"""

from __future__ import annotations

from typing import Literal

from interlock.detect.hits import AssetView, PlantContext

Standing = Literal["ot", "it", "unknown"]


def standing_of(
    context: PlantContext, ip: str, max_level: float
) -> tuple[Standing, AssetView | None]:
    asset = context.asset_at(ip)
    if asset is None:
        return "unknown", None
    if asset.purdue_level is not None:
        return ("ot" if asset.purdue_level <= max_level else "it"), asset
    if asset.zone is not None:
        return "ot", asset
    return "unknown", asset


def placement(asset: AssetView | None) -> str:
    """The asset's place in words, for messages: "Purdue level 1, zone cell-a"."""
    if asset is None:
        return "not in the inventory"
    parts = []
    if asset.purdue_level is not None:
        parts.append(f"Purdue level {asset.purdue_level:g}")
    if asset.zone is not None:
        parts.append(f"zone {asset.zone}")
    return ", ".join(parts) or "no zone or level known"


def asset_details(asset: AssetView | None) -> dict[str, object]:
    if asset is None:
        return {}
    out: dict[str, object] = {"asset": asset.id}
    if asset.purdue_level is not None:
        out["purdue_level"] = asset.purdue_level
    if asset.zone is not None:
        out["zone"] = asset.zone
    if asset.roles:
        out["roles"] = list(asset.roles)
    return out

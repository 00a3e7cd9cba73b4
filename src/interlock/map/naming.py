"""A readable name for an asset from what it said about itself. Pure.

Device-reported strings are attacker-controlled: this module only chooses among them; the
renderers escape them (interlock.map.dot)."""

from __future__ import annotations

from typing import Final

from interlock.inventory.model import Asset, IdentityValue

NAME_ATTRIBUTES: Final = ("name", "hostname", "sys_name")


def best_value(asset: Asset, attribute: str) -> str | None:
    """The most confident value of one attribute (latest seen, then alphabetical on ties)."""
    candidates = [v for v in asset.identity.values() if v.attribute == attribute and v.value]
    if not candidates:
        return None
    return min(candidates, key=_preference).value


def _preference(value: IdentityValue) -> tuple[float, float, str]:
    return (-value.confidence, -value.span.last, value.value)


def best_name(asset: Asset) -> str:
    for attribute in NAME_ATTRIBUTES:
        name = best_value(asset, attribute)
        if name is not None:
            return name
    vendor, product = best_value(asset, "vendor"), best_value(asset, "product")
    if vendor and product:
        return product if product.startswith(vendor) else f"{vendor} {product}"
    if product or vendor:
        return str(product or vendor)
    if asset.child_kind is not None:
        return f"{asset.child_kind} {asset.child_key}"
    addresses = sorted(asset.ips) or sorted(asset.macs)
    return addresses[0] if addresses else f"asset {asset.id}"

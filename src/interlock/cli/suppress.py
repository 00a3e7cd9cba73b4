"""`interlock suppress add|list|remove`: known false positives, scoped and expiring.
Shapes: docs/detect.md."""

from __future__ import annotations

import ipaddress
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from interlock.cli.detect import DbOption, RulesOption, load_rule_set, parse_time, print_json, when
from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.detect.suppress import Suppression

app = typer.Typer(
    help="Suppressions: known false positives, by rule and asset or address, until a time.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document (docs/detect.md).")]


@app.command("add")
def add(
    rule: Annotated[str, typer.Option("--rule", help="Rule id, or a glob (ics.*.szl_read).")],
    until: Annotated[str, typer.Option("--until", help="Expiry, ISO 8601 (UTC if no offset).")],
    reason: Annotated[str, typer.Option("--reason", help="Why these alerts are expected.")],
    asset: Annotated[
        int | None, typer.Option("--asset", help="Asset id (interlock assets), either end.")
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", help="IP address or CIDR, either end.")
    ] = None,
    db: DbOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Suppress a rule's alerts for one asset or address until a time (hits stay counted)."""
    from interlock.store.alerts import add_suppression
    from interlock.store.schema import default_path, open_store

    if (asset is None) == (address is None):
        raise UsageError("give exactly one of --asset ID or --address IP")
    if address is not None:
        try:
            address = str(ipaddress.ip_network(address, strict=False))
        except ValueError:
            raise UsageError(f"--address {address!r}: not an IP address or CIDR") from None
        address = address.removesuffix("/32").removesuffix("/128")
    if not reason.strip():
        raise UsageError("--reason must say why (it is listed with the suppression)")
    _check_rule(rule, rules)
    expiry = parse_time(until, "--until")
    assert expiry is not None
    now = time.time()
    if expiry <= now:
        raise UsageError(f"--until {until!r} is already past")
    store = open_store(db or default_path())
    created = add_suppression(store, rule, asset, address, expiry, reason.strip(), now)
    if as_json:
        print_json({"suppression": record(created, now)})
        return
    print(f"suppression {created.id}: {rule} for {created.scope} until {when(expiry)} UTC")


def _check_rule(pattern: str, rules: Path | None) -> None:
    if any(c in pattern for c in "*?["):
        return
    from interlock.zones.nodes import suggest

    known = sorted(r.info.id for r in load_rule_set(rules).rules)
    if pattern not in known:
        raise UsageError(f"--rule {pattern!r}: no such rule{suggest(pattern, known)}")


@app.command("list")
def list_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every suppression, active, expired or removed, with the hits it swallowed."""
    from interlock.store.alerts import suppressions
    from interlock.store.schema import default_path, open_store

    now = time.time()
    found = [record(s, now) for s in suppressions(open_store(db or default_path()))]
    if as_json:
        print_json({"suppressions": found})
        return
    table = Table("id", "rule", "scope", "until", "state", "hits", "last hit", "reason")
    for s in found:
        scope = f"asset {s['asset_id']}" if s["asset_id"] is not None else s["address"]
        table.add_row(
            str(s["id"]), s["rule"], scope, when(s["until"]), s["state"], f"{s['hits']:,}",
            when(s["last_hit"]), s["reason"],
        )  # fmt: skip
    Console().print(table)


@app.command("remove")
def remove(
    suppression_id: Annotated[
        int, typer.Argument(help="Suppression id (interlock suppress list).")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stop a suppression (it stays listed, with what it swallowed)."""
    from interlock.store.alerts import remove_suppression
    from interlock.store.schema import default_path, open_store

    now = time.time()
    removed = remove_suppression(
        open_store(db or default_path(), create=False), suppression_id, now
    )
    if as_json:
        print_json({"suppression": record(removed, now)})
        return
    print(f"suppression {removed.id} removed ({removed.hits:,} hits swallowed)")


def record(s: Suppression, now: float) -> dict[str, Any]:
    return {
        "id": s.id,
        "rule": s.rule,
        "asset_id": s.asset_id,
        "address": s.address,
        "until": s.until,
        "reason": s.reason,
        "created": s.created,
        "removed": s.removed,
        "state": s.state(now),
        "hits": s.hits,
        "first_hit": s.first_hit,
        "last_hit": s.last_hit,
    }

"""Whether the conduits allow one communication between two zones, and if not, why.

Rules (docs/inventory-zones.md):
- Between two zones, a conduit joining them must exist, let the client's zone initiate,
  allow the protocol and, for an operation edge, the operation class.
- Within one zone everything is allowed, unless conduits from the zone to itself are
  declared: then they restrict it as above.
- Several conduits between the same zones add up.

Pure; reasons are sentences for a person, stable for tests.
"""

from __future__ import annotations

from interlock.zones.model import ANY, Conduit, ProtocolRule, ZoneModel
from interlock.zones.protocols import flow_protocols


def judge(
    model: ZoneModel, client_zone: str, server_zone: str, protocol: str, operation: str | None
) -> tuple[str | None, tuple[str, ...]]:
    """(None when allowed, else why not; the names of the conduits considered).

    ``operation`` None judges a flow: a protocol whose transactions ride in other engine
    protocols' flows (s7comm-plus in s7comm) admits those flows too."""
    if client_zone == server_zone:
        candidates = [c for c in model.conduits if c.internal and c.zones[0] == client_zone]
        if not candidates:
            return None, ()
    else:
        candidates = [c for c in model.conduits if c.joins(client_zone, server_zone)]
        if not candidates:
            return f"no conduit between {client_zone} and {server_zone}", ()
    names = tuple(c.name for c in candidates)
    onward = [c for c in candidates if c.initiator in (None, client_zone)]
    matching = [(c, r) for c in onward for r in c.rules if _admits(r, protocol, operation)]
    if not matching:
        return _refusal(candidates, onward, client_zone, server_zone, protocol, operation), names
    if operation is None:
        return None, names
    if any(r.operations is None or operation in r.operations for _c, r in matching):
        return None, names
    conduits = list(dict.fromkeys(c for c, _r in matching))
    ops = ", ".join(sorted({op for _c, r in matching for op in r.operations or ()}))
    verb = _labels(conduits, "allows", "allow")
    return f"{verb} {protocol} {ops or 'no operation'} only, saw {operation}", names


def _refusal(
    candidates: list[Conduit],
    onward: list[Conduit],
    client_zone: str,
    server_zone: str,
    protocol: str,
    operation: str | None,
) -> str:
    """Why no conduit lets this protocol through: the direction, or the protocol itself."""
    shown = protocol or "unidentified traffic"
    backward = [
        c for c in candidates
        if c not in onward and any(_admits(r, protocol, operation) for r in c.rules)
    ]  # fmt: skip
    if backward or not onward:
        verb = _labels(backward or candidates, "lets", "let")
        return f"{verb} only {server_zone} initiate {shown}; {client_zone} did"
    allowed = ", ".join(sorted({r.protocol for c in onward for r in c.rules}))
    return f"{_labels(onward, 'does', 'do')} not allow {shown} (allows {allowed})"


def _labels(conduits: list[Conduit], one: str, many: str) -> str:
    return ", ".join(_label(c) for c in conduits) + f" {one if len(conduits) == 1 else many}"


def _admits(rule: ProtocolRule, protocol: str, operation: str | None) -> bool:
    if rule.protocol == ANY:
        return True
    if operation is None:
        return protocol in flow_protocols(rule.protocol)
    return protocol == rule.protocol


def _label(conduit: Conduit) -> str:
    a, b = conduit.zones
    if conduit.internal:
        return f"conduit {conduit.name} (within {a})"
    if conduit.initiator is None:
        return f"conduit {conduit.name} ({a}<->{b})"
    other = b if conduit.initiator == a else a
    return f"conduit {conduit.name} ({conduit.initiator}->{other})"

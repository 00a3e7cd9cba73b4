"""Drafting a policy from observed traffic, for a person to review: tags from the addresses
used, envelopes from the values written (widened by a stated margin), one access rule per
client, asset and operation class seen, and `default: deny` for everything else.

Two passes over the captures, both through replay (``interlock.policy.replay``): the
first, under an allow-everything policy, learns who did what where; the second runs the
draft's own core and measures each write the way its envelope checks will (current value,
new value, time since the last change), so that limits derived from those numbers cannot
refuse the traffic they came from. The draft is parsed back before it is returned.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from interlock.capture.frames import Frame
from interlock.errors import CaptureError
from interlock.policy.access import request_spans
from interlock.policy.checks import rate_of
from interlock.policy.core import DecisionCore
from interlock.policy.errors import PolicyError
from interlock.policy.loader import parse_policy
from interlock.policy.model import Policy
from interlock.policy.replay import Replayed, replay
from interlock.policy.request import PolicyRequest
from interlock.policy.suggest_yaml import render

MAX_TAGS: Final = 500
"""Tags drafted in all (the first addresses seen); access rules still cover every address."""
MAX_ASSETS: Final = 1000
MAX_CLIENTS: Final = 1000
MAX_SPANS: Final = 4096
"""Distinct address spans kept per client, asset, operation and space; beyond, their hull."""
MAX_SEEN_SPANS: Final = 65536
DEFAULT_MARGIN: Final = 0.2
SPACE_PREFIX: Final = {"coils": "coil", "discrete_inputs": "di", "holding_registers": "hr",
                       "input_registers": "ir"}  # fmt: skip

Opener = Callable[[], Iterable[Iterable[Frame]]]


@dataclass
class AccessSeen:
    client: str
    asset: str
    operation: str
    functions: set[int] = field(default_factory=set)
    spans: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    addressless: bool = False

    def add_span(self, space: str, span: tuple[int, int]) -> None:
        spans = self.spans.setdefault(space, set())
        spans.add(span)
        if len(spans) > MAX_SPANS:  # a scan: one range from the lowest to the highest
            hull = (min(a for a, _ in spans), max(b for _, b in spans))
            spans.clear()
            spans.add(hull)


@dataclass
class AssetSeen:
    name: str
    protocol: str
    unit: int
    address: str
    addresses: dict[tuple[str, int], bool] = field(default_factory=dict)
    """(space, address) -> written, in first-seen order."""
    spans_done: set[tuple[str, int, int, bool]] = field(default_factory=set)
    """Spans whose addresses are recorded already (polls repeat the same few)."""


@dataclass
class Limits:
    """What the writes to one tag did, as its envelope checks measure it."""

    low: float | None = None
    high: float | None = None
    unknown_values: bool = False
    step: float = 0.0
    rate: float = 0.0
    interval: float | None = None
    changes: int = 0
    writes: int = 0


@dataclass
class Observed:
    captures: list[str]
    requests: int = 0
    malformed: int = 0
    first: float | None = None
    last: float | None = None
    clients: dict[str, None] = field(default_factory=dict)
    assets: dict[tuple[str, str, int], AssetSeen] = field(default_factory=dict)
    access: dict[tuple[str, str, str], AccessSeen] = field(default_factory=dict)
    undecided: dict[str, int] = field(default_factory=dict)
    left_out: int = 0
    """Requests from clients or to assets beyond the caps: the draft does not allow them."""
    tags: int = 0

    def add(self, replayed: Replayed) -> None:
        request = replayed.request
        asset = self._asset(request)
        if asset is None or not self._client(request.client):
            self.left_out += 1
            return
        self.requests += 1
        self.malformed += bool(request.anomalies)
        self.first = request.time if self.first is None else min(self.first, request.time)
        self.last = request.time if self.last is None else max(self.last, request.time)
        key = (request.client, asset.name, request.operation.value)
        seen = self.access.setdefault(key, AccessSeen(*key))
        seen.functions.add(request.function)
        spans = request_spans(request)
        if not spans or not request.space:
            seen.addressless = True
            return
        written = request.operation.value == "write" and bool(request.values or request.mask)
        for start, end in spans:
            seen.add_span(request.space, (start, end))
            self._addresses(asset, request.space, start, end, written)

    def _addresses(self, asset: AssetSeen, space: str, start: int, end: int, written: bool) -> None:
        if (space, start, end, written) in asset.spans_done:
            return
        if len(asset.spans_done) < MAX_SEEN_SPANS:
            asset.spans_done.add((space, start, end, written))
        for address in range(start, min(end, start + MAX_TAGS)):
            place = (space, address)
            if place in asset.addresses:
                asset.addresses[place] = asset.addresses[place] or written
            elif self.tags < MAX_TAGS:
                asset.addresses[place] = written
                self.tags += 1

    def _client(self, client: str) -> bool:
        if client not in self.clients and len(self.clients) >= MAX_CLIENTS:
            return False
        self.clients.setdefault(client, None)
        return True

    def _asset(self, request: PolicyRequest) -> AssetSeen | None:
        key = (request.protocol, request.server, request.unit)
        if key not in self.assets:
            if len(self.assets) >= MAX_ASSETS:
                return None
            name = f"{request.protocol}-{request.server or 'server'}-unit{request.unit}"
            self.assets[key] = AssetSeen(name, request.protocol, request.unit, request.server)
        return self.assets[key]


def suggest(
    open_captures: Opener,
    names: list[str],
    margin: float = DEFAULT_MARGIN,
    decode_as: Mapping[int, str] | None = None,
) -> tuple[str, list[CaptureError]]:
    """The draft policy's YAML text, and the capture errors met (what was read is used)."""
    observed = Observed(names)
    allow_all = Policy("", "", "allow", "enforce", "allow", "closed", {}, (), (), (), (), ())
    result = replay(DecisionCore(allow_all), open_captures(), observed.add, decode_as)
    observed.undecided = dict(result.totals.undecided)
    tag_names = _tag_names(observed)
    skeleton = _parse(render(observed, tag_names, {}, margin))
    limits: dict[str, Limits] = {}
    core = DecisionCore(skeleton)
    replay(core, open_captures(), lambda replayed: _measure(core, replayed, limits), decode_as)
    return _checked(render(observed, tag_names, limits, margin)), result.errors


def _tag_names(observed: Observed) -> dict[tuple[str, str, int], str]:
    """(asset, space, address) -> a generated tag name, unique across assets."""
    several = len(observed.assets) > 1
    names = {}
    for index, asset in enumerate(observed.assets.values(), start=1):
        prefix = f"a{index}_" if several else ""
        for space, address in asset.addresses:
            short = SPACE_PREFIX.get(space, "".join(c if c.isalnum() else "_" for c in space))
            names[(asset.name, space, address)] = f"{prefix}{short}{address}"
    return names


def _measure(core: DecisionCore, replayed: Replayed, limits: dict[str, Limits]) -> None:
    if replayed.decision.verdict == "block":
        return
    for change in core.preview(replayed.request):
        seen = limits.setdefault(change.tag, Limits())
        seen.writes += 1
        new, current = change.new, change.current
        if new is None or (isinstance(new, float) and math.isnan(new)):
            seen.unknown_values = True
            continue
        value = float(new)
        seen.low = value if seen.low is None else min(seen.low, value)
        seen.high = value if seen.high is None else max(seen.high, value)
        if current is None or new == current:
            continue
        seen.changes += 1
        seen.interval = (
            change.elapsed if seen.interval is None else min(seen.interval, change.elapsed)
        )
        if not isinstance(new, bool) and not isinstance(current, bool):
            seen.step = max(seen.step, abs(float(new) - float(current)))
            seen.rate = max(seen.rate, rate_of(float(current), float(new), change.elapsed))


def _parse(text: str) -> Policy:
    result = parse_policy(text, "<suggested>")
    if isinstance(result, Policy):
        return result
    raise PolicyError(result)  # our bug, not the user's: the draft must load


def _checked(text: str) -> str:
    _parse(text)
    return text

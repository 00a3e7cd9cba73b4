"""The decision core: a policy compiled once into lookup tables, then asked about each
request. Decision is separate from enforcement: the gateway (or replay) applies it.

Pure and deterministic: no I/O, no clock (time comes from the request), no randomness,
no user code (interlocks are compiled from the policy's expression language). The same
sequence of `decide` and `observe` calls always yields the same decisions.

Bounded work per decision: one asset lookup, one pass over the rules for the client (the
first match decides), a binary search for the tags a write touches, then per tag written
its envelope and the interlocks guarding it (expressions of bounded size). The tags a
request touches are at most its quantity and at most the tags of the asset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interlock.model import OperationClass
from interlock.policy.access import ClientMatcher, CompiledRule, compile_rules
from interlock.policy.checks import CompiledInterlock, Context, compile_interlock, envelope_hits
from interlock.policy.model import AccessRule, Asset, Mode, Policy
from interlock.policy.request import REFUSAL_EXCEPTIONS, Decision, PolicyRequest, Refusal, RuleHit
from interlock.policy.state import (
    SpaceIndex,
    TagSlot,
    TagState,
    Value,
    decoded,
    new_slot,
    written_words,
)


@dataclass(frozen=True, slots=True)
class TagChange:
    tag: str
    current: Value
    """None: not yet observed."""
    new: Value
    """None: cannot be known (words not written and not yet observed)."""
    elapsed: float
    """Seconds since the current value was established."""


class AssetIndex:
    __slots__ = ("asset", "spaces")

    def __init__(self, asset: Asset, spaces: dict[str, SpaceIndex]) -> None:
        self.asset = asset
        self.spaces = spaces


class DecisionCore:
    """Decides requests against one policy and tracks the process state they reveal."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.slots = {tag.name: new_slot(i, tag) for i, tag in enumerate(policy.tags)}
        self.states = [TagState([None] * tag.size) for tag in policy.tags]
        self.version = 0
        """Moves whenever what the core knows of the process may have changed (a tag set,
        state adopted or reset), never otherwise: a caller that saw the same answer at the
        same version knows observing it again would change nothing."""
        self.assets: dict[tuple[str, int], list[AssetIndex]] = {}
        for asset in policy.assets:
            spaces: dict[str, SpaceIndex] = {}
            for slot in sorted(self.slots.values(), key=lambda s: s.tag.address):
                if slot.tag.asset == asset.name:
                    spaces.setdefault(slot.tag.space, SpaceIndex([], [])).add(slot)
            self.assets.setdefault((asset.protocol, asset.unit), []).append(
                AssetIndex(asset, spaces)
            )
        self.rules: list[CompiledRule] = compile_rules(policy)
        self.clients = ClientMatcher(self.rules)
        self.timeless = not any(compiled.windows for compiled in self.rules)
        """No rule has a time window: a decision never depends on the request's time."""
        self.interlocks: list[CompiledInterlock] = []
        for interlock in policy.interlocks:
            compiled = compile_interlock(interlock, self.slots)
            self.interlocks.append(compiled)
            for name in interlock.tags:
                self.slots[name].interlocks.append(compiled)

    # -- deciding ---------------------------------------------------------------------------

    def decide(self, request: PolicyRequest) -> Decision:
        """The decision on one request; reads the state, never changes it."""
        found = self._asset(request)
        hits: list[RuleHit] = []
        policy = self.policy
        if request.anomalies and policy.malformed != "allow":
            mode: Mode = "monitor" if policy.malformed == "alert" else policy.mode
            what = ", ".join(request.anomalies)
            hits.append(RuleHit("malformed", f"malformed request ({what})", mode, "value", 0x03))
        allowed_by, work = self._access(request, found, hits)
        touched: list[TagSlot] = []
        if found is not None and (request.values or request.mask) and request.address is not None:
            space = found.spaces.get(request.space)
            if space is not None:
                touched = list(space.touching(request.address, _written_count(request)))
                work += self._value_hits(request, touched, hits)
        fail_mode = found.asset.failure_mode if found is not None else policy.failure_mode
        asset = found.asset.name if found is not None else None
        criticality = found.asset.criticality if found is not None else None
        if not hits:
            rule = allowed_by.name if allowed_by is not None else "default"
            reason = f"allowed by rule `{rule}`" if allowed_by is not None else "allowed by default"
            mode = allowed_by.mode if allowed_by is not None else policy.mode
            tags = tuple(slot.tag.name for slot in touched)
            return Decision(
                "allow", rule, reason, mode, None, fail_mode, None, asset, tags, (), criticality,
                work,
            )  # fmt: skip
        tags = self._tags_of(request, found, touched)
        return _refusal(hits, fail_mode, asset, tags, criticality, work + len(tags))

    def memoizable(self, request: PolicyRequest) -> bool:
        """Does the decision on request depend only on what it asks, who asks and whom? True
        when it writes no values (the process state is not consulted) and no rule has a time
        window: a caller may reuse the decision for the same request from the same client
        until this core is replaced (the gateway's fast path)."""
        return self.timeless and not request.writes_values

    def teaches(self, request: PolicyRequest) -> bool:
        """Can ``observe`` learn anything from the answer to request? False when it writes
        nothing and reads no tag: observing its answer would change nothing."""
        if request.writes_values:
            return True
        found = self._asset(request)
        if found is None:
            return False
        space = found.spaces.get(request.space)
        reads_more = request.read_address is not None
        start = request.read_address if reads_more else request.address
        count = request.read_quantity if reads_more else request.quantity
        if space is None or start is None:
            return False
        return any(True for _ in space.touching(start, max(count, 1)))

    def _asset(self, request: PolicyRequest) -> AssetIndex | None:
        candidates = self.assets.get((request.protocol, request.unit))
        if not candidates:
            return None
        if not request.server:
            return candidates[0]
        fallback = None
        for candidate in candidates:
            if candidate.asset.address == request.server:
                return candidate
            if candidate.asset.address is None and fallback is None:
                fallback = candidate
        return fallback

    def _access(
        self, request: PolicyRequest, found: AssetIndex | None, hits: list[RuleHit]
    ) -> tuple[AccessRule | None, int]:
        """The access rule that allows the request (None: the default allows), and how many
        rules were examined; a refusal is appended to hits."""
        asset = found.asset.name if found is not None else None
        operation_allowed_elsewhere = False
        examined = 0
        for index in self.clients.rules_for(request.client):
            examined += 1
            compiled = self.rules[index]
            if not compiled.fits(request):
                continue
            if not compiled.reaches(request, asset):
                operation_allowed_elsewhere = operation_allowed_elsewhere or (
                    compiled.rule.action == "allow"
                )
                continue
            rule = compiled.rule
            if rule.action == "allow":
                return rule, examined
            refusal: Refusal = (
                "address" if request.address is not None and rule.targeted else "function"
            )
            code = rule.exception or REFUSAL_EXCEPTIONS[refusal]
            reason = f"{_what(request, asset)} is denied by rule `{rule.name}`"
            hits.append(RuleHit(rule.name, reason, rule.mode, refusal, code))
            return None, examined
        if self.policy.default == "allow":
            return None, examined
        refusal = "address" if operation_allowed_elsewhere else "function"
        if found is None:
            why = f"{request.protocol} unit {request.unit} is not an asset of the policy"
        elif operation_allowed_elsewhere:
            why = f"no rule allows {request.client} {request.operation.value} requests at these addresses"
        else:
            why = f"no rule allows {request.client} {request.operation.value} requests"
        reason = f"{_what(request, asset)}: {why} (default deny)"
        hits.append(
            RuleHit("default", reason, self.policy.mode, refusal, REFUSAL_EXCEPTIONS[refusal])
        )
        return None, examined

    def _value_hits(
        self, request: PolicyRequest, touched: list[TagSlot], hits: list[RuleHit]
    ) -> int:
        """Check each tag written against its envelope and interlocks; returns how many tags
        and interlocks were examined."""
        changes = self._project(request, touched)
        examined = len(changes)
        for slot, state, new in changes:
            envelope_hits(slot, state, new, request.time, hits)
        pending = {slot.index: new for slot, _, new in changes}
        ctx = Context(self.states, pending)
        for slot, state, new in changes:
            if not slot.interlocks:
                continue
            ctx.value, ctx.current = new, state.value
            for interlock in slot.interlocks:
                assert isinstance(interlock, CompiledInterlock)
                interlock.check(slot, ctx, hits)
                examined += 1
        return examined

    def _project(
        self, request: PolicyRequest, touched: list[TagSlot]
    ) -> list[tuple[TagSlot, TagState, Value]]:
        """Each tag a write touches, its state now, and the value the write would give it."""
        assert request.address is not None
        projected = []
        for slot in touched:
            state = self.states[slot.index]
            words = written_words(slot, state, request.address, request.values, request.mask)
            projected.append((slot, state, decoded(slot, words)))
        return projected

    def preview(self, request: PolicyRequest) -> list[TagChange]:
        """What a write would change, tag by tag, judged against the current state (the
        numbers the envelope checks compare; ``suggest`` drafts its limits from them)."""
        found = self._asset(request)
        if found is None or request.address is None or not (request.values or request.mask):
            return []
        space = found.spaces.get(request.space)
        if space is None:
            return []
        touched = list(space.touching(request.address, _written_count(request)))
        return [
            TagChange(slot.tag.name, state.value, new, max(request.time - state.changed_at, 0.0))
            for slot, state, new in self._project(request, touched)
        ]

    def _tags_of(
        self, request: PolicyRequest, found: AssetIndex | None, touched: list[TagSlot]
    ) -> tuple[str, ...]:
        if touched or found is None or request.address is None:
            return tuple(slot.tag.name for slot in touched)
        space = found.spaces.get(request.space)
        if space is None:
            return ()
        count = min(max(request.quantity, 1), 65536)
        return tuple(slot.tag.name for slot in space.touching(request.address, count))

    # -- observing --------------------------------------------------------------------------

    def observe(
        self, request: PolicyRequest, read_values: Sequence[int] | None = None, ok: bool = True
    ) -> None:
        """Learn from a request the server accepted: the values it wrote, then the values
        its response read (raw words or bits from the read's start address).

        The gateway calls it once per forwarded request after the server answered (ok is
        False for an exception response, which teaches nothing); replay does the same in
        capture order. Blocked requests never reached the server: do not observe them.
        """
        if not ok:
            return
        found = self._asset(request)
        if found is None:
            return
        space = found.spaces.get(request.space)
        if space is None:
            return
        if (
            request.operation == OperationClass.WRITE
            and request.address is not None
            and (request.values or request.mask)
        ):
            for slot in space.touching(request.address, _written_count(request)):
                state = self.states[slot.index]
                words = written_words(slot, state, request.address, request.values, request.mask)
                state.set(words, decoded(slot, words), request.time)
                self.version += 1
        start = request.read_address if request.read_address is not None else request.address
        if read_values is None or start is None:
            return
        for slot in space.touching(start, len(read_values)):
            state = self.states[slot.index]
            first = slot.tag.address - start
            if first >= 0 and first + len(state.words) <= len(read_values):
                # The whole tag was read (a poller's usual answer): unchanged words need
                # no decoding, the same value is known already.
                words = [value & 0xFFFF for value in read_values[first : first + len(state.words)]]
                if state.holds(words):
                    continue
            else:
                words = written_words(slot, state, start, read_values, None)
            state.set(words, decoded(slot, words), request.time)
            self.version += 1

    def value_of(self, tag: str) -> float | bool | None:
        """A tag's current value as the core knows it (None: not yet observed)."""
        return self.states[self.slots[tag].index].value

    def adopt_state(self, previous: DecisionCore) -> int:
        """Take over what previous (the core of the policy being replaced) learnt about each
        tag defined the same way here; returns how many tags carried over.

        A tag whose device, address, type or scaling changed starts unknown: a value read
        under another definition would be wrong, and the next poll teaches it again.
        """
        carried = 0
        for name, slot in self.slots.items():
            old = previous.slots.get(name)
            if old is not None and _same_meaning(self.policy, slot, previous.policy, old):
                self.states[slot.index] = previous.states[old.index]
                carried += 1
        self.version += 1
        return carried

    def reset(self) -> None:
        """Forget all observed state (a new replay, or a gateway restart)."""
        for slot in self.slots.values():
            self.states[slot.index] = TagState([None] * slot.tag.size)
        self.version += 1


def compile_policy(policy: Policy) -> DecisionCore:
    """Compile a loaded policy into its decision core (once; then decide per request)."""
    return DecisionCore(policy)


def _same_meaning(new: Policy, slot: TagSlot, old: Policy, old_slot: TagSlot) -> bool:
    a, b = slot.tag, old_slot.tag
    where = (a.space, a.address, a.type, a.word_order, a.scale, a.offset)
    if where != (b.space, b.address, b.type, b.word_order, b.scale, b.offset):
        return False
    device, old_device = new.asset(a.asset), old.asset(b.asset)
    return (device.protocol, device.unit, device.address) == (
        old_device.protocol, old_device.unit, old_device.address,
    )  # fmt: skip


def _written_count(request: PolicyRequest) -> int:
    if request.mask is not None:
        return 1
    return (
        min(len(request.values), max(request.quantity, 0))
        if request.quantity
        else len(request.values)
    )


def _what(request: PolicyRequest, asset: str | None) -> str:
    name = request.function_name or f"function {request.function}"
    where = asset or f"{request.protocol} unit {request.unit}"
    if request.address is None:
        return f"{request.operation.value} ({name}) to {where}"
    last = request.address + max(request.quantity, 1) - 1
    span = f"{request.address}" if last == request.address else f"{request.address}-{last}"
    return f"{request.operation.value} ({name}) of {where} {request.space} {span}"


def _refusal(
    hits: list[RuleHit],
    fail_mode: str,
    asset: str | None,
    tags: tuple[str, ...],
    criticality: str | None,
    work: int,
) -> Decision:
    enforced = [hit for hit in hits if hit.mode == "enforce"]
    first = enforced[0] if enforced else hits[0]
    verdict = "block" if enforced else "alert"
    code = first.exception_code if verdict == "block" else None
    ordered = tuple(enforced + [hit for hit in hits if hit.mode != "enforce"])
    return Decision(
        verdict, first.rule, first.reason, first.mode, code, fail_mode,  # type: ignore[arg-type]
        first.refusal, asset, tags, ordered, criticality, work,
    )  # fmt: skip

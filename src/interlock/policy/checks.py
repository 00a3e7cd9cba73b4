"""The value checks of a write: each tag's envelope (min, max, step, rate, interval) and the
interlocks that guard it, evaluated on the state the write would leave. Every refusal names
its rule and says why in the tag's engineering units."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from interlock.policy.datatypes import format_value
from interlock.policy.evaluate import compile_expr
from interlock.policy.expr import Getter
from interlock.policy.model import Envelope, Interlock, Tag
from interlock.policy.request import RuleHit
from interlock.policy.state import TagSlot, TagState, Value


def envelope_hits(
    slot: TagSlot, state: TagState, new: Value, time: float, hits: list[RuleHit]
) -> None:
    """Append a hit for each limit of the tag's envelope that the value written breaks."""
    envelope = slot.tag.envelope
    if envelope is None:
        return
    tag = slot.tag
    hit = _hit_maker(tag, envelope, hits)
    if new is None:
        if envelope.min is not None or envelope.max is not None:
            hit(
                "value",
                f"{tag.name}: the value written cannot be known (part of it not yet observed)",
            )
        return
    units = tag.units
    if not isinstance(new, bool):
        if math.isnan(new):
            hit("value", f"{tag.name} is written NaN, not a number")
            return
        if envelope.min is not None and new < envelope.min:
            shown, limit = format_value(new, units), format_value(envelope.min, units)
            hit("min", f"{tag.name} {shown} is below min {limit}")
        if envelope.max is not None and new > envelope.max:
            shown, limit = format_value(new, units), format_value(envelope.max, units)
            hit("max", f"{tag.name} {shown} exceeds max {limit}")
    current = state.value
    if current is None or new == current:
        return
    elapsed = max(time - state.changed_at, 0.0)
    if not isinstance(new, bool) and not isinstance(current, bool):
        _motion_hits(tag, envelope, float(current), float(new), elapsed, hit)
    if envelope.min_interval is not None and elapsed < envelope.min_interval:
        hit(
            "min_interval",
            f"{tag.name} changes {format_value(current)} to {format_value(new)} "
            f"{elapsed:.3f} s after its last change, sooner than min_interval "
            f"{format_value(envelope.min_interval)} s",
        )


def _motion_hits(
    tag: Tag,
    envelope: Envelope,
    current: float,
    new: float,
    elapsed: float,
    hit: Callable[[str, str], None],
) -> None:
    units = tag.units
    step = abs(new - current)
    if envelope.max_step is not None and step > envelope.max_step:
        hit(
            "max_step",
            f"{tag.name} step {format_value(step, units)} ({format_value(current)} to "
            f"{format_value(new, units)}) exceeds max_step {format_value(envelope.max_step, units)}",
        )
    if envelope.max_rate is not None:
        rate = rate_of(current, new, elapsed)
        if rate > envelope.max_rate:
            per = f"{units}/s" if units else "/s"
            hit(
                "max_rate",
                f"{tag.name} changes at {format_value(rate, per)} ({format_value(current)} to "
                f"{format_value(new, units)} in {elapsed:.3f} s), above max_rate "
                f"{format_value(envelope.max_rate, per)}",
            )


def rate_of(current: float, new: float, elapsed: float) -> float:
    """Change per second since the current value was established (inf: no time passed)."""
    step = abs(new - current)
    return step / elapsed if elapsed > 0 else math.inf


def _hit_maker(tag: Tag, envelope: Envelope, hits: list[RuleHit]) -> Callable[[str, str], None]:
    code = envelope.exception or 0x03

    def hit(check: str, reason: str) -> None:
        hits.append(RuleHit(f"{tag.name}.{check}", reason, envelope.mode, "value", code, tag.name))

    return hit


class Context:
    """What an interlock expression reads: the state, overlaid with the write's new values."""

    __slots__ = ("current", "pending", "states", "value")

    def __init__(self, states: Sequence[TagState], pending: dict[int, Value]) -> None:
        self.states = states
        self.pending = pending
        self.value: Value = None
        self.current: Value = None

    def lookup(self, index: int) -> Value:
        if index in self.pending:
            return self.pending[index]
        return self.states[index].value


@dataclass(frozen=True, slots=True)
class CompiledInterlock:
    interlock: Interlock
    when: Getter | None
    require: Getter
    names: tuple[tuple[str, int], ...]
    """The tags the condition reads, with their state indexes, for the reason."""
    units: dict[str, str]

    def check(self, slot: TagSlot, ctx: Context, hits: list[RuleHit]) -> None:
        interlock = self.interlock
        if self.when is not None and self.when(ctx) is False:
            return
        verdict = self.require(ctx)
        if verdict is True:
            return
        written = f"{slot.tag.name} {format_value(ctx.value, slot.tag.units)}"
        if verdict is None:
            if interlock.if_unknown == "allow":
                return
            unknown = [name for name, i in self.names if ctx.lookup(i) is None]
            why = f"{', '.join(unknown) or 'a value'} not yet known"
            reason = f"{written} cannot be checked against `{interlock.require.text}`: {why}"
        else:
            shown = ", ".join(
                f"{name} = {format_value(ctx.lookup(i), self.units[name])}"
                for name, i in self.names
            )
            reason = f"{written} needs `{interlock.require.text}`" + (f": {shown}" if shown else "")
        code = interlock.exception or 0x03
        hits.append(RuleHit(interlock.name, reason, interlock.mode, "value", code, slot.tag.name))


def compile_interlock(interlock: Interlock, slots: dict[str, TagSlot]) -> CompiledInterlock:
    def resolve(name: str) -> Getter:
        if name == "value":
            return _value
        if name == "current":
            return _current
        index = slots[name].index
        return lambda ctx: ctx.lookup(index)

    when = compile_expr(interlock.when.root, resolve) if interlock.when is not None else None
    require = compile_expr(interlock.require.root, resolve)
    names = tuple(
        (name, slots[name].index)
        for name in interlock.require.names()
        if name not in ("value", "current")
    )
    units = {name: slots[name].tag.units for name, _ in names}
    return CompiledInterlock(interlock, when, require, names, units)


def _value(ctx: Any) -> Value:
    value: Value = ctx.value
    return value


def _current(ctx: Any) -> Value:
    current: Value = ctx.current
    return current

"""The process state the core tracks: each tag's raw words, engineering value, and when it
last changed, learnt from read responses and accepted writes. Bounded by the policy: only
tags are tracked, one slot each.

Also the arithmetic of a write: which tags an address range touches, and the value each
would have after the write (words written, merged with the words not written).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from interlock.policy.datatypes import Decoder, decoder
from interlock.policy.model import Tag

Value = float | bool | None


@dataclass(slots=True)
class TagState:
    words: list[int | None]
    value: Value = None
    changed_at: float = 0.0
    """When the value became what it is (first observed, or last changed)."""

    def holds(self, words: list[int | None]) -> bool:
        """Are these the words the (known) value was decoded from? Then ``set`` with them
        would change nothing: the caller may skip decoding them."""
        return self.value is not None and words == self.words

    def set(self, words: list[int | None], value: Value, time: float) -> None:
        if value is None:
            self.words, self.value = words, None
            return
        if self.value is None or words != self.words:
            self.changed_at = time
        self.words, self.value = words, value


@dataclass(slots=True)
class TagSlot:
    """A compiled tag: its position in the state table, its decoder, the checks that guard it."""

    index: int
    tag: Tag
    decode: Decoder
    interlocks: list[object] = field(default_factory=list)
    """The compiled interlocks that guard writes to this tag (``interlock.policy.checks``)."""


@dataclass(slots=True)
class SpaceIndex:
    """The tags of one asset's address space, sorted by address (they never overlap)."""

    starts: list[int]
    slots: list[TagSlot]
    ends: list[int] = field(default_factory=list)
    """Each tag's first address after it (beside ``starts``: no lookup into the tag)."""

    def add(self, slot: TagSlot) -> None:
        """Append a tag (in address order)."""
        self.starts.append(slot.tag.address)
        self.ends.append(slot.tag.end)
        self.slots.append(slot)

    def touching(self, start: int, count: int) -> list[TagSlot]:
        """The tags that overlap [start, start + count), in address order (a list, not a
        generator: every answer the gateway observes asks, and a list costs less)."""
        found: list[TagSlot] = []
        if count <= 0:
            return found
        end = start + count
        starts, ends, slots = self.starts, self.ends, self.slots
        i = max(bisect_right(starts, start) - 1, 0)
        while i < len(slots):
            if starts[i] >= end:
                break
            if ends[i] > start:
                found.append(slots[i])
            i += 1
        return found


def new_slot(index: int, tag: Tag) -> TagSlot:
    return TagSlot(index, tag, decoder(tag))


def written_words(
    slot: TagSlot,
    state: TagState,
    start: int,
    values: Sequence[int],
    mask: tuple[int, int] | None,
) -> list[int | None]:
    """The tag's words after a write of values at start (or a mask write at start)."""
    words = list(state.words)
    base = slot.tag.address
    for k in range(len(words)):
        offset = base + k - start
        if mask is not None:
            if offset == 0:
                old = words[k]
                and_mask, or_mask = mask
                words[k] = (
                    None if old is None else (old & and_mask) | (or_mask & ~and_mask & 0xFFFF)
                )
        elif 0 <= offset < len(values):
            words[k] = values[offset] & 0xFFFF
    return words


def decoded(slot: TagSlot, words: list[int | None]) -> Value:
    if any(w is None for w in words):
        return None
    return slot.decode(words)  # type: ignore[arg-type]  # no None left, checked above

"""Typed access to a baseline file's nodes: zones' NodeReader (every misfit an error at its
line, one pass reporting all) plus the scalars a baseline has: numbers, flags, times,
function labels and entry ids."""

from __future__ import annotations

from typing import Final

import yaml

from interlock.detect.baseline.text import parse_iso
from interlock.model import OperationClass
from interlock.zones.nodes import BOOL, FLOAT, INT, NULL, NodeReader, kind_of, suggest

TIMESTAMP: Final = "tag:yaml.org,2002:timestamp"
OPERATIONS: Final = tuple(op.value for op in OperationClass)


class EntryReader(NodeReader):
    """NodeReader plus the scalars a baseline has: numbers, flags, times, entry ids."""

    def labels(
        self, fields: dict[str, yaml.Node], key: str, what: str
    ) -> list[tuple[yaml.Node, yaml.Node]]:
        """The (key, value) node pairs of a mapping keyed by function labels."""
        node = fields.get(key)
        if node is None or is_null(node):
            return []
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what}: {key} must be a mapping of function to "
                             f"{'count' if key == 'functions' else 'rate'}, not {kind_of(node)}")  # fmt: skip
            return []
        seen: set[str] = set()
        pairs = []
        for label_node, value_node in node.value:
            label = str(label_node.value)
            if label in seen:
                self.error(label_node, f"{what}: function {label!r} is listed twice")
                continue
            seen.add(label)
            pairs.append((label_node, value_node))
        return pairs

    def number(self, node: yaml.Node, what: str, low: float, high: float | None) -> float | None:
        value = None
        if isinstance(node, yaml.ScalarNode) and node.tag in (INT, FLOAT):
            value = float(yaml.safe_load(node.value))
        if value is None or value != value:
            self.error(node, f"{what} must be a number, not {kind_of(node)}")
            return None
        if value < low or (high is not None and value > high):
            span = f"{low:g}..{high:g}" if high is not None else f">= {low:g}"
            self.error(node, f"{what} is {value:g}, out of range ({span})")
            return None
        return value

    def flag(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return bool(yaml.safe_load(node.value))
        self.error(node, f"{what} must be true or false, not {kind_of(node)}")
        return False

    def time(self, node: yaml.Node, what: str) -> float | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (TIMESTAMP, "tag:yaml.org,2002:str"):
            try:
                return parse_iso(str(node.value))
            except ValueError:
                pass
        self.error(node, f"{what} must be a time such as 2026-01-01T00:00:00.000Z, "
                         f"not {kind_of(node)}")  # fmt: skip
        return None

    def optional_time(self, fields: dict[str, yaml.Node], key: str, what: str) -> float | None:
        if key not in fields or is_null(fields[key]):
            return None
        return self.time(fields[key], what)

    def count(self, fields: dict[str, yaml.Node], key: str, what: str) -> int:
        if key not in fields:
            return 0
        return self.integer(fields[key], f"{what}: {key}", 0, None) or 0

    def word(self, fields: dict[str, yaml.Node], key: str, what: str) -> str | None:
        """A required text field: addresses, protocols, spaces (numbers read as written)."""
        if key not in fields:
            return None
        return self.text(fields[key], f"{what}: {key}")

    def choice(self, node: yaml.Node, what: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(node, what)
        if value is not None and value not in choices:
            self.error(node, f"{what} is `{value}`{suggest(value, choices)}")
            return None
        return value

    def marks(self, fields: dict[str, yaml.Node], what: str) -> tuple[bool, str | None]:
        manual = self.flag(fields["manual"], f"{what}: manual") if "manual" in fields else False
        note = self.string(fields["note"], f"{what}: note") if "note" in fields else None
        return manual, note

    def check_id(self, fields: dict[str, yaml.Node], expected: str, what: str) -> bool:
        """An entry's id, when written, must be the one its fields give; unique either way."""
        node = fields.get("id")
        matches = True
        if node is not None:
            written = self.text(node, f"{what}: id")
            if written is not None and written != expected:
                self.error(node, f"{what}: id `{written}` does not match its fields "
                                 f"(they give `{expected}`)")  # fmt: skip
                matches = False
        where = node if node is not None else next(iter(fields.values()))
        first = self.claim(where, "entry", expected, what)
        if first is not None:
            self.error(where, f"{what}: `{expected}` is already defined at line {first[1]}")
            return False
        return matches


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL

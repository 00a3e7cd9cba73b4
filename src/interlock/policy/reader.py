"""Typed reading of a policy's YAML nodes, every misfit an error at its line.

Builds on the zones loader's NodeReader (the house way of reading YAML with lines); adds
numbers, booleans, closed word lists and names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

import yaml

from interlock.zones.model import LoadError
from interlock.zones.nodes import BOOL, FLOAT, INT, NodeReader, kind_of, suggest

NAME_PATTERN: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RULE_NAME_PATTERN: Final = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:-]*$")

W = TypeVar("W", bound=str)


@dataclass
class PolicyReader(NodeReader):
    def declared(self, kind: str, name: str) -> bool:
        """Whether a definition of that name was met (even a wrong one, reported already)."""
        return (kind, name) in self.claims

    def error_at(self, line: int, message: str) -> None:
        self.errors.append(LoadError(self.source, line, message))

    def number(
        self, node: yaml.Node, what: str, low: float | None = None, positive: bool = False
    ) -> float | None:
        value: float | None = None
        if isinstance(node, yaml.ScalarNode) and node.tag in (INT, FLOAT):
            try:
                value = float(yaml.safe_load(node.value)) if node.tag == FLOAT else int(node.value)
            except (ValueError, TypeError):
                value = None
        if value is None or not math.isfinite(value):
            self.error(node, f"{what} must be a number, not {kind_of(node)}")
            return None
        if positive and value <= 0:
            self.error(node, f"{what} is {value:g}: it must be above 0")
            return None
        if low is not None and value < low:
            self.error(node, f"{what} is {value:g}: it must be at least {low:g}")
            return None
        return float(value)

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return bool(yaml.safe_load(node.value))
        self.error(node, f"{what} must be true or false, not {kind_of(node)}")
        return None

    def choice(self, node: yaml.Node, what: str, choices: Sequence[W]) -> W | None:
        text = self.text(node, what)
        if text is None:
            return None
        for word in choices:
            if text == word:
                return word
        self.error(node, f"{what} is `{text}`{suggest(text, list(choices))}")
        return None

    def name(
        self, node: yaml.Node, what: str, pattern: re.Pattern[str] = NAME_PATTERN
    ) -> str | None:
        text = self.string(node, what)
        if text is None:
            return None
        if not pattern.match(text):
            shape = (
                "letters, digits and _" if pattern is NAME_PATTERN else "letters, digits, _ . : -"
            )
            self.error(node, f"{what} `{text}` must be made of {shape}, not starting with a digit")
            return None
        return text

    def strings(self, node: yaml.Node, what: str) -> list[tuple[yaml.Node, str]]:
        """A list of strings, or one string standing for a list of one."""
        items = [node] if isinstance(node, yaml.ScalarNode) else self.sequence(node, what) or []
        found = []
        for item in items:
            text = self.text(item, f"an entry of {what}")
            if text is not None:
                found.append((item, text))
        return found

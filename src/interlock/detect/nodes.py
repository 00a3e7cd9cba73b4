"""Reading rule packs from composed YAML nodes, every error with its file and line.

Extends the zones file reader (``interlock.zones.nodes``): values are read from PyYAML's
composed nodes, which keep their line, and are never constructed blindly, so duplicate
keys are caught and one pass reports every error.
"""

from __future__ import annotations

from typing import Any

import yaml

from interlock.zones.model import LoadError
from interlock.zones.nodes import BOOL, FLOAT, INT, NULL, STR, NodeReader, compose, kind_of, line_of

__all__ = ["LoadError", "RuleReader", "compose_pack", "line_of"]


def compose_pack(text: str, source: str, what: str) -> yaml.Node | LoadError:
    """The root node of a pack (or tests) file, or its syntax error."""
    if not text.strip():
        return LoadError(source, 1, f"the file is empty: expected a mapping with `{what}`")
    # libyaml composes the shipped packs in a seventh of the time (every detecting run
    # loads them); a document it refuses is composed again by the Python loader, whose
    # error messages are the ones users see.
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            root = yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            root = None
        if root is not None:
            return root
    return compose(text, source, what)


class RuleReader(NodeReader):
    """NodeReader plus the value kinds rules use: ints in any base, numbers, booleans,
    one-or-many lists, and plain Python values for detector params."""

    def int_value(self, node: yaml.Node, what: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT:
            try:
                return int(str(node.value).replace("_", ""), 0)
            except ValueError:
                pass
        self.error(node, f"{what} must be an integer, not {kind_of(node)}")
        return None

    def number(self, node: yaml.Node, what: str, minimum: float) -> float | None:
        value = self.plain(node)
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= minimum:
            return float(value)
        self.error(node, f"{what} must be a number >= {minimum:g}, not {kind_of(node)}")
        return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return bool(self.plain(node))
        self.error(node, f"{what} must be true or false, not {kind_of(node)}")
        return None

    def one_or_many(self, node: yaml.Node) -> list[yaml.Node]:
        """A scalar stands for a list of one."""
        if isinstance(node, yaml.SequenceNode):
            if not node.value:
                self.error(node, "an empty list matches nothing: remove the key instead")
            return list(node.value)
        return [node]

    def ints(self, node: yaml.Node, what: str) -> tuple[int, ...]:
        found = [self.int_value(item, what) for item in self.one_or_many(node)]
        return tuple(v for v in found if v is not None)

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        found = [self.string(item, what) for item in self.one_or_many(node)]
        return tuple(v for v in found if v is not None)

    def plain(self, node: yaml.Node) -> Any:
        """The node as Python values (mappings, lists, scalars), as yaml.safe_load reads it."""
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_document(node)
        except yaml.YAMLError as err:
            self.error(node, f"cannot read this value: {err}")
            return None
        finally:
            loader.dispose()

    def scalar(self, node: yaml.Node, what: str) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.tag in (STR, INT, BOOL, FLOAT, NULL):
            return self.plain(node)
        self.error(node, f"{what} must be a single value, not {kind_of(node)}")
        return None

    def find(self, node: yaml.Node, key: str) -> yaml.Node | None:
        """The value node of key in a mapping node, if it has one (a dotted key walks in)."""
        current: yaml.Node | None = node
        for part in key.split("."):
            if not isinstance(current, yaml.MappingNode):
                return None
            current = next(
                (v for k, v in current.value if isinstance(k, yaml.ScalarNode) and k.value == part),
                None,
            )
        return current

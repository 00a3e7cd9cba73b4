"""Reading a composed YAML node tree while collecting every error with its line.

PyYAML's composer keeps a start mark (0-based line) on every node; values are read from the
nodes, never constructed, so each error can name the line it is on, duplicate keys are
caught (the constructor silently keeps the last one), and one pass reports all of them.
"""

from __future__ import annotations

import difflib
import ipaddress
from dataclasses import dataclass, field

import yaml

from interlock.zones.model import LoadError

STR: str = "tag:yaml.org,2002:str"
INT: str = "tag:yaml.org,2002:int"
NULL: str = "tag:yaml.org,2002:null"
BOOL: str = "tag:yaml.org,2002:bool"
FLOAT: str = "tag:yaml.org,2002:float"


def compose(text: str, source: str, what: str = "zones") -> yaml.Node | LoadError:
    """The document's root node, or the syntax error (YAML parsing stops at the first);
    ``what`` is the key an empty document is told it lacks."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        return LoadError(source, line, f"not valid YAML: {err.problem or err.context}")
    except yaml.YAMLError as err:
        return LoadError(source, 1, f"not valid YAML: {err}")
    if root is None:
        return LoadError(source, 1, f"the file is empty: expected a mapping with `{what}`")
    return root


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


@dataclass
class NodeReader:
    """Typed access to nodes; every misfit becomes a LoadError and a None result."""

    source: str
    errors: list[LoadError] = field(default_factory=list)
    claims: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    """(kind, key) -> (owner, line) of its first definition."""

    def claim(self, node: yaml.Node, kind: str, key: str, owner: str) -> tuple[str, int] | None:
        """Note that owner defines key; returns the first definition if there was one."""
        first = self.claims.get((kind, key))
        if first is None:
            self.claims[(kind, key)] = (owner, line_of(node))
        return first

    def error(self, node: yaml.Node, message: str) -> None:
        self.errors.append(LoadError(self.source, line_of(node), message))

    def mapping(
        self, node: yaml.Node, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, yaml.Node] | None:
        """A mapping's values by key; unknown, duplicate and missing keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping, not {kind_of(node)}")
            return None
        allowed = required + optional
        values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, f"{what} keys must be plain words")
            elif key in values:
                self.error(key_node, f"duplicate key `{key}` in {what}")
            elif key not in allowed:
                self.error(key_node, f"unknown key `{key}` in {what}{suggest(key, allowed)}")
            else:
                values[key] = value_node
        missing = [f"`{key}`" for key in required if key not in values]
        if missing:
            self.error(node, f"{what} has no {', '.join(missing)}")
        return values

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list, not {kind_of(node)}")
            return None
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str | None:
        """A scalar YAML reads as a string (quote numbers and words like `yes`)."""
        if isinstance(node, yaml.ScalarNode) and node.tag == STR:
            return str(node.value)
        self.error(node, f"{what} must be a string, not {kind_of(node)}")
        return None

    def text(self, node: yaml.Node, what: str) -> str | None:
        """Any non-empty scalar as written (a MAC such as 10:20:30:40:50:59 is an int to YAML)."""
        if isinstance(node, yaml.ScalarNode) and node.tag != NULL and str(node.value).strip():
            return str(node.value).strip()
        self.error(node, f"{what} must be a value, not {kind_of(node)}")
        return None

    def integer(self, node: yaml.Node, what: str, low: int, high: int | None) -> int | None:
        value = int(node.value) if isinstance(node, yaml.ScalarNode) and node.tag == INT else None
        if value is None:
            self.error(node, f"{what} must be an integer, not {kind_of(node)}")
        elif value < low or (high is not None and value > high):
            span = f"{low}..{high}" if high is not None else f">= {low}"
            self.error(node, f"{what} is {value}, out of range ({span})")
            return None
        return value


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    names = {
        STR: "a string",
        INT: "an integer",
        NULL: "empty",
        "tag:yaml.org,2002:bool": "a boolean",
        "tag:yaml.org,2002:float": "a number",
    }
    return f"{names.get(node.tag, 'a scalar')} ({node.value!r})" if node.tag != NULL else "empty"


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    if close:
        return f" (did you mean `{close[0]}`?)"
    return f" (expected one of: {', '.join(choices)})"


def strict_network(
    reader: NodeReader, node: yaml.Node, text: str, example: str
) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """An address (a /32 or /128) or a network written without host bits; anything else is
    an error at the node, naming ``example`` or the network that was probably meant."""
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(text, strict=False)
    except ValueError:
        reader.error(node, f"`{text}` is not {example}")
        return None
    reader.error(node, f"`{text}` has host bits set (did you mean {loose}?)")
    return None

"""Reading a large YAML document a piece at a time.

PyYAML composes a whole document into nodes before anything reads it: for a baseline of
ten thousand talkers that tree was 27 times the size of the file, and most of the peak
memory of loading it. Here the root mapping is read key by key, and a list under a key item
by item: each item is composed into nodes (with their line marks, for error messages),
read, and dropped before the next one. libyaml parses when PyYAML has it.

Syntax errors are raised as PyYAML raises them (``yaml.MarkedYAMLError``) when the reader
reaches them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RESOLVED_KEPT: Final = 65_536


class _Loader(_Base):  # type: ignore[misc]
    """The parser and resolver, with the implicit type of repeated scalars (addresses,
    names, small numbers) looked up once."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or implicit != (True, False):
            return super().resolve(kind, value, implicit)
        tag = self._resolved.get(value)
        if tag is None:
            if len(self._resolved) >= RESOLVED_KEPT:
                self._resolved.clear()
            tag = self._resolved[value] = super().resolve(kind, value, implicit)
        return tag


class Items:
    """The items of a list, composed one at a time as they are iterated."""

    def __init__(self, document: Document, start: yaml.Node) -> None:
        self.document = document
        self.node = start
        """A node standing for the list (its line), holding no items."""
        self.done = False

    def __iter__(self) -> Iterator[yaml.Node]:
        loader = self.document.loader
        while not self.done:
            if loader.check_event(yaml.SequenceEndEvent):
                loader.get_event()
                self.done = True
                return
            yield self.document.compose()

    def drain(self) -> None:
        for _ in self:
            pass


class Document:
    """One YAML document whose root, when it is a mapping, is read key by key."""

    def __init__(self, text: str) -> None:
        self.loader = _Loader(text)
        self.anchors: dict[str, yaml.Node] = {}

    def close(self) -> None:
        self.loader.dispose()

    def root(self) -> yaml.MappingNode | yaml.Node | None:
        """None for an empty stream; a MappingNode without its pairs (read them with
        ``pairs``) when the root is a mapping; any other root composed whole."""
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStart
        if loader.check_event(yaml.MappingStartEvent):
            event = loader.get_event()
            return yaml.MappingNode(self._tag(yaml.MappingNode, None, event), [],
                                    event.start_mark, event.end_mark, event.flow_style)  # fmt: skip
        return self.compose()

    def pairs(self, lists: frozenset[str]) -> Iterator[tuple[yaml.Node, yaml.Node | Items]]:
        """The root mapping's (key, value); a list under a key in lists comes as Items,
        which must be iterated (or drained) before the next pair is read."""
        loader = self.loader
        while not loader.check_event(yaml.MappingEndEvent):
            key = self.compose()
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value in lists
                and loader.check_event(yaml.SequenceStartEvent)
            ):
                event = loader.get_event()
                start = yaml.SequenceNode(self._tag(yaml.SequenceNode, None, event), [],
                                          event.start_mark, event.end_mark)  # fmt: skip
                items = Items(self, start)
                yield key, items
                items.drain()
            else:
                yield key, self.compose()
        loader.get_event()  # MappingEnd
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", None,
                "but found another document", event.start_mark,
            )  # fmt: skip

    def compose(self) -> yaml.Node:
        """The next node, whole (PyYAML's composer, over the same events)."""
        loader = self.loader
        event = loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(event.anchor)
            if node is None:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                )
            return node
        if isinstance(event, yaml.ScalarEvent):
            tag = self._tag(yaml.ScalarNode, event.value, event)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                   style=event.style)  # fmt: skip
        elif isinstance(event, yaml.SequenceStartEvent):
            node = yaml.SequenceNode(self._tag(yaml.SequenceNode, None, event), [],
                                     event.start_mark, None, event.flow_style)  # fmt: skip
            self._anchor(event, node)
            while not loader.check_event(yaml.SequenceEndEvent):
                node.value.append(self.compose())
            node.end_mark = loader.get_event().end_mark
        else:
            node = yaml.MappingNode(self._tag(yaml.MappingNode, None, event), [],
                                    event.start_mark, None, event.flow_style)  # fmt: skip
            self._anchor(event, node)
            while not loader.check_event(yaml.MappingEndEvent):
                key = self.compose()
                node.value.append((key, self.compose()))
            node.end_mark = loader.get_event().end_mark
        self._anchor(event, node)
        return node

    def _tag(self, kind: Any, value: Any, event: Any) -> str:
        if event.tag is not None and event.tag != "!":
            return str(event.tag)
        return str(self.loader.resolve(kind, value, event.implicit))

    def _anchor(self, event: Any, node: yaml.Node) -> None:
        if event.anchor is not None:
            self.anchors[event.anchor] = node

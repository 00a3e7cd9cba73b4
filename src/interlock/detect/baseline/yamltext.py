"""A small YAML writer for the baseline file: fast, streaming and byte-stable.

PyYAML's emitter builds a node for every scalar and took most of the time (and memory) of
writing a large baseline; this writer walks plain data and writes lines as it goes. It
knows only what the baseline holds: mappings and lists written in block style, ``Flow``
mappings and ``FlowList`` lists written on one line, and str, int, float, bool and None
scalars. Strings are plain when YAML would read them back as the same string, else double
quoted with escapes; what it writes reads back with any YAML 1.1 loader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Final

import yaml

STR_TAG: Final = "tag:yaml.org,2002:str"
# Plain scalars: letters, digits and punctuation YAML gives no meaning inside a scalar;
# block context allows ':' '[' ']' inside (addresses, ids), flow context does not.
BLOCK_PLAIN: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/:>\[\]=;+@()*]*")
FLOW_PLAIN: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/>=;+@()*]*")
PRINTABLE: Final = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Characters written as they are inside quotes (YAML's printable set, less the line and
paragraph separators and the byte order mark, which readers treat specially)."""
ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
CACHE: Final = 65_536


class Flow(dict[Any, Any]):
    """A mapping written on one line."""


class FlowList(list[Any]):
    """A list written on one line."""


class Writer:
    def __init__(self) -> None:
        self._resolver = yaml.resolver.Resolver()
        self._plain: dict[tuple[str, bool], bool] = {}

    def mapping(self, items: Iterable[tuple[Any, Any]], indent: int = 0) -> Iterator[str]:
        """Lines of a block mapping (each ending with a newline)."""
        pad = " " * indent
        for key, value in items:
            head = f"{pad}{self.scalar(key, flow=False)}:"
            if isinstance(value, Flow | FlowList):
                yield f"{head} {self.value(value)}\n"
            elif not isinstance(value, dict | list):
                yield f"{head} {self.scalar(value, flow=False)}\n"
            elif not value:
                yield f"{head} {'{}' if isinstance(value, dict) else '[]'}\n"
            elif isinstance(value, dict):
                yield head + "\n"
                yield from self.mapping(value.items(), indent + 2)
            else:
                yield head + "\n"
                yield from self.sequence(value, indent)

    def sequence(self, items: Iterable[Any], indent: int) -> Iterator[str]:
        """Lines of a block list whose dashes sit at indent (PyYAML's indentless style)."""
        pad = " " * indent
        for item in items:
            if isinstance(item, dict) and not isinstance(item, Flow) and item:
                lines = self.mapping(item.items(), indent + 2)
                first = next(lines)
                yield f"{pad}- {first[indent + 2 :]}"
                yield from lines
            elif isinstance(item, dict | list):
                yield f"{pad}- {self.value(item)}\n"  # a list in a list: on one line
            else:
                yield f"{pad}- {self.scalar(item, flow=False)}\n"

    def value(self, value: Any) -> str:
        """A scalar, or a flow mapping or list, on one line."""
        if isinstance(value, dict):
            inner = ", ".join(f"{self.scalar(k, True)}: {self.value(v)}" for k, v in value.items())
            return "{" + inner + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.value(v) for v in value) + "]"
        return self.scalar(value, flow=True)

    def scalar(self, value: Any, flow: bool) -> str:
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            text = repr(value)
            if "." not in text and "e" in text:  # YAML 1.1 floats need a dot: 1.0e+16
                text = text.replace("e", ".0e", 1)
            return text
        text = str(value)
        return text if self._is_plain(text, flow) else quoted(text)

    def _is_plain(self, text: str, flow: bool) -> bool:
        known = self._plain.get((text, flow))
        if known is None:
            pattern = FLOW_PLAIN if flow else BLOCK_PLAIN
            known = (
                pattern.fullmatch(text) is not None
                and not text.endswith(":")
                and self._resolver.resolve(yaml.ScalarNode, text, (True, False)) == STR_TAG
            )
            if len(self._plain) >= CACHE:
                self._plain.clear()
            self._plain[(text, flow)] = known
        return known


def quoted(text: str) -> str:
    """A double-quoted YAML scalar; what is not printable is escaped (lone surrogates
    included, so a name decoded with surrogateescape survives the file)."""
    out = []
    for char in text:
        if char in ESCAPES:
            out.append(ESCAPES[char])
        elif PRINTABLE.match(char):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                       if code < 0x10000 else f"\\U{code:08x}")  # fmt: skip
    return '"' + "".join(out) + '"'

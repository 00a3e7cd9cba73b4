"""Reading a baseline file (docs/detect-baseline.md): YAML text in, a Baseline or every
error out, each at its line. Nothing is half-loaded: one error means no baseline.

The file is read entry by entry (``yamlstream``), each entry by ``entries``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

import yaml

from interlock.detect.baseline import entries
from interlock.detect.baseline.learner import LIMITS
from interlock.detect.baseline.model import FORMAT_VERSION, KIND, Baseline
from interlock.detect.baseline.reader import EntryReader, is_null
from interlock.detect.baseline.yamlstream import Document, Items
from interlock.errors import ConfigError
from interlock.text_files import read_text_file
from interlock.zones.model import LoadError
from interlock.zones.nodes import suggest

DROPPED_KEYS: Final = (*LIMITS, "range_joins")
TOP: Final = ("version",), ("kind", "settings", "periods", "captures", "dropped", "talkers",
                            "points", "values", "rates", "exclusions")  # fmt: skip


class BaselineError(ConfigError):
    """A baseline file that cannot be used; ``errors`` has every problem with its line."""

    code = "baseline"

    def __init__(self, source: str, errors: list[LoadError]) -> None:
        self.source = source
        self.errors = errors
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        lines = "\n".join(f"  {e}" for e in errors)
        super().__init__(f"{source}: not a usable baseline ({count}):\n{lines}")


def load_baseline(path: str | Path) -> Baseline:
    """The baseline in a file; raises BaselineError listing every error (or UsageError)."""
    path = Path(path)
    text = read_text_file(path, "baseline file")
    result = parse_baseline(text, str(path))
    if isinstance(result, list):
        raise BaselineError(str(path), result)
    return result


def parse_baseline(text: str, source: str) -> Baseline | list[LoadError]:
    reader = EntryReader(source)
    baseline = Baseline(source=source)
    document = Document(text)
    try:
        _read_document(reader, document, baseline)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        reader.errors.append(
            LoadError(source, line, f"not valid YAML: {err.problem or err.context}")
        )
    except yaml.YAMLError as err:
        reader.errors.append(LoadError(source, 1, f"not valid YAML: {err}"))
    finally:
        document.close()
    if reader.errors:
        return sorted(set(reader.errors), key=lambda e: (e.line, e.message))
    return baseline


LISTS: Final = frozenset({"periods", "captures", "talkers", "points", "values", "rates",
                          "exclusions"})  # fmt: skip


def _read_document(reader: EntryReader, document: Document, baseline: Baseline) -> None:
    """The root mapping key by key, each list entry by entry (see yamlstream)."""
    root = document.root()
    if root is None:
        reader.errors.append(LoadError(reader.source, 1, "the file is empty: expected a "
                                       "mapping with `version`"))  # fmt: skip
        return
    if not isinstance(root, yaml.MappingNode):
        reader.mapping(root, "the baseline file", *TOP)
        return
    seen: set[str] = set()
    allowed = TOP[0] + TOP[1]
    for key_node, value in document.pairs(LISTS):
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            reader.error(key_node, "the baseline file's keys must be plain words")
        elif key in seen:
            reader.error(key_node, f"duplicate key `{key}` in the baseline file")
        elif key not in allowed:
            reader.error(key_node, f"unknown key `{key}` in the baseline file"
                                   f"{suggest(key, allowed)}")  # fmt: skip
        else:
            seen.add(key)
            _read_section(reader, key, value, baseline)
    if "version" not in seen:
        reader.error(root, "the baseline file has no `version`")


def _read_section(
    reader: EntryReader, key: str, value: yaml.Node | Items, baseline: Baseline
) -> None:
    if key in LISTS:
        for index, node in enumerate(_entries(reader, key, value)):
            _read_entry(reader, key, node, f"{key}[{index}]", baseline)
        return
    assert isinstance(value, yaml.Node)
    if key == "version":
        reader.integer(value, "version", FORMAT_VERSION, FORMAT_VERSION)
    elif key == "kind":
        if reader.string(value, "kind") not in (None, KIND):
            reader.error(value, f"kind must be `{KIND}`")
    elif key == "settings":
        baseline.settings = entries.settings_of(reader, value)
    elif key == "dropped":
        fields = reader.mapping(value, "`dropped`", (), DROPPED_KEYS) or {}
        for name, node in fields.items():
            count = reader.integer(node, f"dropped {name}", 0, None)
            if count:
                baseline.dropped[name] = count


def _entries(reader: EntryReader, key: str, value: yaml.Node | Items) -> Iterable[yaml.Node]:
    if isinstance(value, Items):
        return value
    if is_null(value):
        return []
    return reader.sequence(value, f"`{key}`") or []


def _read_entry(
    reader: EntryReader, key: str, node: yaml.Node, what: str, baseline: Baseline
) -> None:
    if key == "periods":
        fields = reader.mapping(node, what, ("start", "end"), ())
        for name, value in (fields or {}).items():
            reader.time(value, f"{what}: {name}")
    elif key == "captures":
        capture = entries.capture_of(reader, node, what)
        if capture is not None:
            baseline.captures.append(capture)
    elif key == "talkers":
        talker = entries.talker_of(reader, node, what)
        if talker is not None:
            baseline.talkers[talker.key] = talker
    elif key == "points":
        points = entries.points_of(reader, node, what)
        if points is not None:
            baseline.points[points.key] = points
    elif key == "values":
        group = entries.values_of(reader, node, what)
        if group is not None:
            baseline.values[group.key] = group
    elif key == "rates":
        for rate in entries.rates_of(reader, node, what) or []:
            baseline.rates.setdefault(rate.key[:3], {})[rate.function] = rate
    else:
        exclusion = entries.exclusion_of(reader, node, what)
        if exclusion is not None:
            baseline.exclusions.append(exclusion)

"""The baseline's YAML writer: whatever the strings and numbers (names and topics come from
the network), YAML reads back exactly what was written; function labels read back too."""

from __future__ import annotations

import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.detect.baseline.model import FunctionSpec, function_label, parse_label
from interlock.detect.baseline.yamltext import Flow, FlowList, Writer

scalars = (
    st.text()
    | st.sampled_from(["yes", "no", "null", "~", "1.5", "0x1F", "2026-01-01", "a: b", "- x",
                       "#c", "talker:10.0.0.1->10.0.0.2:modbus", "::1", "[3]", "*:read", ""])
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
)  # fmt: skip
keys = st.text(min_size=1, max_size=40) | st.integers(-(2**40), 2**40)
leaf = st.dictionaries(keys, scalars, max_size=4).map(Flow) | st.lists(scalars, max_size=4).map(
    FlowList
)
documents = st.recursive(
    scalars | leaf,
    lambda inner: st.dictionaries(keys, inner, max_size=4) | st.lists(inner, max_size=4),
    max_leaves=20,
)


def plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=20), documents, min_size=1, max_size=5))
def test_what_is_written_reads_back(document: dict[str, object]) -> None:
    text = "".join(Writer().mapping(document.items()))
    loaded = yaml.safe_load(text)
    assert same(loaded, plain(document)), text


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(2**31), 2**31),
    st.none() | st.integers(0, 2**16),
    st.text(min_size=1, max_size=30).filter(lambda n: n != "*"),
    st.sampled_from(["read", "write", "mode_change", "other"]),
)
def test_a_learned_function_label_reads_back(
    code: int, sub: int | None, name: str, op: str
) -> None:
    label = function_label((code, sub, name, op))
    assert parse_label(label) == (code, sub, name, op)
    assert FunctionSpec(code, sub, name, op).label() == label


def test_labels_people_write() -> None:
    assert parse_label("write_single_register") == (None, None, "write_single_register", None)
    assert parse_label("*[8]") == (8, None, None, None)
    assert parse_label("*:read") == (None, None, None, "read")
    assert parse_label("diagnostics[8.4]:diagnostic") == (8, 4, "diagnostics", "diagnostic")

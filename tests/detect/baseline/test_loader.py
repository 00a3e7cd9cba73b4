"""Loading a baseline file: every error at once, each at its line; nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.detect.baseline import Baseline, BaselineError, load_baseline, parse_baseline

GOOD = """\
version: 1
kind: interlock-baseline
settings: {margin_pct: 5, rate_factor: 2.5}
talkers:
- client: 10.20.0.1
  server: 10.10.0.5
  protocol: modbus
  functions:
    read_holding_registers: 0
    "*[8.0]": 0
    "*:write": 2
points:
- server: 10.10.0.5
  protocol: modbus
  unit: 1
  space: holding_registers
  access: write
  ranges: [[10, 19], [0, 9], [40, 40]]
values:
- server: 10.10.0.5
  protocol: modbus
  unit: 1
  space: holding_registers
  access: write
  points:
    1: {min: 0, max: 600}
exclusions:
- id: exclusion:laptop
  reason: commissioning laptop
  client: 10.20.0.50
"""

BAD = """\
version: 1
settings: {margin_pct: -1, rate_factr: 2}
talkers:
- id: talker:10.20.0.1->10.10.0.6:modbus
  client: 10.20.0.1
  server: 10.10.0.5
  protocol: modbus
  functions:
    read_coils[1]: many
    "*:reboot": 1
- client: 10.20.0.1
  server: 10.10.0.5
  protocol: modbus
  functions: {}
points:
- server: 10.10.0.5
  protocol: modbus
  unit: one
  space: coils
  access: write
  ranges: [[9, 0]]
values:
- server: 10.10.0.5
  protocol: modbus
  unit: 1
  space: coils
  access: rw
  points:
    3: {min: 5, max: 1}
exclusions:
- id: exclusion:everything
  reason: oops
- id: exclusion:rules
  client: 10.20.0.0/33
  rules: [baseline.new_talkers]
"""


def test_a_hand_written_baseline_loads() -> None:
    baseline = parse_baseline(GOOD, "b.yaml")
    assert isinstance(baseline, Baseline), [str(e) for e in baseline]
    assert baseline.settings.margin_pct == 5 and baseline.settings.rate_factor == 2.5
    [talker] = baseline.talkers.values()
    assert talker.id == "talker:10.20.0.1->10.10.0.5:modbus" and talker.count == 0
    assert talker.function_for((16, None, "write_multiple_registers", "write")) is not None
    assert talker.function_for((8, 4, "diagnostics", "diagnostic")) is None
    [points] = baseline.points.values()
    assert points.ranges == [(0, 19), (40, 40)]
    assert baseline.exclusions[0].client is not None


def test_every_error_is_reported_with_its_line() -> None:
    errors = parse_baseline(BAD, "b.yaml")
    assert isinstance(errors, list)
    lines = [str(e) for e in errors]
    expected = [
        ("b.yaml:2:", "margin_pct is -1, out of range"),
        ("b.yaml:2:", "unknown key `rate_factr`"),
        ("b.yaml:4:", "id `talker:10.20.0.1->10.10.0.6:modbus` does not match its fields"),
        ("b.yaml:9:", "function 'read_coils[1]': count must be an integer"),
        ("b.yaml:10:", "function '*:reboot': operation is `reboot`"),
        ("b.yaml:11:", "`talker:10.20.0.1->10.10.0.5:modbus` is already defined"),
        ("b.yaml:18:", "unit must be an integer"),
        ("b.yaml:21:", "[9, 0] is upside down"),
        ("b.yaml:27:", "access is `rw`"),
        ("b.yaml:29:", "min 5 is above max 1"),
        ("b.yaml:31:", "matches everything"),
        ("b.yaml:34:", "`10.20.0.0/33` is not an address or CIDR"),
        ("b.yaml:35:", "a rule is `baseline.new_talkers` (did you mean `baseline.new_talker`?)"),
    ]
    for where, what in expected:
        assert any(line.startswith(where) and what in line for line in lines), (where, what, lines)
    assert len(lines) == len(expected), lines


def test_yaml_syntax_errors_have_a_line_too() -> None:
    [error] = parse_baseline("version: 1\ntalkers:\n  - client: [10.0.0.1\n", "b.yaml")
    assert error.line >= 3 and "not valid YAML" in error.message


def test_load_raises_one_error_listing_all(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(BAD)
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    assert len(caught.value.errors) == 13
    message = str(caught.value)
    assert message.startswith(f"{path}: not a usable baseline (13 errors):")
    assert f"{path}:21:" in message and caught.value.exit_status == 2


def test_a_version_from_the_future_is_refused() -> None:
    errors = parse_baseline("version: 2\n", "b.yaml")
    assert isinstance(errors, list) and "version is 2" in str(errors[0])


def test_a_syntax_error_deep_in_a_list_is_reported_with_earlier_errors() -> None:
    text = GOOD.replace("  protocol: modbus\n  functions:", "  protocol: modbus\n  colour: red\n"
                        "  functions:", 1) + "- id: [unclosed\n"  # fmt: skip
    errors = parse_baseline(text, "b.yaml")
    assert isinstance(errors, list)
    assert [e.line for e in errors] == [8, len(text.splitlines()) + 1]
    assert "unknown key `colour`" in errors[0].message
    assert "not valid YAML" in errors[1].message


def test_anchors_and_other_yaml_shapes() -> None:
    shared = GOOD.replace("points:\n- server: 10.10.0.5", "points:\n- &plc\n  server: 10.10.0.5", 1)
    assert isinstance(parse_baseline(shared, "b.yaml"), Baseline)
    for text, message in [
        ("- version: 1\n", "the baseline file must be a mapping"),
        ("version: 1\n---\nversion: 1\n", "not valid YAML: but found another document"),
        ("", "the file is empty"),
        ("version: 1\nversion: 1\n", "duplicate key `version`"),
        ("kind: interlock-baseline\n", "the baseline file has no `version`"),
        ("version: 1\ntalkers: {a: 1}\n", "`talkers` must be a list"),
    ]:
        errors = parse_baseline(text, "b.yaml")
        assert isinstance(errors, list) and message in str(errors[0]), (text, errors)

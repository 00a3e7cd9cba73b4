"""Loading policy files: the example is valid and means what it says; every error is
reported at once, each at its line, with no cascade from one wrong definition; nothing is
returned (or compiled) when anything is wrong."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from interlock.errors import ConfigError, InterlockError, UsageError
from interlock.policy import Policy, PolicyError, load_policy, parse_policy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "tank.policy.yaml"


def policy(text: str) -> Policy:
    result = parse_policy(text, "p.yaml")
    assert isinstance(result, Policy), [str(e) for e in result]
    return result


def errors(text: str) -> list[str]:
    result = parse_policy(text, "p.yaml")
    assert isinstance(result, list), "expected errors"
    return [str(e) for e in result]


MINIMAL = """\
default: deny
assets:
  - {name: plc, protocol: modbus, unit: 1}
tags:
  - {name: level, space: input_registers, address: 0, scale: 0.1, units: "%"}
  - {name: pump_run, space: coils, address: 0}
"""


def test_the_example_is_valid_and_means_what_it_says() -> None:
    loaded = load_policy(EXAMPLE)
    assert loaded.default == "deny" and loaded.mode == "enforce"
    assert [a.name for a in loaded.assets] == ["tank-plc"]
    plc = loaded.asset("tank-plc")
    assert (plc.protocol, plc.unit, plc.address, plc.failure_mode) == (
        "modbus",
        1,
        "10.10.0.5",
        "closed",
    )
    level_sp = loaded.tag("level_sp")
    assert (level_sp.space, level_sp.address, level_sp.type, level_sp.scale) == (
        "holding_registers", 0, "uint16", 0.1,
    )  # fmt: skip
    assert level_sp.envelope is not None and level_sp.envelope.max == 90.0
    assert level_sp.envelope.max_step == 5.0 and level_sp.envelope.max_rate == 2.0
    outflow = loaded.tag("outflow_limit")
    assert (outflow.type, outflow.word_order, outflow.size, outflow.end) == ("float32", "big", 2, 4)
    assert loaded.tag("pump_run").type == "bool"
    assert loaded.clients["hmi"] == (ipaddress.ip_network("10.20.0.10/32"),)
    window = loaded.windows[0]
    assert (window.days, window.start, window.end) == (frozenset({5}), 120.0, 360.0)
    inlet = loaded.interlocks[0]
    assert (
        inlet.tags == ("inlet_valve_open",) and inlet.require.text == "pump_run and tank_level < 90"
    )
    maintenance = loaded.rules[-1]
    assert maintenance.windows == ("saturday-maintenance",) and maintenance.assets == ("tank-plc",)
    assert maintenance.operations == {"write", "diagnostic", "restart"}


def test_a_minimal_policy_fills_in_the_documented_defaults() -> None:
    loaded = policy(MINIMAL)
    assert (loaded.mode, loaded.malformed, loaded.failure_mode) == ("enforce", "block", "closed")
    level = loaded.tag("level")
    assert (level.asset, level.type, level.word_order, level.offset) == (
        "plc",
        "uint16",
        "big",
        0.0,
    )
    assert loaded.asset("plc").criticality == "medium"


BAD = """\
version: 1
default: deny
mode: enforced
clients:
  hmi: [10.20.0.10, 10.20.0.1/24]
windows:
  - name: weekend
    days: [sat, sunday, funday]
    start: "25:00"
    end: "06:00"
  - name: once
    start: 2026-01-02T00:00:00Z
    end: 2026-01-01T00:00:00Z
assets:
  - name: plc
    protocol: modbus
    unit: 300
  - name: plc2
    protocol: modbuss
    unit: 1
tags:
  - name: level_sp
    asset: plc
    space: holding_registers
    address: 0
    scale: 0
    envelope: {min: 10, max: 5, max_step: -1}
  - name: pump_run
    asset: plc
    space: coils
    address: 0
    type: float32
    envelope: {max: 3}
  - name: level_sp
    asset: nowhere
    space: holding_registers
    address: 0
  - name: 2bad
    asset: plc
    space: registers
    address: 70000
rules:
  - name: r1
    clients: [hmi, operators]
    operations: [read, wrte]
    tags: [level_sp, levl]
    windows: [weekend, never]
    colour: red
  - name: default
interlocks:
  - name: r1
    tag: pump_run
    require: pump_run and tank_level < 90
  - name: i2
    tags: [level_sp]
    when: value > 10
    require: value
"""

BAD_ERRORS = [
    (3, "`mode` is `enforced` (did you mean `enforce`?)"),
    (5, "`10.20.0.1/24` has host bits set (did you mean 10.20.0.0/24?)"),
    (8, "`funday` in window `weekend` is not a day (mon, tue, wed, thu, fri, sat, sun)"),
    (9, 'the start of window `weekend` `25:00` is not a time of day HH:MM (quote it: "02:00")'),
    (13, "window `once` ends before it starts"),
    (17, "the unit of asset `plc` is 300, out of range (0..255)"),
    (19, "the protocol of asset `plc2` is `modbuss` (did you mean `modbus`?)"),
    (26, "the scale of tag `level_sp` cannot be 0"),
    (27, "`max_step` of tag `level_sp` is -1: it must be above 0"),
    (27, "the envelope of tag `level_sp` has min 10 above max 5"),
    (32, "tag `pump_run` is in coils, which holds bits: its type must be bool"),
    (34, "tag `level_sp` is already defined (line 22)"),
    (35, "tag `level_sp` names asset `nowhere`, which is not defined (expected one of: plc)"),
    (38, "a tag's name `2bad` must be made of letters, digits and _, not starting with a digit"),
    (40, "the space of a tag is `registers` (did you mean `input_registers`?)"),
    (41, "the address of a tag is 70000, out of range (0..65535)"),
    (44, "rule `r1` names client group `operators`, which is not defined (expected one of: hmi)"),
    (45, "unknown operation class `wrte` in rule `r1` (did you mean `write`?)"),
    (46, "rule `r1` names tag `levl`, which is not defined (did you mean `level_sp`?)"),
    (47, "rule `r1` names window `never`, which is not defined (expected one of: once, weekend)"),
    (
        48,
        "unknown key `colour` in a rule (expected one of: name, action, clients, operations, functions, assets, tags, ranges, windows, mode, exception, description)",
    ),
    (49, "`default` names a built-in rule: choose another name"),
    (51, "a rule or interlock `r1` is already defined (line 43)"),
    (53, "`require` of interlock `r1`, column 1: `and` needs true/false (`pump_run` is a number)"),
    (
        57,
        "`require` of interlock `i2`, column 1: the condition must be true or false, not a number",
    ),
]


def test_every_error_is_reported_at_its_line_without_cascades() -> None:
    result = parse_policy(BAD, "bad.yaml")
    assert isinstance(result, list)
    assert [(e.line, e.message) for e in result] == BAD_ERRORS
    assert all(str(e).startswith(f"bad.yaml:{e.line}: ") for e in result)


def test_load_policy_raises_one_error_listing_them_all(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    error = caught.value
    assert isinstance(error, ConfigError) and isinstance(error, InterlockError)
    assert error.exit_status == 2
    lines = str(error).splitlines()
    assert lines[0] == f"the policy has {len(BAD_ERRORS)} errors:"
    assert lines[1:] == [f"{path}:{line}: {message}" for line, message in BAD_ERRORS]


def test_a_missing_or_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_policy(tmp_path / "absent.yaml")
    (tmp_path / "latin.yaml").write_bytes(b"default: deny # \xff\n")
    with pytest.raises(UsageError, match="cannot read it"):
        load_policy(tmp_path / "latin.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["p.yaml:1: the file is empty: a policy states at least `default`"]),
        ("assets: []\n", ["p.yaml:1: the policy has no `default`"]),
        ("default: maybe\n", ["p.yaml:1: `default` is `maybe` (expected one of: allow, deny)"]),
        ("default: deny\ndefault: allow\n", ["p.yaml:2: duplicate key `default` in the policy"]),
        (
            "default: [deny\n",
            ["p.yaml:2: not valid YAML: expected ',' or ']', but got '<stream end>'"],
        ),
        ("- default: deny\n", ["p.yaml:1: the policy must be a mapping, not a list"]),
        ("version: 2\ndefault: deny\n", ["p.yaml:1: version is 2, out of range (1..1)"]),
    ],
)
def test_top_level_mistakes(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_tags_of_one_asset_may_not_overlap() -> None:
    text = MINIMAL + "  - {name: level_sp, space: holding_registers, address: 2, type: float32}\n"
    text += "  - {name: other, space: holding_registers, address: 3}\n"
    assert errors(text) == [
        "p.yaml:8: tag `other` (holding_registers 3) overlaps tag `level_sp` "
        "(holding_registers 2-3, line 7)"
    ]


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("{name: t, space: holding_registers, address: 1, envelope: {min: 1, max: 0}}",
         "p.yaml:7: the envelope of tag `t` has min 1 above max 0"),
        ("{name: t, space: coils, address: 1, envelope: {max: 1}}",
         "p.yaml:7: tag `t` is a bool: `max` does not apply (use min_interval)"),
        ("{name: t, space: input_registers, address: 1, envelope: {max: 1}}",
         "p.yaml:7: tag `t` is in input_registers, which cannot be written: an envelope would never apply"),
        ("{name: t, space: holding_registers, address: 1, envelope: {max_rate: 0}}",
         "p.yaml:7: `max_rate` of tag `t` is 0: it must be above 0"),
        ("{name: t, space: holding_registers, address: 1, word_order: middle}",
         "p.yaml:7: the word order of tag `t` is `middle` (expected one of: big, little)"),
        ("{name: t, space: holding_registers, address: 65535, type: int32}",
         "p.yaml:7: tag `t` (int32) runs past address 65535"),
        ("{name: value, space: holding_registers, address: 1}",
         "p.yaml:7: `value` is a word of the interlock language, not a tag name"),
    ],
)  # fmt: skip
def test_tag_mistakes(tag: str, message: str) -> None:
    assert errors(MINIMAL + f"  - {tag}\n") == [message]


def test_several_assets_make_tags_name_theirs() -> None:
    text = MINIMAL.replace(
        "  - {name: plc, protocol: modbus, unit: 1}\n",
        "  - {name: plc, protocol: modbus, unit: 1}\n  - {name: plc2, protocol: modbus, unit: 2}\n",
    )
    assert errors(text) == [
        "p.yaml:6: tag `level` must name its `asset` (the policy has 2)",
        "p.yaml:7: tag `pump_run` must name its `asset` (the policy has 2)",
    ]


def test_two_assets_may_not_be_the_same_device() -> None:
    text = "default: allow\nassets:\n  - {name: a, protocol: modbus, unit: 1}\n"
    text += "  - {name: b, protocol: modbus, unit: 1}\n"
    assert errors(text) == ["p.yaml:4: asset `b` is modbus unit 1, already asset `a` (line 3)"]


def test_rules_and_interlocks() -> None:
    text = (
        MINIMAL
        + """\
windows:
  - {name: w, days: [mon-fri], start: "08:00", end: "17:00", utc_offset: "+25:00"}
rules:
  - name: r
    action: permit
    functions: [3, 300]
    ranges: [{space: holding_registers, start: 10, end: 5}]
interlocks:
  - name: i
    tag: pump_run
    tags: [pump_run]
    require: pump_run
  - name: j
    tag: pump_run
    when: value > 3
    require: level < 90 and
"""
    )
    assert errors(text) == [
        "p.yaml:8: `mon-fri` in window `w` is not a day (mon, tue, wed, thu, fri, sat, sun)",
        "p.yaml:8: the UTC offset of window `w` `+25:00` is not +HH:MM or -HH:MM",
        "p.yaml:11: the action of rule `r` is `permit` (expected one of: allow, deny)",
        "p.yaml:12: a function code of rule `r` is 300, out of range (0..255)",
        "p.yaml:13: a range of rule `r` ends (5) before it starts (10)",
        "p.yaml:15: interlock `i` guards writes to one `tag` or a list of `tags` (give one of them)",
        "p.yaml:21: `when` of interlock `j`, column 1: `>` needs a number (`value` is a bool)",
        "p.yaml:22: `require` of interlock `j`, column 15: the expression ends too early",
    ]


def test_names_and_words_are_closed_sets() -> None:
    text = (
        MINIMAL
        + """\
rules:
  - {name: r, clients: [10.0.0.300], operations: any, assets: [plc], mode: monitr}
"""
    )
    assert errors(text) == [
        "p.yaml:8: `10.0.0.300` is not an IP address or network (such as 10.20.0.0/24)",
        "p.yaml:8: the mode of rule `r` is `monitr` (did you mean `monitor`?)",
    ]

"""Loading rule packs: every error names its file and line, the collect mode reports them
all, nothing is half-loaded, and --rules adds to or replaces the shipped rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interlock.detect import kinds
from interlock.detect.hits import FlowSeen, Hit, PlantContext, RuleInfo
from interlock.detect.loader import RuleLoadError, check_rules, load_rules, shipped_dir
from interlock.errors import ConfigError
from interlock.model import Transaction

GOOD = """\
rules:
  - id: site.modbus.write_to_plc
    title: Writes to the PLC
    severity: medium
    techniques: [T0855]
    match:
      protocol: modbus
      function: [5, 6, 15, 16]
"""


def pack(tmp_path: Path, text: str, name: str = "site.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def errors(tmp_path: Path, text: str) -> list[str]:
    rules, found = check_rules(pack(tmp_path, text))
    assert rules is None, "expected errors"
    return [str(e) for e in found]


def test_the_shipped_packs_load() -> None:
    rules = load_rules()
    assert len(rules.rules) >= 50
    assert all(r.source.startswith(str(shipped_dir())) for r in rules.rules)
    assert len(rules.index) == len([r for r in rules.rules if r.match is not None])


def test_an_added_pack_adds_rules(tmp_path: Path) -> None:
    base = len(load_rules().rules)
    rules = load_rules(pack(tmp_path, GOOD))
    assert len(rules.rules) == base + 1
    added = rules.get("site.modbus.write_to_plc")
    assert added is not None and added.where == f"{tmp_path / 'site.yaml'}:2"


def test_a_rule_with_a_shipped_id_replaces_it(tmp_path: Path) -> None:
    text = GOOD.replace("site.modbus.write_to_plc", "ics.s7.plc_stop") + "    enabled: false\n"
    rules = load_rules(pack(tmp_path, text))
    replaced = rules.get("ics.s7.plc_stop")
    assert replaced is not None and not replaced.enabled and replaced.info.severity == "medium"
    assert "ics.s7.plc_stop" not in {r.info.id for r in rules.enabled}


def test_every_error_is_reported_at_its_line(tmp_path: Path) -> None:
    text = """\
rules:
  - id: Site.Bad
    title: x
    severity: urgent
    techniques: [T0855, T9999, T1692.001]
    match:
      protocol: modbuss
      function: read
      colour: red
  - id: site.two
    title: both kinds
    severity: low
    techniques: []
    match: {protocol: modbus}
    detector: scan
  - id: site.three
    title: a bad detail operator and placeholder
    severity: low
    techniques: [T0888]
    message: "{clinet} did it"
    match:
      protocol: dnp3
      details:
        iin: {contains: device_restart}
"""
    found = errors(tmp_path, text)
    source = str(tmp_path / "site.yaml")
    expected = [
        (2, "rule id `Site.Bad` must be lower-case dotted words"),
        (4, "unknown severity `urgent`"),
        (5, "T9999 is not an ATT&CK for ICS v18.1 technique"),
        (5, "T1692.001 is a v19 id; rules name v18.1 ids (T0855)"),
        (7, "unknown protocol `modbuss` (did you mean `modbus`?)"),
        (8, "function must be an integer"),
        (9, "unknown key `colour` in `match`"),
        (10, "a rule has either `match:` or `detector:`"),
        (13, "a rule names at least one ATT&CK for ICS technique"),
        (15, "unknown detector kind `scan`"),
        (20, "unknown placeholder {clinet} (did you mean `client`?)"),
        (24, "the condition on `iin` is a value, a list, or one operator"),
    ]
    for line, message in expected:
        assert any(e.startswith(f"{source}:{line}: ") and message in e for e in found), (
            line,
            message,
            found,
        )
    assert len(found) == len(expected), found


def test_without_collect_the_first_error_is_raised_with_the_count_of_the_rest(
    tmp_path: Path,
) -> None:
    text = GOOD.replace("medium", "urgent").replace("T0855", "T9999")
    with pytest.raises(RuleLoadError) as raised:
        load_rules(pack(tmp_path, text))
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'site.yaml'}:4: unknown severity `urgent`")
    assert "(1 more: interlock rules check --collect)" in message
    assert len(raised.value.errors) == 2


def test_syntax_errors_duplicates_and_empty_files(tmp_path: Path) -> None:
    assert errors(tmp_path, "rules: [\n  - id: x\n") == [
        f"{tmp_path / 'site.yaml'}:2: not valid YAML: expected the node content, but found '-'"
    ]
    assert errors(tmp_path, "") == [
        f"{tmp_path / 'site.yaml'}:1: the file is empty: expected a mapping with `rules`"
    ]
    twice = GOOD + GOOD.removeprefix("rules:\n")
    assert errors(tmp_path, twice) == [
        f"{tmp_path / 'site.yaml'}:9: rule `site.modbus.write_to_plc` is already defined at "
        f"{tmp_path / 'site.yaml'}:2"
    ]


def test_a_directory_loads_its_packs_but_not_their_tests(tmp_path: Path) -> None:
    pack(tmp_path, GOOD, "a.yaml")
    pack(tmp_path, "cases: []\n", "a.tests.yaml")
    rules = load_rules(tmp_path)
    assert rules.get("site.modbus.write_to_plc") is not None


def test_a_missing_path_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such rule pack or directory"):
        load_rules(tmp_path / "nope.yaml")


class CountingDetector:
    """A behavioural detector (as the behave helper registers them): hits every write."""

    def __init__(self, info: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        if not isinstance(params.get("threshold"), int) or params["threshold"] < 1:
            raise kinds.RuleParamError("threshold", "threshold must be a positive integer")
        self.info = info

    def transaction(self, tx: Transaction) -> list[Hit]:
        if tx.operation.value != "write":
            return []
        return [
            Hit(self.info, tx.protocol, tx.client, tx.server, tx.request_ts or 0.0,
                tx.request_frame or 0, "succeeded", "a write")
        ]  # fmt: skip

    def flow(self, flow: FlowSeen) -> list[Hit]:
        return []

    def finish(self) -> list[Hit]:
        return []


def test_detector_kinds_plug_in_and_report_bad_params_at_their_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(kinds.DETECTOR_KINDS, "counting", CountingDetector)
    text = """\
rules:
  - id: site.counting
    title: counting
    severity: low
    techniques: [T0806]
    detector: counting
    params:
      threshold: 0
"""
    assert errors(tmp_path, text) == [
        f"{tmp_path / 'site.yaml'}:8: params of `counting`: threshold must be a positive integer"
    ]
    rules = load_rules(pack(tmp_path, text.replace("threshold: 0", "threshold: 3")))
    rule = rules.get("site.counting")
    assert rule is not None and rule.kind == "counting" and rule.params == {"threshold": 3}
    assert [type(d).__name__ for _r, d in rules.detectors(None)] == ["CountingDetector"]  # type: ignore[arg-type]

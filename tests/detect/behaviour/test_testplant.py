"""A rule test case's `plant:`: what it makes the plant context answer, and its errors."""

from __future__ import annotations

from interlock.detect.loader import load_rules
from interlock.detect.testing import read_cases

CASE = """\
cases:
  - rule: behaviour.impair.command-outside-conduits
    name: plant
    plant:
      assets:
        10.10.0.5: {purdue_level: 1, zone: cell-a, roles: [plc]}
        10.30.0.9: {zone: enterprise}
      conduits:
        - {client: 10.30.0.9, server: 10.10.0.5, protocol: modbus, allows: false}
        - {client: 10.30.0.9, server: 10.10.0.5, allows: true}
    expect: []
"""


def test_a_plant_answers_assets_and_conduit_verdicts() -> None:
    [case], errors = read_cases(CASE, "t.tests.yaml", load_rules())
    assert errors == [] and case.plant is not None
    plc = case.plant.asset_at("10.10.0.5")
    assert plc is not None and (plc.id, plc.purdue_level, plc.zone, plc.roles) == (
        1, 1.0, "cell-a", ("plc",),
    )  # fmt: skip
    assert case.plant.asset_at("10.99.0.1") is None
    assert case.plant.conduit_allows("10.30.0.9", "10.10.0.5", "modbus", "write") is False
    assert case.plant.conduit_allows("10.30.0.9", "10.10.0.5", "s7comm", "write") is True
    assert case.plant.conduit_allows("10.10.0.5", "10.30.0.9", "modbus", "write") is None


def test_plant_errors_are_reported_at_their_lines() -> None:
    text = (
        CASE.replace("purdue_level: 1,", "purdue_level: high,")
        .replace("{zone: enterprise}", "{zone: enterprise, colour: red}")
        .replace("protocol: modbus, allows: false", "protocol: modbus")
    )
    cases, errors = read_cases(text, "t.tests.yaml", load_rules())
    assert cases == []
    found = {(e.line, e.message.split(" (")[0]) for e in errors}
    assert (6, "purdue_level must be a number >= 0, not a string") in found
    assert any(line == 7 and "unknown key `colour`" in message for line, message in found)
    assert any(line == 9 and "has no `allows`" in message for line, message in found)

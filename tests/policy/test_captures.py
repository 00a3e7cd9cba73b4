"""The committed tank captures are what their scenarios produce: re-recording them with
real pymodbus clients and server gives the same bytes."""

from __future__ import annotations

import pytest

from policy.tank_traffic import SCENARIOS, record


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_recording_the_scenario_again_reproduces_the_committed_capture(name: str) -> None:
    scenario = SCENARIOS[name]()
    assert record(scenario) == scenario.path.read_bytes(), (
        f"re-record with: PYTHONPATH=src:tests python -m policy.tank_traffic ({scenario.path})"
    )

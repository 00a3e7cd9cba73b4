"""Public captures (read in place from ../shared/corpus): a baseline learned from a capture
finds nothing in it; learned from its first half, it finds only what comes later."""

from __future__ import annotations

import pytest

from detect.baseline.helpers import compare, found, learn, reloaded
from tests_support import corpus_dir

CAPTURES = [
    "modbus/iti_modbustcp_write_heavy.pcap",
    "dnp3/icsnpp_dnp3_example.pcap",
    "modbus/iti_modbus_test_data_part1.pcap",
]


@pytest.mark.parametrize("name", CAPTURES)
def test_a_capture_does_not_deviate_from_its_own_baseline(name: str) -> None:
    capture = corpus_dir() / "pcaps" / name
    baseline = reloaded(learn(capture))
    assert baseline.talkers and baseline.points
    assert compare(baseline, capture).total() == 0


@pytest.mark.parametrize("name", CAPTURES)
def test_learned_on_the_first_half_only_the_second_half_deviates(name: str) -> None:
    capture = corpus_dir() / "pcaps" / name
    [record] = learn(capture).captures
    assert record.first_seen is not None and record.last_seen is not None
    middle = (record.first_seen + record.last_seen) / 2
    deviations = compare(reloaded(learn(capture, end=middle)), capture)
    assert deviations.total() > 0
    for deviation in deviations.found.values():
        assert deviation.first.ts > middle, deviation.first.message


def test_a_dnp3_master_that_starts_operating_is_an_unknown_command() -> None:
    capture = corpus_dir() / "pcaps" / "dnp3" / "icsnpp_dnp3_example.pcap"
    [record] = learn(capture).captures
    assert record.first_seen is not None and record.last_seen is not None
    middle = (record.first_seen + record.last_seen) / 2
    deviations = found(compare(reloaded(learn(capture, end=middle)), capture))
    master = "talker:10.10.20.5->10.10.20.8:dnp3"
    assert deviations[("baseline.unknown_client_command", master)] > 0
    assert deviations[("baseline.new_address_range",
                       "points:10.10.20.8:dnp3/5/binary_output_commands:write")] > 0  # fmt: skip

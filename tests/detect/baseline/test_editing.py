"""The baseline file as people use it: edit a range or add a talker and detection follows;
mark an entry `manual` and re-learning leaves it alone; write exclusions first and
learning and detection both skip that traffic."""

from __future__ import annotations

from pathlib import Path

from detect.baseline import plant
from detect.baseline.helpers import compare, found, learn, reloaded
from detect.baseline.test_plant import EXPECTED, SETPOINT
from interlock.detect.baseline import Baseline, parse_baseline, to_yaml

SETPOINT_LINE = "    1: {min: 500, max: 500, count: 180}\n"
READER_TALKER = f"""\
- client: {plant.READER}
  server: {plant.PLC}
  protocol: modbus
  functions:
    read_holding_registers: 0
  note: the historian, added by hand
"""


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def parsed(text: str) -> Baseline:
    result = parse_baseline(text, "baseline.yaml")
    assert isinstance(result, Baseline), [str(e) for e in result]
    return result


def test_manual_edits_are_honoured_and_kept(normal_capture: Path, attack_capture: Path) -> None:
    text = to_yaml(learn(normal_capture))
    text = edited(text, SETPOINT_LINE, "    1: {min: 0, max: 10000, count: 180, manual: true}\n")
    text = edited(text, "\npoints:\n", "\n" + READER_TALKER + "points:\n")
    baseline = parsed(text)
    remaining = set(EXPECTED) - {
        ("baseline.value_out_of_range", SETPOINT),
        ("baseline.new_talker", f"talker:{plant.READER}->{plant.PLC}:modbus"),
    }
    assert set(found(compare(baseline, attack_capture))) == remaining

    relearned = reloaded(learn(attack_capture, baseline=baseline))
    point = relearned.values[(plant.PLC, "modbus", 1, "holding_registers", "write")].points[1]
    assert (point.min, point.max, point.count, point.manual) == (0, 10000, 180, True)
    reader = relearned.talkers[(plant.READER, plant.PLC, "modbus")]
    assert [(f.name, f.code, f.count) for f in reader.functions] == [
        ("read_holding_registers", None, 1)
    ]
    assert reader.note == "the historian, added by hand"
    assert compare(relearned, attack_capture).total() == 0


def test_without_manual_re_learning_widens_an_edit(
    normal_capture: Path, attack_capture: Path
) -> None:
    text = edited(to_yaml(learn(normal_capture)), SETPOINT_LINE, "    1: {min: 500, max: 400}\n")
    assert "min 500 is above max 400" in str(parse_baseline(text, "b.yaml"))
    text = text.replace("    1: {min: 500, max: 400}\n", "    1: {min: 400, max: 450}\n")
    relearned = learn(attack_capture, baseline=parsed(text))
    point = relearned.values[(plant.PLC, "modbus", 1, "holding_registers", "write")].points[1]
    assert (point.min, point.max) == (400, 9999)  # what was written, and what was seen since


def test_exclusions_written_first_shape_learning_and_detection(
    normal_capture: Path, attack_capture: Path
) -> None:
    text = f"""\
version: 1
exclusions:
- id: exclusion:pen-test
  reason: the red team's laptop
  client: {plant.ROGUE}
- id: exclusion:burst
  client: {plant.HMI}
  function: read_holding_registers
  rules: [baseline.rate_change]
"""
    baseline = learn(normal_capture, baseline=parsed(text))
    out = to_yaml(baseline)
    assert "exclusion:pen-test" in out and "- id: exclusion:burst" in out
    deviations = found(compare(reloaded(baseline), attack_capture))
    assert set(deviations) == set(EXPECTED) - {
        ("baseline.unknown_client_command", f"talker:{plant.ROGUE}->{plant.PLC}:modbus"),
        ("baseline.value_out_of_range", SETPOINT),
        ("baseline.rate_change", next(k[1] for k in EXPECTED if k[0] == "baseline.rate_change")),
    }
    relearned = learn(attack_capture, baseline=reloaded(baseline))
    assert (plant.ROGUE, plant.PLC, "modbus") not in relearned.talkers


def test_a_learned_file_reads_back_to_the_same_bytes(normal_capture: Path) -> None:
    text = to_yaml(learn(normal_capture))
    assert to_yaml(parsed(text)) == text
    assert text.startswith("# Interlock baseline")
    assert "- id: talker:10.20.0.1->10.10.0.5:modbus\n" in text
    assert "    read_holding_registers[3]:read: 180\n" in text
    assert (
        "    read_holding_registers[3]:read: {minutes: 4, min: 30, median: 30, max: 30, "
        "histogram: {30: 4}}\n" in text
    )

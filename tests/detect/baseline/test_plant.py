"""The recorded plant end to end: a baseline learned from six minutes of an HMI polling a
PLC (real pymodbus) finds nothing in that capture, and exactly the planted deviations, each
naming its baseline entry, in a capture with a rogue client, a burst, a new function, a
write to a new register and a new client."""

from __future__ import annotations

from pathlib import Path

from detect.baseline import plant
from detect.baseline.helpers import compare, found, learn, reloaded
from interlock.detect.baseline import to_yaml

HMI_PLC = f"talker:{plant.HMI}->{plant.PLC}:modbus"
READS = f"rate:{plant.HMI}->{plant.PLC}:modbus/read_holding_registers[3]:read"
SETPOINT = f"value:{plant.PLC}:modbus/1/holding_registers/1:write"
WRITES = f"points:{plant.PLC}:modbus/1/holding_registers:write"
EXPECTED = {
    ("baseline.rate_change", READS): 1,
    ("baseline.unknown_client_command", f"talker:{plant.ROGUE}->{plant.PLC}:modbus"): 1,
    ("baseline.value_out_of_range", SETPOINT): 1,
    ("baseline.new_function", HMI_PLC): 1,
    ("baseline.new_address_range", WRITES): 1,
    ("baseline.new_talker", f"talker:{plant.READER}->{plant.PLC}:modbus"): 1,
}


def test_the_learned_baseline_describes_the_polling(normal_capture: Path) -> None:
    baseline = learn(normal_capture)
    [talker] = baseline.talkers.values()
    assert talker.id == HMI_PLC
    assert {(f.name, f.count) for f in talker.functions} == {
        ("read_holding_registers", 180), ("read_coils", 180), ("write_single_register", 180),
    }  # fmt: skip
    writes = baseline.points[(plant.PLC, "modbus", 1, "holding_registers", "write")]
    assert writes.ranges == [(1, 1)]
    setpoint = baseline.values[(plant.PLC, "modbus", 1, "holding_registers", "write")].points[1]
    assert (setpoint.min, setpoint.max, setpoint.count) == (500, 500, 180)
    rates = baseline.rates[(plant.HMI, plant.PLC, "modbus")]
    per_minute = {key[2]: (r.windows, r.min, r.median, r.max) for key, r in rates.items()}
    # Six minutes from 0.5 s past a minute: minutes 1-4 are full, 30 polls each.
    assert per_minute == {name: (4, 30, 30, 30) for name in
                          ("read_holding_registers", "read_coils", "write_single_register")}  # fmt: skip


def test_a_capture_does_not_deviate_from_its_own_baseline(
    normal_capture: Path, attack_capture: Path
) -> None:
    for capture in (normal_capture, attack_capture):
        assert compare(reloaded(learn(capture)), capture).total() == 0


def test_the_planted_deviations_and_nothing_else(
    normal_capture: Path, attack_capture: Path
) -> None:
    deviations = compare(reloaded(learn(normal_capture)), attack_capture)
    assert found(deviations) == EXPECTED
    hits = {d.first.rule.id: d.first for d in deviations.found.values()}

    command = hits["baseline.unknown_client_command"]
    assert command.rule.techniques == ("T0848", "T0855")
    assert command.src.ip == plant.ROGUE and command.outcome == "succeeded"
    assert command.details["entry_learned"] is False
    assert command.details["learned"]["commanders"] == [plant.HMI]

    value = hits["baseline.value_out_of_range"]
    assert value.src.ip == plant.ROGUE and value.rule.techniques == ("T0836",)
    assert value.details["learned"] == {"min": 500, "max": 500}
    assert value.details["observed"] == 9999
    assert "9999" in value.message and "500..500" in value.message

    rate = hits["baseline.rate_change"]
    assert rate.details["learned"]["max"] == 30 and rate.details["learned"]["factor"] == 3
    # Minute 2: 30 polls and 20 bursts of 5 reads.
    assert rate.details["observed"]["per_minute"] == 130
    assert rate.details["observed"]["change"] == "up"
    assert rate.ts == (int(plant.START) // 60 + 2) * 60

    function = hits["baseline.new_function"]
    assert function.details["observed"]["function"] == "report_server_id[17]:identity"
    assert function.rule.techniques == ("T0888",)

    where = hits["baseline.new_address_range"]
    assert where.details["learned"] == [[1, 1]] and where.details["observed"] == [[50, 50]]
    assert where.rule.severity == "high"

    talker = hits["baseline.new_talker"]
    assert talker.src.ip == plant.READER and talker.rule.techniques == ("T0801",)
    assert talker.details["learned"]["talkers"] == [HMI_PLC]


def test_learning_is_deterministic(normal_capture: Path, attack_capture: Path) -> None:
    first = to_yaml(learn(normal_capture, attack_capture))
    assert to_yaml(learn(normal_capture, attack_capture)) == first
    assert to_yaml(reloaded(learn(normal_capture, attack_capture))) == first


def test_learning_both_captures_leaves_only_what_is_new_since(
    normal_capture: Path, attack_capture: Path
) -> None:
    baseline = reloaded(learn(normal_capture, attack_capture))
    assert compare(baseline, normal_capture, attack_capture).total() == 0
    assert len(baseline.talkers) == 3

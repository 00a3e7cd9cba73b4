"""Each attack scenario executed against the real pymodbus PLC server on loopback: what it
sent, what came back, and what it did to the PLC."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from interlock.sim.tank import registers as reg
from interlock.sim.tank.plant import Plant
from interlock.sim.tank.recorder import RecordingRelay
from interlock.sim.tank.runner import quiet_pymodbus
from interlock.sim.tank.scenarios import SCENARIOS, ScenarioRecord, run_scenario
from interlock.sim.tank.server import PlcServer


def attack(name: str, relay: RecordingRelay | None = None) -> tuple[ScenarioRecord, Plant]:
    async def main() -> tuple[ScenarioRecord, Plant]:
        server = PlcServer(Plant(restart_s=3600.0), speed=100.0)
        await server.start()
        host, port = "127.0.0.1", server.port
        if relay is not None:
            host, port = await relay.open("T-101", (host, port))
        try:
            plant = server.plant
            record = await run_scenario(SCENARIOS[name], host, port, lambda: plant.now)
        finally:
            if relay is not None:
                await relay.close()
            await server.stop()
        return record, server.plant

    with quiet_pymodbus():
        return asyncio.run(main())


def outcomes(record: ScenarioRecord) -> list[tuple[int, str]]:
    return [(s.exchange.function, s.exchange.outcome) for s in record.steps]


def test_every_scenario_is_named_and_mapped_to_attack_for_ics() -> None:
    assert list(SCENARIOS) == [
        "out_of_range_setpoint", "too_large_step", "rapid_toggling", "interlock_violation",
        "unknown_client_write", "diagnostics", "restart",
    ]  # fmt: skip
    assert all(s.technique.startswith("T08") for s in SCENARIOS.values())


def test_out_of_range_setpoint_lands_on_an_unprotected_plc() -> None:
    record, plant = attack("out_of_range_setpoint")
    assert outcomes(record) == [(6, "ok")]
    assert record.steps[0].exchange.values == (1200,)
    assert plant.inputs.level_sp == 120.0


def test_too_large_step_reads_then_jumps() -> None:
    record, plant = attack("too_large_step")
    assert outcomes(record) == [(3, "ok"), (6, "ok")]
    assert [s.attack for s in record.steps] == [False, True]
    assert "from 50 % to 85 %" in record.steps[1].exchange.what
    assert plant.inputs.level_sp == 85.0


def test_rapid_toggling_starts_the_pump_six_times() -> None:
    record, plant = attack("rapid_toggling")
    assert outcomes(record) == [(5, "ok")] * 12
    assert plant.state.start_count == 6
    assert plant.inputs.pump_run
    assert len(plant.state.starts) > plant.params.max_starts  # the over-start condition


def test_interlock_violation_leaves_the_inlet_open_with_the_pump_stopped() -> None:
    record, plant = attack("interlock_violation")
    assert outcomes(record) == [(5, "ok")] * 3
    assert [s.attack for s in record.steps] == [False, False, True]
    assert plant.coils() == [False, True, True]


def test_unknown_client_writes_from_its_own_address(tmp_path: Path) -> None:
    relay = RecordingRelay({"T-101": "10.10.0.5"})
    record, plant = attack("unknown_client_write", relay)
    assert record.source == "127.0.0.2" and record.client.startswith("127.0.0.2:")
    assert outcomes(record) == [(6, "ok")]
    assert plant.inputs.level_sp == 95.0
    assert [c.client[0] for c in relay.connections] == ["127.0.0.2"]


def test_diagnostics_silence_the_plc() -> None:
    record, plant = attack("diagnostics")
    assert outcomes(record) == [(8, "no_response")]  # listen-only: by the book, no reply
    assert plant.listen_only


def test_restart_is_answered_then_the_plc_restarts() -> None:
    record, plant = attack("restart")
    assert outcomes(record) == [(8, "ok")]
    assert [kind for _, kind in plant.plc_events] == ["restart"]
    assert not plant.inputs.pump_run


def test_scenario_record_document_marks_the_attack_requests() -> None:
    record, _ = attack("interlock_violation")
    doc = record.document()
    assert doc["attack_requests"] == 1 and doc["refused"] == 0
    assert [r["attack"] for r in doc["requests"]] == [False, False, True]
    assert doc["requests"][2] | {"latency_ms": None} == {
        "function": 5, "address": reg.INLET_VALVE_OPEN, "values": [1],
        "what": "open the inlet valve with the pump stopped", "outcome": "ok",
        "exception_code": None, "latency_ms": None, "attack": True,
    }  # fmt: skip


@pytest.mark.parametrize("name", ["out_of_range_setpoint"])
def test_recorded_traffic_dissects_as_modbus(name: str, tmp_path: Path) -> None:
    from interlock import dissect as job
    from interlock.capture import open_capture
    from interlock.transactions import TransactionSink

    relay = RecordingRelay({"T-101": "10.10.0.11"})
    attack(name, relay)
    path = tmp_path / "attack.pcap"
    frames = relay.write(path, {"127.0.0.1": "10.20.0.10"})
    assert frames >= 8  # handshake, request, response, teardown
    seen = []
    job.run(open_capture(path), TransactionSink(seen.append), {})
    assert [(t.function, t.status) for t in seen] == [(6, "ok")]
    assert (seen[0].client.ip, seen[0].server) == ("10.20.0.10", ("10.10.0.11", 502))

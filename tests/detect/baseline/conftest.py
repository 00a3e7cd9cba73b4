"""Captures of the recorded plant (plant.py), made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from detect.baseline import plant


@pytest.fixture(scope="session")
def chunks() -> dict[str, list[plant.Chunk]]:
    scripts = {
        "poll": plant.poll,
        "burst": plant.burst,
        "rogue_write": plant.rogue_write,
        "identify": plant.identify,
        "far_write": plant.far_write,
        "read_only": plant.read_only,
    }
    return {name: plant.recorded(script) for name, script in scripts.items()}


@pytest.fixture(scope="session")
def normal_capture(tmp_path_factory: pytest.TempPathFactory, chunks: dict) -> Path:
    """Six minutes of the HMI polling the PLC, nothing else."""
    path = tmp_path_factory.mktemp("plant") / "normal.pcap"
    return plant.write_capture(path, [plant.polling(chunks["poll"])])


@pytest.fixture(scope="session")
def attack_capture(tmp_path_factory: pytest.TempPathFactory, chunks: dict) -> Path:
    """The same polling, plus: a burst of reads in minute 2, a rogue client writing 9999 to
    the setpoint, the HMI asking the PLC's identity and writing register 50, and a new
    client reading."""
    start = plant.START
    hmi = plant.polling(chunks["poll"])
    for i in range(20):
        hmi.at(start + 120 + 1 + i * plant.CYCLE, chunks["burst"])
    hmi.at(start + 201, chunks["identify"]).at(start + 211, chunks["far_write"])
    rogue = plant.Session(plant.ROGUE, 41000).at(start + 151, chunks["rogue_write"])
    reader = plant.Session(plant.READER, 42000).at(start + 221, chunks["read_only"])
    path = tmp_path_factory.mktemp("plant") / "attack.pcap"
    return plant.write_capture(path, [hmi, rogue, reader])

"""brute_force_io: one point written over and over or flipped, per client and server."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pymodbus.client import AsyncModbusTcpClient

from detect.behaviour.builders import detector, tx
from detect.behaviour.replay import Plant, feed, replay
from interlock.detect.behaviour import KINDS
from interlock.detect.engine import sharing
from interlock.detect.hits import RuleInfo
from interlock.model import Target, Transaction
from interlock.sim import modbus_session

COIL = (Target(1, "coils", 3, 1),)


def _write(ts: float, value: int, target: tuple[Target, ...] = COIL, frame: int = 1) -> Transaction:
    return tx("modbus", "write_single_coil", "10.0.0.9:40000", "10.0.1.1:502", ts,
              operation="write", targets=target, values=(value,), frame=frame)  # fmt: skip


def test_a_heartbeat_toggling_once_a_second_is_not_brute_force() -> None:
    brute = detector("brute_force_io", {"window": 10, "min_writes": 30, "min_toggles": 20})
    heartbeat = [_write(100.0 + i, i % 2) for i in range(600)]
    setpoint = [
        _write(100.5 + i * 0.5, 42, (Target(1, "holding_registers", 7, 1),)) for i in range(600)
    ]
    assert feed(brute, heartbeat + setpoint) == []


def test_rapid_toggling_fires_on_flips_before_the_write_count() -> None:
    brute = detector("brute_force_io", {"window": 10, "min_writes": 30, "min_toggles": 20})
    items = [_write(100.0 + i * 0.2, i % 2, frame=i) for i in range(60)]  # 5 Hz flips
    hits = feed(brute, items)
    first = hits[0]
    assert first.details["toggles"] == 20 and first.details["writes"] == 22
    assert first.details["distinct_values"] == 1  # counted from the crossing on
    assert (first.details["space"], first.details["start"], first.details["unit"]) == (
        "coils",
        3,
        1,
    )
    assert "flipping its value 20 times" in first.message
    assert first.outcome == "succeeded"
    assert [h.details["report"] for h in hits] == list(range(1, len(hits) + 1))


def test_the_same_value_written_fast_fires_on_writes() -> None:
    brute = detector("brute_force_io", {"window": 10, "min_writes": 30})
    items = [_write(100.0 + i * 0.01, 1, frame=i) for i in range(30)]
    [hit] = feed(brute, items)
    assert hit.details["writes"] == 30 and hit.details["toggles"] == 0
    assert "flipping" not in hit.message


def test_a_flip_only_rule_ignores_the_same_value_written_fast() -> None:
    flips = detector("brute_force_io", {"min_toggles": 20})
    assert feed(flips, [_write(100.0 + i * 0.01, 1) for i in range(200)]) == []
    hits = feed(flips, [_write(200.0 + i * 0.01, i % 2, frame=i) for i in range(22)])
    # The write at frame 1 is the first flip back (1, 0, 1): the 20th flip is frame 20.
    assert [h.frame for h in hits] == [20] and hits[0].details["toggles"] == 20


def test_points_are_told_apart_and_bounded() -> None:
    brute = detector("brute_force_io", {"min_writes": 30, "max_points": 4})
    spread = [
        _write(1.0 + i * 0.01, 1, (Target(1, "coils", i % 40, 1),)) for i in range(1000)
    ]  # 1000 writes, spread over 40 coils: 25 each
    assert feed(brute, spread) == []
    points, first_writes = brute.points, brute.first_writes  # type: ignore[attr-defined]
    # Each coil's next write comes 39 new points later: forgotten by then, never followed.
    assert len(points) == 0 and len(first_writes) <= 4 and first_writes.evicted > 900

    few = [_write(20.0 + i * 0.01, 1, (Target(1, "coils", i % 3, 1),)) for i in range(75)]
    assert feed(brute, few) == []  # three coils, 25 writes each: under 30
    assert len(points) == 3
    more = [_write(21.0 + i * 0.01, 1, (Target(1, "coils", 0, 1),), i) for i in range(5)]
    [hit] = feed(brute, more)
    assert (hit.details["start"], hit.details["writes"], hit.frame) == (0, 30, 4)


def test_reads_and_lone_responses_are_not_writes() -> None:
    brute = detector("brute_force_io", {"min_writes": 2, "min_toggles": 2})
    read = tx("modbus", "read_coils", "10.0.0.9:1", "10.0.1.1:502", 1.0, targets=COIL)
    lone = tx("modbus", "write_single_coil", "10.0.0.9:1", "10.0.1.1:502", 1.0,
              operation="write", targets=COIL, request=False, status="unknown")  # fmt: skip
    assert feed(brute, [read, read, lone, lone]) == []


async def _hammer(client: AsyncModbusTcpClient) -> None:
    """A tool flipping one coil as fast as the PLC answers, then a normal poll."""
    for i in range(40):
        await client.write_coil(3, bool(i % 2), device_id=1)
    await client.read_coils(0, count=8, device_id=1)


def test_a_real_pymodbus_client_flipping_a_coil(tmp_path: Path) -> None:
    chunks = asyncio.run(modbus_session.record(_hammer))
    capture = tmp_path / "hammer.pcap"
    modbus_session.write_capture(capture, chunks)
    hits = replay(capture, [detector("brute_force_io", {"min_toggles": 20})])
    assert hits, "40 writes flipping coil 3 within a second"
    first = hits[0]
    assert first.protocol == "modbus" and first.dst.port == 502
    assert (first.details["space"], first.details["start"]) == ("coils", 3)
    assert first.details["toggles"] == 20 and first.outcome == "succeeded"
    assert "threshold: 20 flips per 10 s" in first.message


def test_a_threshold_of_one_write_fires_on_the_first_write() -> None:
    # Points are kept as (time, value) until their second write, unless one write can fire.
    once = detector("brute_force_io", {"window": 10, "min_writes": 1})
    [hit] = feed(once, [_write(100.0, 1)])
    assert hit.details["writes"] == 1


def test_a_second_write_counts_the_first_one() -> None:
    twice = detector("brute_force_io", {"window": 10, "min_writes": 2, "min_toggles": 1})
    assert feed(twice, [_write(100.0, 1)]) == []
    [hit] = feed(twice, [_write(100.5, 0, frame=2)])
    assert hit.details["writes"] == 2 and hit.details["toggles"] == 0

    flips = detector("brute_force_io", {"window": 10, "min_toggles": 1})
    assert feed(flips, [_write(100.0, 1), _write(100.5, 0, frame=2)]) == []
    [flip] = feed(flips, [_write(101.0, 1, frame=3)])  # A, B, A: back to the first value
    assert flip.details["toggles"] == 1 and flip.details["writes"] == 3


def test_rules_alike_share_one_detector_and_fire_as_their_own() -> None:
    flips = KINDS["brute_force_io"](_rule("flips"), {"min_toggles": 20}, Plant())
    writes = KINDS["brute_force_io"](_rule("writes"), {"min_writes": 30}, Plant())
    faster = KINDS["brute_force_io"](_rule("faster"), {"min_writes": 5, "window": 1}, Plant())
    items = [_write(300.0 + i * 0.01, i % 2, frame=i) for i in range(70)]
    alone = [feed(d, items) for d in (flips, writes, faster)]
    again = [KINDS["brute_force_io"](d.rule, dict(p), Plant()) for d, p in  # type: ignore[attr-defined]
             ((flips, {"min_toggles": 20}), (writes, {"min_writes": 30}),
              (faster, {"min_writes": 5, "window": 1}))]  # fmt: skip
    shared = sharing(again)
    assert shared == [again[0], again[2]]  # a window of 1 s follows points apart
    together = feed(shared[0], items) + feed(shared[1], items)
    assert sorted((h.rule.id, h.frame, h.message, str(h.details)) for h in together) == sorted(
        (h.rule.id, h.frame, h.message, str(h.details)) for run in alone for h in run
    )
    assert {h.rule.id for h in together} == {"flips", "writes", "faster"}


def _rule(name: str) -> RuleInfo:
    return RuleInfo(name, name, "medium", ("T0806",))

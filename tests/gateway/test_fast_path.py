"""The fast path: a ruling the core gave a request shape is reused for the same request from
the same client, only when the core says it depends on neither time nor process state, and
never past the policy that gave it; the audit records say exactly what the slow path says;
answers that read no tag are not observed, and those that do still teach the core."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.plant import (
    POLICY,
    PipelinedPlc,
    config,
    eventually,
    read_request,
    recv_frames,
    running,
    write_request,
)
from interlock.gateway import Gateway
from interlock.gateway.audit import read_records, verify_audit

VARYING = ("time", "seq", "hash", "transaction")
"""What two records of the same request from the same client may differ in."""


@pytest.fixture
def plc() -> Iterator[PipelinedPlc]:
    server = PipelinedPlc()
    yield server
    server.stop()


def connect(gateway: Gateway) -> socket.socket:
    assert gateway.address is not None
    return socket.create_connection(("127.0.0.1", gateway.address.port))


def ask(sock: socket.socket, frame: bytes) -> bytes:
    sock.sendall(frame)
    return recv_frames(sock, 1)[0]


def decisions(path: Path) -> list[dict[str, Any]]:
    return [r for r in read_records(path) if r["event"] == "decision"]


def same_request(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in VARYING}


class CountingCore:
    """The real core, counting what the gateway asks of it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.decided = 0
        self.observed = 0

    def decide(self, request: Any) -> Any:
        self.decided += 1
        return self.inner.decide(request)

    def observe(self, *args: Any) -> None:
        self.observed += 1
        self.inner.observe(*args)

    def memoizable(self, request: Any) -> bool:
        return bool(self.inner.memoizable(request))

    def teaches(self, request: Any) -> bool:
        return bool(self.inner.teaches(request))


def counting(gateway: Gateway) -> CountingCore:
    active = gateway.policy.active
    core = CountingCore(active.core)
    gateway.policy.active = dataclasses.replace(active, core=core)
    return core


def test_a_repeated_read_is_ruled_once_and_audited_as_the_first(
    plc: PipelinedPlc, tmp_path: Path
) -> None:
    with running(config(tmp_path, plc.port)) as gateway, connect(gateway) as sock:
        core = counting(gateway)
        answers = [ask(sock, read_request(trans_id, 1, 0, 2)) for trans_id in (7, 8, 9)]
        refused = [ask(sock, read_request(trans_id, 3, 0, 2)) for trans_id in (10, 11)]
        assert core.decided == 2  # one read allowed, one refused (unit 3 is no asset)
    assert [answer[:2] for answer in answers] == [b"\x00\x07", b"\x00\x08", b"\x00\x09"]
    assert all(answer[7:] == bytes([3, 4, 0, 0, 0, 1]) for answer in answers)
    assert refused[1][:2] == b"\x00\x0b" and refused[1][7:] == bytes([0x83, 0x02])
    records = decisions(tmp_path / "audit.jsonl")
    assert [r["transaction"] for r in records] == [7, 8, 9, 10, 11]
    assert same_request(records[0]) == same_request(records[1]) == same_request(records[2])
    assert same_request(records[3]) == same_request(records[4])
    assert (records[4]["verdict"], records[4]["action"]) == ("block", "refused")
    assert verify_audit(tmp_path / "audit.jsonl").intact


def test_a_reload_forgets_the_rulings_of_the_last_policy(plc: PipelinedPlc, tmp_path: Path) -> None:
    cfg = config(tmp_path, plc.port, watch_policy=False)
    with running(cfg) as gateway, connect(gateway) as sock:
        assert ask(sock, read_request(1, 1, 0, 2))[7] == 3
        assert ask(sock, read_request(2, 1, 0, 2))[7] == 3
        assert gateway.policy.active.known
        no_reads = POLICY.replace("operations: [read, write], assets: [tank-plc]",
                                  "operations: [write], assets: [tank-plc]")  # fmt: skip
        (tmp_path / "policy.yaml").write_text(no_reads)
        assert gateway.reload()
        assert ask(sock, read_request(3, 1, 0, 2))[7:] == bytes([0x83, 0x02])
    assert [r["rule"] for r in decisions(tmp_path / "audit.jsonl")] == [
        "hmi-tank",
        "hmi-tank",
        "default",
    ]


def test_writes_are_decided_every_time(plc: PipelinedPlc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port)) as gateway, connect(gateway) as sock:
        core = counting(gateway)
        for trans_id in (1, 2, 3):
            assert ask(sock, write_request(trans_id, 1, 0, 500))[7] == 6
        assert core.decided == 3
        assert not gateway.policy.active.known


def test_a_policy_with_time_windows_decides_every_time(plc: PipelinedPlc, tmp_path: Path) -> None:
    windowed = POLICY.replace(
        "rules:\n",
        "windows:\n  - {name: always, days: [mon, tue, wed, thu, fri, sat, sun],"
        ' start: "00:00", end: "23:59"}\nrules:\n',
    ).replace("assets: [tank-plc]}", "assets: [tank-plc], windows: [always]}")
    (tmp_path / "policy.yaml").write_text(windowed)
    with running(config(tmp_path, plc.port)) as gateway, connect(gateway) as sock:
        core = counting(gateway)
        for trans_id in (1, 2):
            ask(sock, read_request(trans_id, 1, 0, 2))
        assert core.decided == 2
        assert not gateway.policy.active.known


def test_answers_reading_no_tag_are_not_observed(plc: PipelinedPlc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port)) as gateway, connect(gateway) as sock:
        core = counting(gateway)
        for trans_id in (1, 2, 3):  # registers 10-11: no tag there
            ask(sock, read_request(trans_id, 1, 10, 2))
        # One thread serves the connection: once an answer is back, the answer before it
        # has been observed (or not). The first is observed (its shape was not yet known).
        assert core.observed == 1
        for trans_id in (4, 5, 6):  # registers 0-1: level_sp and pump_speed_sp
            ask(sock, read_request(trans_id, 1, 0, 2))
        ask(sock, read_request(7, 1, 10, 2))
        assert core.observed == 4
        assert core.inner.value_of("pump_speed_sp") == pytest.approx(0.1)


class VersionedCore(CountingCore):
    """The counting core with the real core's version: the gateway may then skip answers
    that would teach it nothing."""

    @property
    def version(self) -> int:
        return int(self.inner.version)


def test_the_same_answer_is_fed_again_only_once_the_core_may_have_changed(
    plc: PipelinedPlc, tmp_path: Path
) -> None:
    def level() -> Any:
        return core.inner.value_of("level_sp")

    with running(config(tmp_path, plc.port)) as gateway, connect(gateway) as sock:
        active = gateway.policy.active
        core = VersionedCore(active.core)
        gateway.policy.active = dataclasses.replace(active, core=core)
        for trans_id in (1, 2, 3):  # the same answer three times: learnt once
            ask(sock, read_request(trans_id, 1, 0, 2))
        assert eventually(lambda: core.observed == 1) and level() == 0.0
        plc.registers[1, 0] = 500  # the process moved: a new answer, learnt
        ask(sock, read_request(4, 1, 0, 2))
        assert eventually(lambda: level() == 50.0) and core.observed == 2
        plc.registers[1, 0] = 400  # another connection learns 40.0 ...
        with connect(gateway) as other:
            ask(other, read_request(1, 1, 0, 2))
        assert eventually(lambda: level() == 40.0) and core.observed == 3
        plc.registers[1, 0] = 500  # ... so this connection's last answer again is news
        ask(sock, read_request(5, 1, 0, 2))
        assert eventually(lambda: level() == 50.0) and core.observed == 4

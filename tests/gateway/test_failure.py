"""Fail-open and fail-closed, stated and shown: a decision core that raises, one that does
not answer within its budget, and an upstream that is gone."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.plant import POLICY, Plc, config, eventually, recv_frames, running, write_request
from interlock.gateway import Gateway
from interlock.gateway.audit import read_records


class RaisingCore:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def decide(self, request: Any) -> Any:
        raise RuntimeError("a bug in the decision core")

    def observe(self, *args: Any) -> None:
        self.inner.observe(*args)


class StuckCore:
    """Decides only once released: the watchdog must answer before that."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.release = threading.Event()
        self.entered = threading.Event()

    def decide(self, request: Any) -> Any:
        self.entered.set()
        self.release.wait(30)
        return self.inner.decide(request)

    def observe(self, *args: Any) -> None:
        self.inner.observe(*args)


@pytest.fixture
def plc() -> Iterator[Plc]:
    server = Plc().start()
    yield server
    server.stop()


def swap_core(gateway: Gateway, make: Any) -> Any:
    active = gateway.policy.active
    core = make(active.core)
    gateway.policy.active = dataclasses.replace(active, core=core)
    return core


def write(sock: socket.socket, trans_id: int, value: int) -> bytes:
    sock.sendall(write_request(trans_id, 1, 0, value))
    return recv_frames(sock, 1)[0]


def connect(gateway: Gateway) -> socket.socket:
    assert gateway.address is not None
    return socket.create_connection(("127.0.0.1", gateway.address.port))


def failures(path: Path) -> list[tuple[str, str, str]]:
    return [
        (r["failure"], r["verdict"], r["action"])
        for r in read_records(path)
        if r["event"] == "decision" and r["failure"]
    ]


@pytest.mark.parametrize("fail", ["closed", "open"])
def test_core_raising(plc: Plc, tmp_path: Path, fail: str) -> None:
    with running(config(tmp_path, plc.port, fail_mode=fail)) as gateway, connect(gateway) as sock:
        swap_core(gateway, RaisingCore)
        answer = write(sock, 1, 500)
        if fail == "closed":
            assert answer[7:] == bytes([0x86, 0x04])  # server device failure
            assert plc.register(1, 0) == 0
        else:
            assert answer[7] == 6
            assert plc.register(1, 0) == 500
        stats = gateway.snapshot()
    verdict = "block" if fail == "closed" else "alert"
    action = "refused" if fail == "closed" else "forwarded"
    assert failures(tmp_path / "audit.jsonl") == [("error", verdict, action)]
    # (A compiled policy adapter also refuses to feed this stand-in core: "observe" failures.)
    assert stats["counters"]["failures"]["error"] == 1


def test_policy_failure_mode_applies_without_an_override(plc: Plc, tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        POLICY.replace("failure_mode: closed", "failure_mode: open")
    )
    with running(config(tmp_path, plc.port)) as gateway, connect(gateway) as sock:
        swap_core(gateway, RaisingCore)
        assert write(sock, 1, 300)[7] == 6
    assert plc.register(1, 0) == 300


def test_overrun_fail_closed_is_answered_while_the_core_is_still_stuck(
    plc: Plc, tmp_path: Path
) -> None:
    cfg = config(tmp_path, plc.port, fail_mode="closed", decision_budget=0.05)
    with running(cfg) as gateway, connect(gateway) as first, connect(gateway) as second:
        real = gateway.policy.active.core
        stuck = swap_core(gateway, StuckCore)
        answer = write(first, 1, 500)
        assert stuck.entered.is_set() and not stuck.release.is_set()
        assert answer[7:] == bytes([0x86, 0x06])  # server busy: the client may retry
        # Another connection meanwhile: the core is held, so its request overruns too.
        assert write(second, 2, 600)[7:] == bytes([0x86, 0x06])
        gateway.policy.active = dataclasses.replace(gateway.policy.active, core=real)
        stuck.release.set()
        assert write(first, 3, 700)[7] == 6  # the late decision was discarded; all is well
        assert plc.register(1, 0) == 700
    assert failures(tmp_path / "audit.jsonl") == [
        ("overrun", "block", "refused"),
        ("overrun", "block", "refused"),
    ]


def test_overrun_fail_open_forwards_while_the_core_is_still_stuck(plc: Plc, tmp_path: Path) -> None:
    cfg = config(tmp_path, plc.port, fail_mode="open", decision_budget=0.05)
    with running(cfg) as gateway, connect(gateway) as sock:
        stuck = swap_core(gateway, StuckCore)
        answer = write(sock, 1, 450)
        assert answer[7] == 6 and not stuck.release.is_set()
        assert plc.register(1, 0) == 450
        stuck.release.set()
    assert failures(tmp_path / "audit.jsonl") == [("overrun", "alert", "forwarded")]


def test_monitor_mode_forwards_even_when_the_core_fails(plc: Plc, tmp_path: Path) -> None:
    cfg = config(tmp_path, plc.port, fail_mode="closed", mode="monitor")
    with running(cfg) as gateway, connect(gateway) as sock:
        swap_core(gateway, RaisingCore)
        assert write(sock, 1, 123)[7] == 6
    assert plc.register(1, 0) == 123
    assert failures(tmp_path / "audit.jsonl") == [("error", "block", "forwarded")]


def test_upstream_gone_mid_session_then_back(tmp_path: Path) -> None:
    plc = Plc().start()
    try:
        with running(config(tmp_path, plc.port)) as gateway, connect(gateway) as sock:
            assert write(sock, 1, 200)[7] == 6
            plc.stop()
            # Refused by the gateway itself: the device cannot be reached (0x0A), or it
            # went away with the request in flight (0x0B). Never a reset.
            assert write(sock, 2, 300)[7:] in (bytes([0x86, 0x0A]), bytes([0x86, 0x0B]))
            plc.start()
            assert eventually(lambda: write(sock, 3, 400)[7] == 6)
    finally:
        plc.stop()


@pytest.mark.parametrize("fail", ["closed", "open"])
def test_audit_log_unwritable(plc: Plc, tmp_path: Path, fail: str) -> None:
    import os

    with running(config(tmp_path, plc.port, fail_mode=fail)) as gateway, connect(gateway) as sock:
        assert gateway.audit is not None
        assert eventually(lambda: gateway.snapshot()["upstream"]["up"] == 1)  # connected, audited
        writable = gateway.audit._fd
        gateway.audit._fd = os.open(tmp_path / "audit.jsonl", os.O_RDONLY)  # every write fails
        answer = write(sock, 1, 300)
        if fail == "closed":
            assert answer[7:] == bytes([0x86, 0x04])  # not forwarded without its record
            assert plc.register(1, 0) == 0
        else:
            assert answer[7] == 6
            assert plc.register(1, 0) == 300
        os.close(gateway.audit._fd)
        gateway.audit._fd = writable
        assert write(sock, 2, 400)[7] == 6  # audited again
        stats = gateway.snapshot()
    assert stats["counters"]["failures"]["audit"] == 1
    assert stats["audit"]["write_errors"] == 1
    decided = [
        r["transaction"] for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "decision"
    ]
    assert decided == [2]

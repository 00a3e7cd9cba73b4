"""The gateway between a real pymodbus client and a real pymodbus server: refusals with
exception responses, pipelining, many clients, several units, reconnection, hot reload,
monitor mode, and the abuse that must not stall anyone else."""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

import pytest

from gateway.plant import (
    POLICY,
    PipelinedPlc,
    Plc,
    client,
    config,
    eventually,
    free_port,
    read_request,
    recv_frames,
    running,
    write_request,
)
from interlock.gateway.audit import read_records, verify_audit


@pytest.fixture
def plc() -> object:
    server = Plc().start()
    yield server
    server.stop()


def decisions(path: Path) -> list[dict[str, object]]:
    return [r for r in read_records(path) if r["event"] == "decision"]


def test_refused_write_gets_an_exception_and_the_plc_is_untouched(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port)) as gateway, client(gateway) as hmi:
        refused = hmi.write_register(0, 950, device_id=1)  # 95 %: above the envelope's 90
        assert refused.isError() and refused.exception_code == 3
        assert plc.register(1, 0) == 0
        allowed = hmi.write_register(0, 500, device_id=1)
        assert not allowed.isError()
        assert plc.register(1, 0) == 500
        assert hmi.read_holding_registers(0, count=2, device_id=1).registers == [500, 1]
    records = decisions(tmp_path / "audit.jsonl")
    assert [(r["function"], r["verdict"], r["action"]) for r in records] == [
        ("write_single_register", "block", "refused"),
        ("write_single_register", "allow", "forwarded"),
        ("read_holding_registers", "allow", "forwarded"),
    ]
    assert records[0]["rule"] == "level_sp.max" and records[0]["exception_code"] == 3
    assert (records[0]["asset"], records[0]["tags"], records[0]["values"]) == (
        "tank-plc",
        ["level_sp"],
        [950],
    )
    assert verify_audit(tmp_path / "audit.jsonl").intact


def test_configured_exception_code_is_used(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port, exception_code=1)) as gateway, client(gateway) as hmi:
        refused = hmi.write_register(0, 950, device_id=1)
        assert refused.isError() and refused.exception_code == 1


def test_pipelined_requests_with_interleaved_transaction_ids(tmp_path: Path) -> None:
    plc = PipelinedPlc()
    with running(config(tmp_path, plc.port)) as gateway:
        assert gateway.address is not None
        with socket.create_connection(("127.0.0.1", gateway.address.port)) as sock:
            batch = [
                read_request(0x0700, 1, 3, 1),
                write_request(0x0003, 1, 0, 990),  # refused
                read_request(0x0900, 2, 4, 2),
                write_request(0x0001, 1, 1, 250),
                read_request(0x0005, 1, 1, 1),
            ]
            sock.sendall(b"".join(batch))  # all of them before reading anything
            answers = {struct.unpack(">H", f[:2])[0]: f for f in recv_frames(sock, 5)}
    assert set(answers) == {0x0700, 0x0003, 0x0900, 0x0001, 0x0005}
    assert answers[0x0003][7:] == bytes([0x86, 0x03])  # exception to the refused write
    assert answers[0x0700][6:] == bytes([1, 3, 2, 0, 3])  # unit 1, register 3 holds 3
    assert answers[0x0900][6:] == bytes([2, 3, 4]) + struct.pack(">HH", 1004, 1005)
    assert answers[0x0001][7] == 6
    assert plc.register(1, 0) == 0 and plc.register(1, 1) == 250
    plc.stop()


def test_frames_split_across_segments_are_put_back_together(tmp_path: Path) -> None:
    plc = PipelinedPlc()
    with running(config(tmp_path, plc.port)) as gateway:
        assert gateway.address is not None
        with socket.create_connection(("127.0.0.1", gateway.address.port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            stream = b"".join(read_request(trans_id, 1, trans_id, 1) for trans_id in range(6))
            # Cuts inside a header, inside a PDU, and one that ends a frame and starts the
            # next: whatever one recv gets, the rest waits for the next one.
            for start, stop in [(0, 3), (3, 9), (9, 17), (17, 30), (30, len(stream))]:
                sock.sendall(stream[start:stop])
                time.sleep(0.05)
            answers = recv_frames(sock, 6)
    assert [struct.unpack(">H", f[:2])[0] for f in answers] == list(range(6))
    assert [f[7:] for f in answers] == [bytes([3, 2]) + struct.pack(">H", n) for n in range(6)]
    assert [r["transaction"] for r in decisions(tmp_path / "audit.jsonl")] == list(range(6))
    plc.stop()


def test_many_clients_at_once(plc: Plc, tmp_path: Path) -> None:
    import threading

    errors: list[str] = []

    def poll(gateway: object, unit: int, address: int) -> None:
        with client(gateway) as hmi:  # type: ignore[arg-type]
            for _ in range(15):
                got = hmi.read_holding_registers(address, count=1, device_id=unit)
                want = address + (1000 if unit == 2 else 0)
                if got.isError() or got.registers != [want]:
                    errors.append(f"unit {unit} address {address}: {got}")

    with running(config(tmp_path, plc.port)) as gateway:
        threads = [threading.Thread(target=poll, args=(gateway, 1 + i % 2, i)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        # Each latency is recorded just after its answer is sent: wait for the last ones.
        assert eventually(lambda: gateway.snapshot()["latency"]["added"]["count"] == 8 * 15)
        stats = gateway.snapshot()
    assert errors == []
    assert stats["counters"]["events"]["connections_accepted"] == 8
    assert stats["latency"]["added"]["count"] == 8 * 15


def test_busy_polling_serves_every_request_and_one_connection_spins_at_a_time(
    plc: Plc, tmp_path: Path
) -> None:
    with running(config(tmp_path, plc.port, busy_poll=0.002)) as gateway, client(gateway) as hmi:
        for n in range(20):
            assert hmi.read_holding_registers(n % 4, count=1, device_id=1).registers == [n % 4]
        refused = hmi.write_register(0, 950, device_id=1)
        assert refused.isError() and refused.exception_code == 3
        spun = gateway.snapshot()["gateway"]["busy_poll"]
        assert spun["budget_us"] == 2000.0
        assert spun["polls"] >= 1  # the waits here are shorter than 2 ms: it learns to spin
        assert 0 <= spun["caught"] <= spun["polls"]
        # Another connection spinning: this one sleeps at once, and is served all the same.
        with gateway.spinner:
            before = gateway.snapshot()["gateway"]["busy_poll"]["polls"]
            for _ in range(5):
                assert hmi.read_holding_registers(1, count=1, device_id=1).registers == [1]
            assert gateway.snapshot()["gateway"]["busy_poll"]["polls"] == before
    assert plc.register(1, 0) == 0
    assert verify_audit(tmp_path / "audit.jsonl").intact


@pytest.mark.parametrize("answer_delay", [0.005, 0.0], ids=["slow PLC", "fast PLC"])
def test_busy_polling_never_spins_for_a_client_slower_than_its_budget(
    tmp_path: Path, answer_delay: float
) -> None:
    """A slow HMI: every wait for it is longer than the budget, so the connection learns
    not to spin for it, nor for the PLC's answers, slow or fast: spinning for an answer
    alone saves no wake-up (docs/gateway.md, "Busy polling"), it costs CPU for nothing."""
    plc = PipelinedPlc(answer_delay=answer_delay)
    try:
        with running(config(tmp_path, plc.port, busy_poll=0.001)) as gateway:
            assert gateway.address is not None
            with socket.create_connection(("127.0.0.1", gateway.address.port)) as sock:
                for trans_id in range(10):
                    time.sleep(0.005)
                    sock.sendall(read_request(trans_id, 1, trans_id, 1))
                    assert recv_frames(sock, 1)[0][7:] == bytes([3, 2, 0, trans_id])
            assert eventually(lambda: gateway.snapshot()["connections"]["open"] == 0)
            spun = gateway.snapshot()["gateway"]["busy_poll"]
    finally:
        plc.stop()
    assert spun == {"budget_us": 1000.0, "polls": 0, "caught": 0}


def test_several_unit_ids_behind_one_gateway(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port)) as gateway, client(gateway) as hmi:
        assert hmi.read_holding_registers(5, count=1, device_id=1).registers == [5]
        assert hmi.read_holding_registers(5, count=1, device_id=2).registers == [1005]
        assert hmi.write_register(0, 400, device_id=2).isError()  # burner_sp max 300
        assert not hmi.write_register(0, 250, device_id=2).isError()
        assert not hmi.write_register(0, 400, device_id=1).isError()  # unit 1: level_sp 40 %
    assert plc.register(2, 0) == 250 and plc.register(1, 0) == 400


def test_upstream_restart_keeps_the_client_and_reconnects(tmp_path: Path) -> None:
    plc = Plc().start()
    try:
        with running(config(tmp_path, plc.port)) as gateway:
            assert gateway.address is not None
            with socket.create_connection(("127.0.0.1", gateway.address.port)) as sock:
                sock.sendall(read_request(1, 1, 2, 1))
                assert recv_frames(sock, 1)[0][6:] == bytes([1, 3, 2, 0, 2])
                plc.stop()
                sock.sendall(read_request(2, 1, 2, 1))
                answer = recv_frames(sock, 1)[0]
                assert answer[7] == 0x83 and answer[8] in (0x0A, 0x0B)  # gateway exceptions
                plc.start()

                def served() -> bytes | None:
                    sock.sendall(read_request(3, 1, 2, 1))
                    frame = recv_frames(sock, 1)[0]
                    return frame if frame[7] == 3 else None

                assert eventually(served) is not None  # the same client connection
            events = [r["event"] for r in read_records(tmp_path / "audit.jsonl")]
            assert "upstream_lost" in events
            assert events.count("upstream_connected") >= 2
    finally:
        plc.stop()


def test_unreachable_upstream_answers_gateway_path_unavailable(tmp_path: Path) -> None:
    with running(config(tmp_path, free_port(), connect_timeout=0.5)) as gateway:
        assert gateway.address is not None
        with socket.create_connection(("127.0.0.1", gateway.address.port)) as sock:
            for trans_id in (1, 2):  # the connection stays open
                sock.sendall(read_request(trans_id, 1, 0, 1))
                frame = recv_frames(sock, 1)[0]
                assert frame[:2] == struct.pack(">H", trans_id)
                assert frame[7:] == bytes([0x83, 0x0A])
    actions = [r["action"] for r in decisions(tmp_path / "audit.jsonl")]
    assert actions == ["unavailable", "unavailable"]


def test_hot_reload_valid_then_invalid_keeps_connections(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port)) as gateway:
        assert gateway.address is not None
        with socket.create_connection(("127.0.0.1", gateway.address.port)) as sock:

            def write(trans_id: int, value: int) -> bytes:
                sock.sendall(write_request(trans_id, 1, 0, value))
                return recv_frames(sock, 1)[0]

            assert write(1, 850)[7] == 6  # 85 % is inside 10..90
            policy = tmp_path / "policy.yaml"
            policy.write_text(POLICY.replace("min: 10, max: 90", "min: 10, max: 80"))
            assert eventually(lambda: gateway.policy.active.policy.tags[0].envelope.max == 80)
            assert write(2, 840)[7:] == bytes([0x86, 0x03])  # same connection, new policy
            policy.write_text(POLICY.replace("default: deny", "default: maybe"))
            assert eventually(lambda: gateway.policy.last_error)
            assert "policy.yaml:2:" in gateway.policy.last_error
            assert write(3, 840)[7:] == bytes([0x86, 0x03])  # the last good policy holds
            assert write(4, 700)[7] == 6
    results = [
        r["result"] for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "policy"
    ]
    assert results == ["loaded", "rejected"]
    assert plc.register(1, 0) == 700


def test_reload_carries_the_process_state_over(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port, watch_policy=False)) as gateway, client(gateway) as hmi:
        hmi.read_holding_registers(0, count=2, device_id=1)
        # Observed just after the answer went out: wait for it, then reload.
        assert eventually(lambda: gateway.policy.active.core.value_of("pump_speed_sp") is not None)
        assert gateway.policy.active.core.value_of("pump_speed_sp") == pytest.approx(0.1)
        assert gateway.reload()
        assert gateway.policy.active.core.value_of("pump_speed_sp") == pytest.approx(0.1)


def test_monitor_mode_forwards_what_enforce_would_refuse(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port, mode="monitor")) as gateway, client(gateway) as hmi:
        assert not hmi.write_register(0, 950, device_id=1).isError()
    assert plc.register(1, 0) == 950
    (record,) = decisions(tmp_path / "audit.jsonl")
    assert (record["verdict"], record["action"], record["mode"]) == (
        "block",
        "forwarded",
        "monitor",
    )


def test_malformed_frames_dropped_and_the_connection_kept(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port)) as gateway:
        assert gateway.address is not None
        with socket.create_connection(("127.0.0.1", gateway.address.port)) as sock:
            wrong_protocol = struct.pack(">HHHBBHH", 9, 1, 6, 1, 6, 0, 990)
            sock.sendall(wrong_protocol + read_request(10, 1, 0, 1))
            (frame,) = recv_frames(sock, 1)
            assert frame[:2] == struct.pack(">H", 10)  # only the well-formed read answered
    assert plc.register(1, 0) == 0
    anomalies = [r for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "anomaly"]
    assert [(a["code"], a["action"]) for a in anomalies] == [("modbus.protocol_id", "dropped")]


def test_garbage_and_slowloris_do_not_stall_other_clients(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port, frame_timeout=0.5)) as gateway:
        assert gateway.address is not None
        port = gateway.address.port
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(read_request(1, 1, 0, 1)[:3])  # half a header, held open
        garbage = socket.create_connection(("127.0.0.1", port))
        garbage.sendall(b"\x00\x01\x00\x00\xff\xff" + bytes(range(256)) * 4)
        with client(gateway) as hmi:
            for address in range(10):
                assert hmi.read_holding_registers(address, count=1, device_id=1).registers == [
                    address
                ]
        garbage.settimeout(10)
        assert garbage.recv(100) == b""  # framing lost: closed in order, no reset
        slow.settimeout(10)
        assert slow.recv(100) == b""  # the incomplete frame timed out
        slow.close()
        garbage.close()
    codes = {r["code"] for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "anomaly"}
    assert codes == {"modbus.length_invalid", "gateway.incomplete_frame_timeout"}


def test_connections_beyond_the_limit_are_closed_not_queued(plc: Plc, tmp_path: Path) -> None:
    with running(config(tmp_path, plc.port, max_clients=1)) as gateway, client(gateway) as hmi:
        assert gateway.address is not None
        with socket.create_connection(("127.0.0.1", gateway.address.port)) as extra:
            extra.settimeout(10)
            assert extra.recv(10) == b""
        assert hmi.read_holding_registers(0, count=1, device_id=1).registers == [0]
    events = [r["event"] for r in read_records(tmp_path / "audit.jsonl")]
    assert "connection_refused" in events

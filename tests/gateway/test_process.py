"""`interlock gateway` as its own process: kill -9 loses no audit record, SIGTERM flushes
and exits 0, SIGHUP reloads, the statistics and metrics are served, the supervisor
restarts a killed gateway, and bad invocations get one clear line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.plant import (
    POLICY,
    Plc,
    eventually,
    free_port,
    interlock_process,
    read_request,
    recv_frames,
    run_interlock,
    write_request,
)
from interlock.gateway.audit import read_records, verify_audit


@pytest.fixture(scope="module")
def plc() -> Iterator[Plc]:
    server = Plc().start()
    yield server
    server.stop()


def start_gateway(tmp: Path, plc: Plc, *extra: str) -> tuple[subprocess.Popen[str], int]:
    (tmp / "policy.yaml").write_text(POLICY)
    port = free_port()
    process = interlock_process(
        "gateway", "--listen", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{plc.port}",
        "--policy", str(tmp / "policy.yaml"), "--audit", str(tmp / "audit.jsonl"), *extra,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    if not eventually(lambda: _listening(port) or process.poll() is not None, timeout=30):
        process.kill()
    assert process.poll() is None, process.communicate()[1]
    return process, port


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def exchange(port: int, requests: list[bytes], pause_after_first: float = 0.0) -> list[bytes]:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        answers = []
        for request in requests:  # one at a time: each answered before the next is sent
            sock.sendall(request)
            answers.extend(recv_frames(sock, 1))
            if len(answers) == 1:
                time.sleep(pause_after_first)
        return answers


def test_kill_9_loses_no_audit_record(plc: Plc, tmp_path: Path) -> None:
    process, port = start_gateway(tmp_path, plc, "--fsync-interval", "10s")
    requests = [read_request(n, 1, n % 50, 1) for n in range(40)]
    requests += [write_request(100 + n, 1, 0, 950 + n) for n in range(10)]  # all refused
    answers = exchange(port, requests)
    process.kill()  # SIGKILL: no handler runs, nothing is flushed by the gateway
    process.wait(10)
    assert len(answers) == 50
    result = verify_audit(tmp_path / "audit.jsonl")
    assert result.intact, result
    records = list(read_records(tmp_path / "audit.jsonl"))
    decided = [r for r in records if r["event"] == "decision"]
    assert [r["transaction"] for r in decided] == [n for n in range(40)] + [
        100 + n for n in range(10)
    ]
    assert [r["action"] for r in decided[40:]] == ["refused"] * 10
    assert records[-1]["event"] != "stop"  # it really died without cleaning up


def test_a_gateway_process_busy_polls_by_default(plc: Plc, tmp_path: Path) -> None:
    for extra, budget_us in (((), 100.0), (("--busy-poll", "10ms"), 10000.0)):
        stats = tmp_path / "stats.json"
        process, port = start_gateway(tmp_path, plc, "--stats", str(stats), *extra)
        # The first request wakes the gateway's only connection after none: no busy polling
        # for max(1 ms, budget) (docs/gateway.md, "Busy polling"), which a fast run of the
        # rest would fit in entirely; the pause outlasts it.
        requests = [read_request(n, 1, n % 50, 1) for n in range(61)]
        answers = exchange(port, requests, pause_after_first=0.05)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
        assert [a[7] for a in answers] == [3] * 61
        spun = json.loads(stats.read_text())["gateway"]["busy_poll"]
        assert spun["budget_us"] == budget_us
    # 10 ms outlasts every wait between one answer and the next request here: caught.
    assert 0 < spun["caught"] <= spun["polls"] <= 2 * 60


def test_restart_continues_the_chain(plc: Plc, tmp_path: Path) -> None:
    for _ in range(2):
        process, port = start_gateway(tmp_path, plc)
        exchange(port, [read_request(1, 1, 0, 1)])
        process.kill()
        process.wait(10)
    assert verify_audit(tmp_path / "audit.jsonl").intact
    events = [r["event"] for r in read_records(tmp_path / "audit.jsonl")]
    assert [e for e in events if e in ("start", "decision")] == ["start", "decision"] * 2


def test_sigterm_flushes_and_exits_0_sighup_reloads(plc: Plc, tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    process, port = start_gateway(tmp_path, plc, "--no-watch", "--stats", str(stats))
    assert exchange(port, [write_request(1, 1, 0, 850)])[0][7] == 6
    (tmp_path / "policy.yaml").write_text(POLICY.replace("max: 90", "max: 80"))
    process.send_signal(signal.SIGHUP)
    assert eventually(
        lambda: any(r["event"] == "policy" for r in read_records(tmp_path / "audit.jsonl"))
    )
    assert exchange(port, [write_request(2, 1, 0, 850)])[0][7:] == bytes([0x86, 0x03])
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "listening on 127.0.0.1:" in stderr and "flushed" in stderr
    records = [
        r for r in read_records(tmp_path / "audit.jsonl") if r["event"] != "upstream_connected"
    ]
    assert [r["event"] for r in records] == ["start", "decision", "policy", "decision", "stop"]
    assert records[-1]["requests"] == 2
    doc = json.loads(stats.read_text())
    assert doc["latency"]["added"]["count"] == 1 and doc["latency"]["refusal"]["count"] == 1


def test_metrics_endpoint_and_stats_command(plc: Plc, tmp_path: Path) -> None:
    metrics = free_port()
    process, port = start_gateway(tmp_path, plc, "--metrics", f"127.0.0.1:{metrics}")
    try:
        exchange(
            port, [read_request(n, 1, 0, 1) for n in range(20)] + [write_request(99, 1, 0, 999)]
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics}/metrics", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            text = response.read().decode()
        lines = text.splitlines()
        assert "# TYPE interlock_gateway_added_latency_seconds histogram" in lines
        assert 'interlock_gateway_added_latency_seconds_bucket{le="+Inf"} 20' in lines
        assert "interlock_gateway_added_latency_seconds_count 20" in lines
        assert 'interlock_gateway_requests_total{verdict="allow",action="forwarded"} 20' in lines
        assert 'interlock_gateway_requests_total{verdict="block",action="refused"} 1' in lines
        assert any(
            line.startswith('interlock_gateway_latency_budget_holds{quantile="0.99"}')
            for line in lines
        )
        done = run_interlock("gateway", "stats", f"127.0.0.1:{metrics}", "--json")
        assert done.returncode == 0, done.stderr
        doc = json.loads(done.stdout)
        assert set(doc) >= {
            "version",
            "gateway",
            "policy",
            "latency",
            "budget",
            "counters",
            "audit",
        }
        assert doc["latency"]["added"]["count"] == 20
        assert set(doc["latency"]["added"]) >= {
            "count",
            "p50_us",
            "p99_us",
            "p999_us",
            "max_ns",
            "buckets",
        }
        assert doc["budget"]["limit_us"] == 1000 and doc["budget"]["samples"] == 20
        human = run_interlock("gateway", "stats", f"http://127.0.0.1:{metrics}/metrics")
        assert human.returncode == 0 and "budget: p99 added latency at most 1000 µs" in human.stdout
        assert "audit.jsonl: seq " in " ".join(human.stdout.split())  # rich wraps at 80
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_audit_verify_command_and_tampering(plc: Plc, tmp_path: Path) -> None:
    process, port = start_gateway(tmp_path, plc)
    exchange(port, [read_request(n, 1, 0, 1) for n in range(6)])
    process.terminate()
    process.communicate(timeout=30)
    log = tmp_path / "audit.jsonl"
    done = run_interlock("audit", "verify", str(log), "--json")
    assert done.returncode == 0, done.stderr
    lines = log.read_text().splitlines(keepends=True)
    assert json.loads(done.stdout) == {
        "intact": True, "records": len(lines), "head": verify_audit(log).head, "torn": 0,
        "first_seq": 1, "continues_from": None, "broken": None,
        "files": [{"file": str(log), "records": len(lines), "first_seq": 1, "intact": True}],
    }  # fmt: skip
    line = next(n for n, text in enumerate(lines) if '"event":"decision"' in text)
    edited = lines.copy()
    edited[line] = edited[line].replace('"address":0', '"address":7')
    log.write_text("".join(edited))
    done = run_interlock("audit", "verify", str(log))
    assert done.returncode == 2
    assert done.stdout.startswith(f"{log}:{line + 1}: broken (seq {line + 1}): hash does not match")
    log.write_text("".join(lines[:line] + lines[line + 1 :]))  # one record deleted
    done = run_interlock("audit", "verify", str(log), "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["broken"] == {
        "file": str(log), "line": line + 1, "seq": line + 2,
        "reason": f"sequence {line + 2} follows {line} (a record was removed or added)",
    }  # fmt: skip


def test_supervisor_restarts_a_killed_gateway(plc: Plc, tmp_path: Path) -> None:
    process, port = start_gateway(tmp_path, plc, "--supervise")
    try:
        assert exchange(port, [read_request(1, 1, 4, 1)])[0][9:] == b"\x00\x04"

        def pids() -> list[int]:
            log = read_records(tmp_path / "audit.jsonl")
            return [r["pid"] for r in log if r["event"] == "start"]

        assert len(pids()) == 1
        os.kill(pids()[0], signal.SIGKILL)
        assert eventually(lambda: len(pids()) == 2, timeout=30)
        assert exchange(port, [read_request(2, 1, 5, 1)])[0][9:] == b"\x00\x05"
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert process.returncode == 0
    assert [r["event"] for r in read_records(tmp_path / "audit.jsonl")][-1] == "stop"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gateway", "--listen", "127.0.0.1:0"], "gateway needs --listen HOST:PORT, --upstream"),
        (["gateway", "--listen", "nowhere", "--upstream", "127.0.0.1:1", "--policy", "p.yaml"],
         "--listen 'nowhere' is not HOST:PORT"),
        (["gateway", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:1", "--policy", "p.yaml",
          "--busy-poll", "20ms"], "--busy-poll must be 0 to 10 ms"),
        (["gateway", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:1", "--policy", "p.yaml",
          "--audit-max-bytes", "1000"], "--audit-max-bytes must be 0 (never rotate) or at least"),
        (["gateway", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:1", "--policy", "p.yaml",
          "--audit-max-bytes", "big"], "--audit-max-bytes 'big' is not a size"),
        (["gateway", "stats", "/nonexistent/stats.json"], "cannot read the stats file"),
        (["audit", "verify", "/nonexistent/audit.jsonl"], "cannot read the audit log"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    done = run_interlock(*args)
    assert done.returncode == 2
    assert done.stderr.startswith(f"interlock: {message}"), done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_policy_refuses_to_start(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY.replace("default: deny", "default: perhaps"))
    done = run_interlock(
        "gateway", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:1", "--policy", str(policy),
        "--audit", str(tmp_path / "audit.jsonl"),
    )  # fmt: skip
    assert done.returncode == 2
    assert f"{policy}:2:" in done.stderr and "Traceback" not in done.stderr


def test_a_stopped_gateway_stores_its_refusals_as_alerts(plc: Plc, tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    process, port = start_gateway(tmp_path, plc, "--no-watch", "--db", str(db))
    assert exchange(port, [write_request(1, 1, 0, 950)])[0][7] & 0x80  # refused
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert f"stored in {db}" in stderr
    done = run_interlock("alerts", "--db", str(db), "--format", "json")
    alerts = json.loads(done.stdout)["alerts"]
    assert [(a["outcome"], a["count"]) for a in alerts] == [("refused", 1)]
    assert alerts[0]["src"]["ip"] == "127.0.0.1" and alerts[0]["techniques"]

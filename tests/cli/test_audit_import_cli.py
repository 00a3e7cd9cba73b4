"""`interlock audit import`: the gateway's decisions become alerts in the store, once."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from interlock.gateway.audit import AuditLog
from tests_support import interlock_command

BASE = {"event": "decision", "protocol": "modbus", "server": "10.10.0.5:502", "unit": 1,
        "mode": "enforce", "policy": "abc", "kind": "envelope", "function_code": 6,
        "verdict": "block", "action": "refused", "rule": "level_sp.max"}  # fmt: skip


def interlock(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, check=False, timeout=120
    )


def stored(db: Path) -> list[dict[str, Any]]:
    done = interlock("alerts", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    alerts: list[dict[str, Any]] = json.loads(done.stdout)["alerts"]
    return alerts


def write(log: AuditLog, times: range) -> None:
    for second in times:
        log.append({**BASE, "time": float(second), "client": "10.20.0.66:4000"})
    log.append({**BASE, "time": 500.0, "client": "10.20.0.10:4001", "verdict": "allow",
                "action": "forwarded", "rule": "hmi-operation", "kind": "access"})  # fmt: skip


def test_refusals_become_alerts_once_even_when_the_log_grows(tmp_path: Path) -> None:
    path, db = tmp_path / "audit.jsonl", tmp_path / "inventory.db"
    log = AuditLog(path)
    write(log, range(10, 13))
    done = interlock("audit", "import", str(path), "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"records": 4, "alerts": 1}
    (alert,) = stored(db)
    assert (alert["rule"], alert["outcome"], alert["count"]) == ("level_sp.max", "refused", 3)
    assert alert["techniques"] == ["T0836"] and alert["src"]["ip"] == "10.20.0.66"

    assert interlock("audit", "import", str(path), "--db", str(db)).returncode == 0
    assert [a["count"] for a in stored(db)] == [3]  # imported again: not counted twice

    write(log, range(20, 22))  # the log grew: the alert is recomputed from the whole log
    log.close()
    assert interlock("audit", "import", str(path), "--db", str(db)).returncode == 0
    assert [a["count"] for a in stored(db)] == [5]


def test_a_broken_chain_is_not_imported(tmp_path: Path) -> None:
    path, db = tmp_path / "audit.jsonl", tmp_path / "inventory.db"
    log = AuditLog(path)
    write(log, range(10, 13))
    log.close()
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:1] + lines[2:]))  # a refusal deleted
    done = interlock("audit", "import", str(path), "--db", str(db))
    assert done.returncode == 2 and "broken audit chain" in done.stderr
    assert "nothing imported" in done.stderr and not db.exists()

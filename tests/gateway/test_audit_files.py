"""Audit log rotation: a full file is renamed FILE.<last seq>, the new one opens with a
``rotated`` record, and the chain runs on across the files, through restarts and a crash
between the rename and that record; tampering with a rotated file or removing one from the
middle is detected, archiving the oldest ones is not an error."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from gateway.plant import Plc, client, config, file_size_limit, run_interlock, running
from interlock.errors import ConfigError
from interlock.gateway.audit import AuditLog, read_records, rotated_name
from interlock.gateway.audit_files import log_files, set_records, verify_files
from interlock.gateway.config import parse_size

MAX = 64 << 10


def write_decisions(path: Path, first: int, count: int, max_bytes: int = MAX) -> AuditLog:
    log = AuditLog(path, max_bytes=max_bytes)
    for n in range(first, first + count):
        log.append({"event": "decision", "n": n, "note": "x" * 200})
    log.close()
    return log


def decisions(records: object) -> list[int]:
    return [r["n"] for r in records if r["event"] == "decision"]  # type: ignore[attr-defined]


def test_a_full_log_rotates_and_the_chain_runs_on_across_the_files(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = write_decisions(path, 0, 1000)
    files = log_files(path)
    assert log.rotations == len(files) - 1 >= 3
    assert files[-1] == path
    for older in files[:-1]:
        size = older.stat().st_size
        assert MAX <= size < MAX + 400  # rotated once full, past the size by one record at most
        last = list(read_records(older))[-1]
        assert older.name == rotated_name(path, last["seq"]).name
    for before, after in itertools.pairwise(files):
        opening = next(read_records(after))
        assert (opening["event"], opening["previous"]) == ("rotated", before.name)
        assert opening["previous_head"] == list(read_records(before))[-1]["hash"]
    checked = verify_files(path)
    assert checked.intact and [f.path for f in checked.files] == files
    records = list(set_records(path))
    assert [r["seq"] for r in records] == list(range(1, len(records) + 1))
    assert decisions(records) == list(range(1000))
    assert checked.records == len(records) == 1000 + log.rotations


def test_a_restart_goes_on_in_the_current_file_and_rotates_on(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_decisions(path, 0, 400)
    write_decisions(path, 400, 600)
    assert verify_files(path).intact
    assert decisions(set_records(path)) == list(range(1000))


def test_a_crash_between_rename_and_first_record_continues_from_the_rotated_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "audit.jsonl"
    write_decisions(path, 0, 100)
    last_seq = list(read_records(path))[-1]["seq"]
    os.rename(path, rotated_name(path, last_seq))  # what a kill between the two steps leaves
    write_decisions(path, 100, 50)
    opening = next(read_records(path))
    assert (opening["event"], opening["seq"]) == ("rotated", last_seq + 1)
    assert verify_files(path).intact
    assert decisions(set_records(path)) == list(range(150))


def test_tampering_and_a_file_missing_from_the_middle_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_decisions(path, 0, 1000)
    oldest, middle, *_ = log_files(path)
    kept = oldest.read_bytes()
    oldest.write_bytes(kept.replace(b'"n":5,', b'"n":6,', 1))
    broken = verify_files(path)
    assert not broken.intact and broken.broken_file == oldest
    assert "hash does not match" in broken.reason
    oldest.write_bytes(kept)

    middle_bytes = middle.read_bytes()
    middle.unlink()
    broken = verify_files(path)
    assert not broken.intact
    assert f"{middle.name}, which it continues, is missing (older {oldest.name}" in broken.reason
    middle.write_bytes(middle_bytes)
    assert verify_files(path).intact

    oldest_last = list(read_records(oldest))[-1]["seq"]
    oldest.unlink()  # archived elsewhere: the set present starts later, and is intact
    archived = verify_files(path)
    assert archived.intact and archived.files[0].path == middle
    assert archived.files[0].result.continues_from == oldest.name
    assert archived.files[0].result.first_seq == oldest_last + 1


def test_sizes_and_the_smallest_rotation_size(tmp_path: Path) -> None:
    assert parse_size("256MiB", "x") == 256 << 20
    assert parse_size("64k", "x") == 64 << 10
    assert parse_size("1G", "x") == 1 << 30
    assert parse_size("0", "x") == 0
    with pytest.raises(ConfigError, match="is not a size"):
        parse_size("lots", "x")
    with pytest.raises(ConfigError, match="at least 64KiB"):
        config(tmp_path, 1, audit_max_bytes=1000)


def test_the_gateway_rotates_its_log_and_every_decision_is_in_the_set(tmp_path: Path) -> None:
    plc = Plc().start()
    try:
        with running(config(tmp_path, plc.port, audit_max_bytes=MAX)) as gateway:
            with client(gateway) as hmi:
                for n in range(250):
                    assert not hmi.read_holding_registers(n % 8, count=1, device_id=1).isError()
            rotations = gateway.snapshot()["audit"]["rotations"]
    finally:
        plc.stop()
    path = tmp_path / "audit.jsonl"
    assert rotations >= 1 and len(log_files(path)) == rotations + 1
    checked = verify_files(path)
    assert checked.intact
    kinds = [r["event"] for r in set_records(path)]
    assert kinds.count("decision") == 250 and kinds.count("rotated") == rotations
    summary = json.loads(json.dumps(checked.as_dict()))
    assert len(summary["files"]) == rotations + 1 and summary["records"] == len(kinds)


def test_audit_verify_and_import_commands_take_the_rotated_set(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = write_decisions(path, 0, 1000)
    files = log_files(path)
    total = 1000 + log.rotations
    done = run_interlock("audit", "verify", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{path}: intact: {total} records in {len(files)} files")
    listed = json.loads(run_interlock("audit", "verify", str(path), "--json").stdout)
    assert [f["file"] for f in listed["files"]] == [str(f) for f in files]
    imported = run_interlock("audit", "import", str(path), "--db", str(tmp_path / "i.db"), "--json")
    assert imported.returncode == 0 and json.loads(imported.stdout)["records"] == total

    files[1].unlink()
    done = run_interlock("audit", "verify", str(path))
    assert done.returncode == 2
    assert f"broken: {files[1].name}, which it continues, is missing" in done.stdout
    refused = run_interlock("audit", "import", str(path), "--db", str(tmp_path / "j.db"))
    assert refused.returncode == 2 and "nothing imported" in refused.stderr
    assert "Traceback" not in refused.stderr


def fill_to_rotation(log: AuditLog, path: Path) -> None:
    """Append until the next append rotates."""
    n = 0
    while path.stat().st_size < MAX:
        log.append({"event": "decision", "n": n, "note": "x" * 200})
        n += 1


def test_a_rotation_that_fails_leaves_the_log_going_on_in_its_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, max_bytes=MAX)
    fill_to_rotation(log, path)
    rotated_name(path, log.seq).write_text("in the way\n")  # the rename's target is taken
    log.append({"event": "decision", "n": -1})  # written all the same, into the current file
    assert log.rotations == 0 and "exists" in (log.rotate_error or "")
    for n in range(400):  # past the retry distance: the next try, under another name, works
        log.append({"event": "decision", "n": n, "note": "x" * 200})
    assert log.rotations >= 1 and log.rotate_error is None
    log.close()
    assert verify_files(path).intact
    assert decisions(set_records(path))[:1] == [0]


def test_a_new_file_that_cannot_take_its_first_record_is_undone(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, max_bytes=MAX)
    fill_to_rotation(log, path)
    before = path.read_bytes()
    # The new file takes 40 bytes of its `rotated` record, then EFBIG (RLIMIT_FSIZE); the
    # old one, already past the limit, takes nothing: the triggering record fails too.
    with file_size_limit(40), pytest.raises(OSError, match="could not be written"):
        log.append({"event": "decision", "n": "late"})
    assert log.rotations == 0 and log.rotate_error is not None
    assert path.read_bytes() == before and log_files(path) == [path]  # the rename undone
    log.append({"event": "decision", "n": "after"})
    log.close()
    assert verify_files(path).intact
    assert decisions(read_records(path))[-1] == "after"

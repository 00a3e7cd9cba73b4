"""An audit log and the files rotated out of it, as one chain.

After rotation (``AuditLog(max_bytes=...)``) the log is FILE, FILE.<last seq>, ... : each
file but the oldest opens with a ``rotated`` record naming the file before it and the hash
it ends with. ``verify_files`` walks back from FILE through the files still present and
checks each chain and each link (the previous file's last hash and seq); a file removed
from the middle, or one put back edited, breaks a link. The files before the oldest present
may have been archived elsewhere: the result says where the present set starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from interlock.errors import ConfigError
from interlock.gateway.audit import ROTATED, VerifyResult, read_records, rotated_names, verify_audit

MAX_FILES = 100_000
"""More rotated files than this in one walk back is a loop, not a log."""


@dataclass(frozen=True)
class FileResult:
    path: Path
    result: VerifyResult


@dataclass(frozen=True)
class SetResult:
    files: list[FileResult] = field(default_factory=list)
    """Oldest first; the walk stops at the first broken file."""
    broken_file: Path | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_file is None

    @property
    def records(self) -> int:
        return sum(f.result.records for f in self.files)

    @property
    def head(self) -> str:
        return self.files[-1].result.head

    @property
    def torn(self) -> int:
        return sum(f.result.torn for f in self.files)

    @property
    def where(self) -> str:
        """FILE:LINE of the break, or FILE when a whole file does not follow."""
        line = self.files[-1].result.broken_line if self.broken_file else None
        return f"{self.broken_file}:{line}" if line else str(self.broken_file)

    def as_dict(self) -> dict[str, Any]:
        """The single-file shape of ``VerifyResult.as_dict`` for the whole set, plus
        ``files`` and, when broken, ``broken.file``."""
        last = self.files[-1].result
        broken = None
        if self.broken_file is not None:
            failed = self.files[-1].result if self.files[-1].path == self.broken_file else None
            broken = {
                "file": str(self.broken_file),
                "line": failed.broken_line if failed is not None else None,
                "seq": failed.broken_seq if failed is not None else None,
                "reason": self.reason,
            }
        return {
            "intact": self.intact,
            "records": self.records,
            "head": last.head,
            "torn": self.torn,
            "first_seq": self.files[0].result.first_seq,
            "continues_from": self.files[0].result.continues_from,
            "broken": broken,
            "files": [
                {
                    "file": str(f.path),
                    "records": f.result.records,
                    "first_seq": f.result.first_seq,
                    "intact": f.result.intact,
                }
                for f in self.files
            ],
        }


def log_files(path: Path) -> list[Path]:
    """path and the files rotated out of it that are present, oldest first, found by
    following each file's ``rotated`` record back."""
    files = [path]
    while len(files) < MAX_FILES:
        previous = _previous(files[-1])
        if previous is None or not previous.exists() or previous in files:
            break
        files.append(previous)
    return files[::-1]


def verify_files(path: Path) -> SetResult:
    """Verify path and the rotated files before it that are present, and the links."""
    if not path.exists():
        raise ConfigError(f"cannot read the audit log {path}: No such file or directory")
    checked: list[FileResult] = []
    files = log_files(path)
    for file in files:
        result = verify_audit(file)
        checked.append(FileResult(file, result))
        if not result.intact:
            return SetResult(checked, file, result.reason)
        if len(checked) > 1:
            before = checked[-2].result
            next_seq = before.first_seq + before.records
            if (result.start_head, result.first_seq) != (before.head, next_seq):
                reason = (
                    f"does not continue {checked[-2].path.name} (which ends at seq "
                    f"{next_seq - 1}, hash {before.head[:12]}): a file between them is "
                    "missing or one of them was changed"
                )
                return SetResult(checked, file, reason)
    missing = checked[0].result.continues_from
    if missing is not None:
        older = [name for name in rotated_names(path) if name < missing]
        if older:  # the set was cut in the middle, not archived from its start
            reason = f"{missing}, which it continues, is missing (older {older[-1]} is present)"
            return SetResult(checked, files[0], reason)
    return SetResult(checked)


def set_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of path and the rotated files before it, in order."""
    for file in log_files(path):
        yield from read_records(file)


def _previous(path: Path) -> Path | None:
    """The file path was rotated from, as its first record names it."""
    try:
        with path.open("rb") as fh:
            first = fh.readline(1 << 16)
    except OSError:
        return None
    try:
        record = orjson.loads(first)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(record, dict) or record.get("event") != ROTATED:
        return None
    name = record.get("previous")
    if not isinstance(name, str) or "/" in name or name in ("", ".", ".."):
        return None
    return path.with_name(name)

"""The gateway's durable, hash-chained audit log.

One JSON object per line, keys sorted (the canonical form), then the record's ``hash``:
SHA-256 over the previous record's hash (64 hex digits; 64 zeros before the first) and the
canonical bytes of the record without its hash. Every record also carries ``seq``, one more
than the record before it. Editing, inserting or deleting a line breaks the chain at that
line; ``verify_audit`` names the first record that does not follow.

Durability: ``append`` hands the line to the operating system with one ``os.write`` on an
``O_APPEND`` descriptor before the caller forwards or refuses the request, so a killed
process loses nothing (the page cache belongs to the kernel). ``fsync`` runs in a
background thread at most every ``fsync_interval`` seconds while there is unsynced data:
a power loss can lose at most that interval.

Rotation: with ``max_bytes``, a file that has reached that size is fsynced and renamed
``FILE.<its last seq, 12 digits>`` before the next record, and the new FILE starts with a
``rotated`` record that names it and chains from its last hash, so the chain runs on across
the files (``interlock.gateway.audit_files`` verifies the set). A crash between the rename
and that record leaves no FILE: the next start continues from the newest rotated file.

A power loss can also leave a torn last line. On reopening, the log ends that line and
appends a ``resume`` record that names the torn fragment's length and chains from the last
whole record; the verifier accepts exactly that and nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson

from interlock.errors import ConfigError

GENESIS: Final = "0" * 64
_TAIL_CHUNK: Final = 1 << 16
_HASH_KEY: Final = b',"hash":"'
RETRY_BYTES: Final = 64 << 10
"""After a failed rotation, write at least this much (or a sixteenth of the size) first."""
ROTATED: Final = "rotated"
"""The event that opens a file after rotation (fields ``previous``, ``previous_head``)."""


def rotated_name(path: Path, last_seq: int) -> Path:
    """Where a full log goes: FILE.<last seq>, zero-padded so that names sort in order."""
    return path.with_name(f"{path.name}.{last_seq:012d}")


def rotated_names(path: Path) -> list[str]:
    """The names of the files rotated out of path that are present, oldest first."""
    pattern = re.compile(re.escape(path.name) + r"\.\d{12}")
    try:
        return sorted(p.name for p in path.parent.iterdir() if pattern.fullmatch(p.name))
    except OSError:
        return []


def newest_rotated(path: Path) -> Path | None:
    """The newest file rotated out of path, if any."""
    names = rotated_names(path)
    return path.with_name(names[-1]) if names else None


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's hash covers: compact JSON, keys sorted."""
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def chain_hash(previous: str, body: bytes) -> str:
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


class RecordTemplate:
    """A record written many times where only a few values change (a remembered ruling's
    decision record: the time and the transaction id): its canonical bytes made once and
    cut where ``seq`` and the changing values go, so that writing it joins bytes instead of
    copying, sorting and serializing the whole record again. Made by ``record_template``."""

    __slots__ = ("names", "order", "pieces")

    def __init__(self, pieces: list[bytes], order: list[int], names: tuple[str, ...]) -> None:
        self.pieces = pieces
        """The canonical bytes between the slots (one more than the slots)."""
        self.order = order
        """Per slot, in byte order, which value goes there (0: seq; i: names[i - 1])."""
        self.names = names
        """The changing fields, in the order their values are given."""

    def fill(self, seq: bytes, values: Sequence[bytes]) -> bytes:
        filled = (seq, *values)
        pieces = self.pieces
        out = [pieces[0]]
        for i, which in enumerate(self.order):
            out.append(filled[which])
            out.append(pieces[i + 1])
        return b"".join(out)


_SLOT: Final = "\u2063interlock-slot-{}\u2063"
"""A value no record holds (an invisible separator around it), marking where a slot goes."""


def record_template(record: dict[str, Any], names: Sequence[str]) -> RecordTemplate | None:
    """The template of record (its values for names, and seq, left out); None when a slot
    cannot be told apart in its bytes (then write the record with ``append``)."""
    marked = dict(record)
    slots = ("seq", *names)
    for i, name in enumerate(slots):
        marked[name] = _SLOT.format(i)
    body = canonical(marked)
    found: list[tuple[int, int, int]] = []
    for i in range(len(slots)):
        token = orjson.dumps(_SLOT.format(i))
        at = body.find(token)
        if at < 0 or body.find(token, at + 1) >= 0:
            return None
        found.append((at, at + len(token), i))
    found.sort()
    pieces, start = [], 0
    for at, end, _ in found:
        pieces.append(body[start:at])
        start = end
    pieces.append(body[start:])
    return RecordTemplate(pieces, [i for _, _, i in found], tuple(names))


class AuditLog:
    """Appends hash-chained records to one file; thread-safe; fsync batched in the background."""

    def __init__(self, path: Path, *, fsync_interval: float = 0.2, max_bytes: int = 0) -> None:
        self.path = path
        self.fsync_interval = fsync_interval
        self.max_bytes = max_bytes
        """Rotate once the file has reached this size (0: never)."""
        self.rotations = 0
        self.rotate_error: str | None = None
        """Why the last rotation failed (None since one succeeded): the log goes on in the
        current file meanwhile; a full disk is no reason to refuse requests."""
        self._rotate_at = max_bytes
        """The size at which to rotate next (pushed on after a failed rotation)."""
        self._retired: list[int] = []
        """Descriptors of rotated files, closed by the next flush (which may be using one)."""
        self._lock = threading.Lock()
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        except OSError as exc:
            raise ConfigError(f"cannot open the audit log {path}: {exc.strerror}") from exc
        self._dirty = False
        self._closed = False
        self._partial = 0
        """Bytes of a line a failed write left in the file (ended at the next append)."""
        self.write_errors = 0
        self._wake = threading.Event()
        self.records_written = 0
        self.fsyncs = 0
        self.last_fsync_error: str | None = None
        head, self.seq, torn = _read_tail(path)
        predecessor = newest_rotated(path) if self.seq == 0 and torn == 0 else None
        if predecessor is not None:  # rotated, then stopped before the new file's first record
            head, self.seq, _ = _read_tail(predecessor)
        self._head = head.encode("ascii")
        """The last record's hash, as the hex digits the next record's hash starts from."""
        self._sha256 = hashlib.sha256()
        self._size = os.fstat(self._fd).st_size
        self._syncer = threading.Thread(target=self._sync_loop, name="audit-fsync", daemon=True)
        self._syncer.start()
        if torn:
            os.write(self._fd, b"\n")
        if torn > 0:
            self.append({"event": "resume", "torn_bytes": torn})
        if predecessor is not None:
            self.append(_rotated_record(predecessor, head))

    @property
    def head(self) -> str:
        """The hash of the last record written (64 zeros before the first)."""
        return self._head.decode("ascii")

    def append(self, record: dict[str, Any]) -> int:
        """Write record (a fresh dict: seq is added to it) and return its sequence number.

        OSError when the file cannot be written (disk full, I/O error): the record is not
        in the chain. Part of a line written before such an error is ended and named by a
        ``resume`` record at the next append, so the log still verifies.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("the audit log is closed")
            if self._partial:
                self._write_line({"event": "resume", "torn_bytes": self._partial}, b"\n")
            elif self.max_bytes and self._size >= self._rotate_at:
                self._try_rotate()
            return self._write_line(record, b"")

    def append_template(self, template: RecordTemplate, values: Sequence[bytes]) -> int:
        """Write the template's record with values (each already canonical JSON, in the
        order of ``template.names``) and the next seq; return the seq. The same guarantees
        as ``append``: the bytes are exactly what ``append`` writes for the same record."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the audit log is closed")
            if self._partial:
                self._write_line({"event": "resume", "torn_bytes": self._partial}, b"\n")
            elif self.max_bytes and self._size >= self._rotate_at:
                self._try_rotate()
            seq = self.seq + 1
            return self._write_body(seq, template.fill(b"%d" % seq, values), b"")

    def _write_line(self, record: dict[str, Any], prefix: bytes) -> int:
        seq = self.seq + 1
        record["seq"] = seq
        return self._write_body(seq, canonical(record), prefix)

    def _write_body(self, seq: int, body: bytes, prefix: bytes) -> int:
        hasher = self._sha256.copy()  # chain_hash, without a new context and buffer per call
        hasher.update(self._head)
        hasher.update(body)
        digest = hasher.hexdigest().encode("ascii")
        line = b"".join((prefix, body[:-1], _HASH_KEY, digest, b'"}\n'))
        written, error = _write_all(self._fd, line)
        self._size += written
        if written < len(line):
            if written > len(prefix):  # a new torn line; an old one was ended by the prefix
                self._partial = written - len(prefix)
            self.write_errors += 1
            raise OSError(f"the audit log {self.path} could not be written: {error}")
        self._partial = 0
        self.seq, self._head = seq, digest
        self.records_written += 1
        self._dirty = True
        return seq

    def _try_rotate(self) -> None:
        try:
            self._rotate()
        except OSError as exc:
            self.rotate_error = exc.strerror or str(exc)
            self._rotate_at = self._size + max(self.max_bytes // 16, RETRY_BYTES)
        else:
            self.rotate_error = None
            self._rotate_at = self.max_bytes

    def _rotate(self) -> None:
        """Rename the full file FILE.<last seq> and go on in a new FILE that opens with a
        ``rotated`` record (under the lock). All or nothing: OSError leaves the current
        file in place and in use."""
        os.fsync(self._fd)
        target = rotated_name(self.path, self.seq)
        if target.exists():
            raise OSError(f"cannot rotate the audit log: {target} exists")
        os.rename(self.path, target)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        except OSError:
            os.rename(target, self.path)
            raise
        old, old_size = self._fd, self._size
        self._fd, self._size = fd, 0
        try:
            self._write_line(_rotated_record(target, self.head), b"")
        except OSError:  # the new file must open with that record: back to the old one
            self._fd, self._size, self._partial = old, old_size, 0
            os.close(fd)
            os.unlink(self.path)
            os.rename(target, self.path)
            raise
        self._retired.append(old)
        self.rotations += 1
        _fsync_directory(self.path.parent)

    def flush(self) -> None:
        """fsync now if anything was written since the last one."""
        with self._lock:
            dirty, self._dirty = self._dirty, False
            fd = self._fd
            retired, self._retired = self._retired, []
        for old in retired:  # fsynced when rotated
            os.close(old)
        if dirty and not self._closed:
            try:
                os.fsync(fd)
                self.fsyncs += 1
            except OSError as exc:
                self.last_fsync_error = exc.strerror or str(exc)

    def close(self) -> None:
        self.flush()
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._wake.set()
        self._syncer.join(timeout=5)
        for fd in (*self._retired, self._fd):
            os.close(fd)

    def _sync_loop(self) -> None:
        while not self._wake.wait(self.fsync_interval):
            self.flush()


def _rotated_record(previous: Path, previous_head: str) -> dict[str, Any]:
    return {
        "event": ROTATED,
        "time": time.time(),
        "previous": previous.name,
        "previous_head": previous_head,
    }


def _fsync_directory(directory: Path) -> None:
    """Make a rename in directory durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> tuple[int, str]:
    """(bytes written, the error that stopped the write or "")."""
    try:
        done = os.write(fd, data)  # a regular file takes the whole line at once
    except OSError as exc:
        return 0, exc.strerror or str(exc)
    if done == len(data):
        return done, ""
    view = memoryview(data)
    while done < len(data):
        try:
            written = os.write(fd, view[done:])
        except OSError as exc:
            return done, exc.strerror or str(exc)
        done += written
    return done, ""


def _read_tail(path: Path) -> tuple[str, int, int]:
    """(head hash, last seq, torn bytes) of an existing log; genesis for an empty one.

    Torn bytes are a last line without its newline; -1 when that line is nevertheless a
    whole record (the crash took only the newline), which then just needs ending.
    """
    size = path.stat().st_size
    if not size:
        return GENESIS, 0, 0
    with path.open("rb") as fh:
        end, tail = size, b""
        while True:
            start = max(0, end - _TAIL_CHUNK)
            fh.seek(start)
            tail = fh.read(end - start) + tail
            end = start
            lines = tail.split(b"\n")
            if len(lines) >= 3 or start == 0:
                break
    fragment = lines[-1]  # b"" when the file ends with a newline
    whole = [line for line in lines[:-1] if line]
    if fragment:
        record, problem = _parse(fragment)
        if record is not None and not problem and isinstance(record.get("seq"), int):
            return str(record["hash"]), int(record["seq"]), -1
    if not whole:
        return GENESIS, 0, len(fragment)
    record, problem = _parse(whole[-1])
    if record is None or problem or not isinstance(record.get("seq"), int):
        raise ConfigError(
            f"the audit log {path} does not end with an audit record "
            f"(check it with `interlock audit verify {path}`, or start a new file)"
        )
    return str(record["hash"]), int(record["seq"]), len(fragment)


@dataclass(frozen=True)
class VerifyResult:
    records: int
    head: str
    broken_line: int | None = None
    broken_seq: int | None = None
    reason: str = ""
    torn: int = 0
    """Torn lines recovered after a crash (each followed by its resume record)."""
    first_seq: int = 1
    continues_from: str | None = None
    """The file this one was rotated from (its first record says), when it was."""
    start_head: str = GENESIS
    """The hash the file's chain starts from (the previous file's last, after rotation)."""

    @property
    def intact(self) -> bool:
        return self.broken_line is None

    def as_dict(self) -> dict[str, Any]:
        broken = None
        if self.broken_line is not None:
            broken = {"line": self.broken_line, "seq": self.broken_seq, "reason": self.reason}
        return {
            "intact": self.intact,
            "records": self.records,
            "head": self.head,
            "torn": self.torn,
            "first_seq": self.first_seq,
            "continues_from": self.continues_from,
            "broken": broken,
        }


def verify_audit(path: Path) -> VerifyResult:
    """Walk the chain; stop at the first line that does not follow from the one before.
    A file that opens with a ``rotated`` record starts from the hash and seq it names (the
    set of files is checked by ``interlock.gateway.audit_files``)."""
    head, seq, records, torn = GENESIS, 0, 0, 0
    start: tuple[int, str | None, str] = (1, None, GENESIS)
    pending_torn: int | None = None
    number = 0

    def result(line: int | None, at: int | None, reason: str) -> VerifyResult:
        return VerifyResult(records, head, line, at, reason, torn, *start)

    for number, line in _lines(path):
        record, problem = _parse(line)
        if record is None:
            if pending_torn is not None:
                return result(number - 1, None, "unparseable line")
            pending_torn = len(line)
            continue
        if problem:
            return result(number, _seq_of(record), problem)
        if number == 1 and record.get("event") == ROTATED:
            previous_head, at = record.get("previous_head"), _seq_of(record)
            if isinstance(previous_head, str) and at is not None and at > 1:
                head, seq = previous_head, at - 1
                start = (at, str(record.get("previous")), previous_head)
        if pending_torn is not None:
            if record.get("event") != "resume" or record.get("torn_bytes") != pending_torn:
                return result(number - 1, None, "unparseable line")
            torn += 1
            pending_torn = None
        claimed = record.pop("hash")
        if record.get("seq") != seq + 1:
            reason = f"sequence {record.get('seq')} follows {seq} (a record was removed or added)"
            return result(number, _seq_of(record), reason)
        if chain_hash(head, canonical(record)) != claimed:
            reason = "hash does not match (the record or the one before it was changed)"
            return result(number, _seq_of(record), reason)
        head, seq, records = claimed, seq + 1, records + 1
    if pending_torn is not None:
        reason = "torn last line (a crash while writing; the gateway resumes the log on restart)"
        return result(number, None, reason)
    return result(None, None, "")


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The log's records in order (unparseable lines skipped; verify first to trust them)."""
    for _, line in _lines(path):
        record, _problem = _parse(line)
        if record is not None:
            yield record


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ConfigError(f"cannot read the audit log {path}: {exc.strerror}") from exc
    with fh:
        for number, raw in enumerate(fh, start=1):
            yield number, raw.rstrip(b"\n")


def _parse(line: bytes) -> tuple[dict[str, Any] | None, str]:
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None, ""
    if not isinstance(record, dict):
        return None, ""
    if not isinstance(record.get("hash"), str):
        return record, "the record has no hash"
    return record, ""


def _seq_of(record: dict[str, Any]) -> int | None:
    seq = record.get("seq")
    return seq if isinstance(seq, int) else None

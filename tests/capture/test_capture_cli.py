"""`interlock dissect` on captures of every link type and on damaged files, as a user runs it.

Contract (../shared/spec/dissect.md): a damaged or truncated file gives every record before
the damage, then one line on stderr saying what is wrong, and exit status 2.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests_support import interlock_command

from . import builders as b


def dissect(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), "dissect", str(path), "--jsonl", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _exchange_frames(count: int) -> list[bytes]:
    """count request/response pairs in Ethernet frames with QinQ tags, as one TCP stream."""
    frames = []
    for i in range(count):
        request, response = b.modbus_exchange4(trans_id=i + 1)
        # Advance the sequence numbers as a real stream would.
        request = request[:24] + (1000 + 12 * i).to_bytes(4, "big") + request[28:]
        response = response[:24] + (5000 + 29 * i).to_bytes(4, "big") + response[28:]
        tags = [(0x88A8, 100), (0x8100, 10)]
        frames += [b.ethernet(request, b.ETH_IPV4, tags), b.ethernet(response, b.ETH_IPV4, tags)]
    return frames


def test_jsonl_records_from_a_qinq_capture(tmp_path: Path) -> None:
    path = tmp_path / "qinq.pcap"
    path.write_bytes(b.pcap_of_frames(_exchange_frames(2)))
    proc = dissect(path)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["frame"] for r in records] == [1, 2, 3, 4]
    first, second = records[:2]
    assert first == {
        "frame": 1,
        "ts": 1_700_000_000.0,
        "proto": "modbus",
        "transport": "tcp",
        "src": b.CLIENT4,
        "sport": b.CLIENT_PORT,
        "dst": b.SERVER4,
        "dport": 502,
        "fields": {
            "mbtcp.trans_id": 1,
            "mbtcp.unit_id": 4,
            "modbus.func_code": 3,
            "modbus.reference_num": 0,
            "modbus.word_cnt": 10,
        },
        "anomalies": [],
    }
    assert second["ts"] == 1_700_000_000.001
    assert (second["src"], second["sport"], second["dst"], second["dport"]) == (
        b.SERVER4,
        502,
        b.CLIENT4,
        b.CLIENT_PORT,
    )
    assert second["fields"]["mbtcp.trans_id"] == 1
    assert second["fields"]["modbus.request_frame"] == 1
    assert records[3]["fields"]["mbtcp.trans_id"] == 2
    assert records[3]["fields"]["modbus.request_frame"] == 3
    assert proc.stderr == ""  # machine output: stderr carries errors only


def test_jsonl_from_a_pcapng_with_sll2_and_ipv6(tmp_path: Path) -> None:
    request, response = b.modbus_exchange6(extensions=b.hop_by_hop(6), nxt=0)
    data = (
        b.shb(">")
        + b.idb(276, order=">", options=b.tsresol(9, ">"))
        + b.epb(b.sll2(request, b.ETH_IPV6), 1_412_345_678_123_456_789, order=">")
        + b.epb(b.sll2(response, b.ETH_IPV6), 1_412_345_678_223_456_789, order=">")
    )
    path = tmp_path / "sll2.pcap"  # a pcapng under a .pcap name: the magic decides
    path.write_bytes(data)
    proc = dissect(path)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["src"], r["dst"], r["dport"]) for r in records] == [
        (b.CLIENT6, b.SERVER6, 502),
        (b.SERVER6, b.CLIENT6, b.CLIENT_PORT),
    ]
    assert records[0]["ts"] == pytest.approx(1_412_345_678.123457, abs=1e-6)
    assert records[1]["fields"]["modbus.request_frame"] == 1


def _damaged(kind: str) -> tuple[bytes, int]:
    """A damaged file and how many records come before the damage."""
    frames = _exchange_frames(3)
    pcap = b.pcap_of_frames(frames)
    if kind == "cut inside record data":
        return pcap[:-10], 5
    if kind == "cut inside a record header":
        return pcap[: len(pcap) - len(frames[-1]) - 8], 5
    if kind == "absurd caplen":
        bad = b.pcap_record(b.Record(1, 0, b""))[:8] + (1 << 30).to_bytes(4, "little") + bytes(4)
        return pcap + bad, 6
    blocks = b.shb() + b.idb(1) + b"".join(b.epb(f, 10**15 + i) for i, f in enumerate(frames))
    if kind == "pcapng cut short":
        return blocks[:-6], 5
    if kind == "pcapng block too short for a packet":
        return blocks + b.block(6, bytes(8)), 6
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "cut inside record data",
        "cut inside a record header",
        "absurd caplen",
        "pcapng cut short",
        "pcapng block too short for a packet",
    ],
)
def test_a_damaged_capture_keeps_what_came_before(tmp_path: Path, kind: str) -> None:
    data, records = _damaged(kind)
    path = tmp_path / "damaged.pcap"
    path.write_bytes(data)
    proc = dissect(path)
    assert proc.returncode == 2
    assert len(proc.stdout.splitlines()) == records
    assert all(json.loads(line)["proto"] == "modbus" for line in proc.stdout.splitlines())
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"interlock: {path}: ")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot open: No such file or directory"),
        (b"", "empty or too short"),
        (b"hello, this is text\n", "not a pcap or pcapng file"),
    ],
)
def test_an_unreadable_file_is_one_clear_line(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "input.pcap"
    if content is not None:
        path.write_bytes(content)
    proc = dissect(path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("interlock:")]
    assert len(errors) == 1 and message in errors[0], proc.stderr
    assert proc.stderr.splitlines()[-1] == errors[0]

"""Golden outputs on the project's own MQTT capture: Debian's mosquitto broker and
paho-mqtt clients on loopback (tests/protocols/mqtt/mosquitto_capture.py), plus Wireshark
4.0's own answer for it (tests/data/mqtt-mosquitto.wireshark.tsv, made with
../shared/tools/make_truth.sh mqtt).

Regenerate with `.venv/bin/python tests/protocols/mqtt/mosquitto_capture.py` and review
the diff. The comparisons use the committed capture and need no broker; only the test that
records the exchange again needs mosquitto (skipped without it, failing under CI=true).
"""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from protocols.mqtt.mosquitto_capture import (
    CAPTURE,
    PASSWORDS,
    WRONG_PASSWORD,
    available,
    broker,
    record,
    write_capture,
)
from tests_support import DATA, interlock_command

TRUTH = DATA / "mqtt-mosquitto.wireshark.tsv"
COMPARED = (
    "mqtt.msgtype", "mqtt.ver", "mqtt.clientid", "mqtt.username", "mqtt.topic", "mqtt.qos",
    "mqtt.msgid",
)  # fmt: skip
_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")


def dissect(capture: Path, flag: str) -> bytes:
    proc = subprocess.run(
        [*interlock_command(), "dissect", str(capture), flag], capture_output=True, check=True
    )
    return proc.stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect(CAPTURE, "--jsonl") == (DATA / "mqtt-mosquitto.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    expected = (DATA / "mqtt-mosquitto.transactions.jsonl").read_bytes()
    assert dissect(CAPTURE, "--transactions") == expected


def test_no_password_in_any_output() -> None:
    assert any(p.encode() in CAPTURE.read_bytes() for p in PASSWORDS.values())
    for flag in ("--jsonl", "--transactions"):
        out = dissect(CAPTURE, flag)
        for password in (*PASSWORDS.values(), WRONG_PASSWORD):
            assert password.encode() not in out
        assert b'mqtt.passwd"' not in out


def _values(cell: object) -> list[object]:
    if isinstance(cell, list):
        return [v for item in cell for v in _values(item)]
    if isinstance(cell, int):
        return [cell]
    return [int(p, 0) if _INT.match(p) else p for p in str(cell).split(",") if p]


def test_every_field_agrees_with_wireshark_both_ways() -> None:
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )
    for line in dissect(CAPTURE, "--jsonl").splitlines():
        record_ = json.loads(line)
        for key, value in record_["fields"].items():
            ours[record_["frame"]][key].extend(_values(value))
    lines = TRUTH.read_text().splitlines()
    header = lines[0].split("\t")
    frames = set()
    compared = 0
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        frame = int(row["frame.number"])
        frames.add(frame)
        for column in COMPARED:
            theirs = collections.Counter(_values(row[column]))
            assert theirs == collections.Counter(ours[frame].get(column, [])), (frame, column)
            compared += bool(row[column])
    assert set(ours) == frames
    assert compared > 100


def test_output_is_deterministic() -> None:
    assert dissect(CAPTURE, "--jsonl") == dissect(CAPTURE, "--jsonl")


def test_recording_again_reproduces_the_committed_capture(tmp_path: Path) -> None:
    if not available():
        message = "Debian's mosquitto (/usr/sbin/mosquitto, mosquitto_passwd) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: it must be present)")
        pytest.skip(message)
    fresh = tmp_path / "fresh.pcap"
    with broker() as port:
        write_capture(fresh, record(port))
    assert fresh.read_bytes() == CAPTURE.read_bytes()

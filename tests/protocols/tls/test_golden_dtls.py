"""Golden outputs on the project's own DTLS capture (the openssl command's DTLS 1.2 server
and client through a recording UDP relay: a HelloVerifyRequest cookie exchange and a
Certificate in five fragments), and their agreement with Wireshark 4.0 on every field of
dtls_capture.DTLS_FIELDS (tls-dtls.wireshark-fields.tsv, tshark 4.0.17).

Not rebuilt by the tests (OpenSSL's randoms); regenerate with
`.venv/bin/python tests/protocols/tls/dtls_capture.py` and review the diff.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess

import pytest

from protocols.tls.dtls_capture import DTLS_FIELDS
from tests_support import DATA, interlock_command

CAPTURE = DATA / "tls-dtls.pcap"
_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")


def dissect(flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(CAPTURE), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect("--jsonl") == (DATA / "tls-dtls.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    assert dissect("--transactions") == (DATA / "tls-dtls.transactions.jsonl").read_bytes()


def test_the_handshake_is_one_dtls_session() -> None:
    (tx,) = [json.loads(line) for line in dissect("--transactions").splitlines()]
    assert (tx["status"], tx["server"]["port"]) == ("ok", 5684)
    assert tx["details"]["ja4"].startswith("dd2d")
    assert tx["details"]["certificates"][0]["subject"].startswith("CN=plc-gateway")


def _values(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [int(p, 0) if _INT.match(p) else p for p in str(value).split(",") if p]


def test_every_compared_field_agrees_with_wireshark_both_ways() -> None:
    tsv = DATA / "tls-dtls.wireshark-fields.tsv"
    if not tsv.exists():
        pytest.skip("tls-dtls.wireshark-fields.tsv was not made (no tshark)")
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(dict)
    for line in dissect("--jsonl").splitlines():
        record = json.loads(line)
        assert record["proto"] == "dtls"
        for name in DTLS_FIELDS:
            if name in record["fields"]:
                ours[record["frame"]].setdefault(name, []).extend(_values(record["fields"][name]))
    rows = tsv.read_text().splitlines()
    header = rows[0].split("\t")
    frames = set()
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        frame = int(cells["frame.number"])
        frames.add(frame)
        for name in DTLS_FIELDS:
            theirs = collections.Counter(_values(cells[name]))
            assert theirs == collections.Counter(ours[frame].get(name, [])), (frame, name)
    assert set(ours) == frames

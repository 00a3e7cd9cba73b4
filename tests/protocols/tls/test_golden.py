"""Golden outputs on the project's own TLS capture (Python's ssl module, i.e. OpenSSL, as
client and server through a recording relay: TLS 1.2, TLS 1.3, a HelloRetryRequest and a
rejected certificate), and their agreement with Wireshark 4.0: tls-ssl.wireshark.tsv is
../shared/tools/make_truth.sh's output (the corpus columns), tls-ssl.wireshark-fields.tsv
tshark 4.0.17's values of every field in ssl_capture.WIRESHARK_FIELDS on every TLS frame.

The capture holds OpenSSL's random values, so it is not rebuilt by the tests; regenerate
with `.venv/bin/python tests/protocols/tls/ssl_capture.py` (outputs only: `--outputs`)
and review the diff.
"""

from __future__ import annotations

import collections
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from protocols.tls.ssl_capture import WIRESHARK_FIELDS, make_chain
from tests_support import DATA, interlock_command

CAPTURE = DATA / "tls-ssl.pcap"
CORPUS_COLUMNS = (
    "tls.record.version", "tls.handshake.type", "tls.handshake.version",
    "tls.handshake.extensions_server_name", "tls.handshake.ciphersuite",
)  # fmt: skip
_INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")


def dissect(flag: str) -> bytes:
    command = [*interlock_command(), "dissect", str(CAPTURE), flag]
    return subprocess.run(command, capture_output=True, check=True).stdout


def test_dissect_jsonl_matches_the_golden_file() -> None:
    assert dissect("--jsonl") == (DATA / "tls-ssl.dissect.jsonl").read_bytes()


def test_transactions_match_the_golden_file() -> None:
    assert dissect("--transactions") == (DATA / "tls-ssl.transactions.jsonl").read_bytes()


def test_output_is_deterministic() -> None:
    assert dissect("--jsonl") == dissect("--jsonl")
    assert dissect("--transactions") == dissect("--transactions")


def test_the_sessions_are_the_expected_ones() -> None:
    lines = dissect("--transactions").splitlines()
    txs = [json.loads(line) for line in lines]
    assert [(t["status"], t["details"]["version_selected"]) for t in txs] == [
        ("ok", "TLS 1.2"),
        ("ok", "TLS 1.3"),
        ("ok", "TLS 1.3"),
        ("exception", "TLS 1.2"),
    ]
    assert all(t["server"]["port"] == 443 for t in txs)
    assert txs[2]["details"]["hello_retry_request"] is True
    assert txs[2]["details"]["key_share_group_selected"] == "secp384r1"
    assert txs[3]["details"]["alert"] == {"level": 2, "description": "unknown_ca", "from": "client"}
    leaf, ca = txs[0]["details"]["certificates"]
    assert leaf["subject"] == "CN=plc-gateway.interlock.test,O=Interlock Test"
    assert (leaf["key_type"], leaf["key_size"], leaf["curve"]) == ("EC", 256, "secp256r1")
    assert leaf["san_dns"] == ["plc-gateway.interlock.test"] and leaf["san_ips"] == ["10.10.1.5"]
    assert (ca["key_type"], ca["curve"], ca["signature_algorithm"]) == (
        "EC",
        "secp384r1",
        "ecdsa-with-SHA384",
    )


def test_the_generator_makes_the_committed_certificates() -> None:
    """The certificates are deterministic (fixed keys, RFC 6979 signatures)."""
    chain_pem, _key, _ca = make_chain(0x1A7E_C0DE_5EC0_0001)
    certs = x509.load_pem_x509_certificates(chain_pem)
    fresh = [hashlib.sha256(c.public_bytes(Encoding.DER)).hexdigest() for c in certs]
    first = json.loads(dissect("--transactions").splitlines()[0])
    assert fresh == [c["sha256"] for c in first["details"]["certificates"]]


def _values(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [int(p, 0) if _INT.match(p) else p for p in str(value).split(",") if p]


def _agree(tsv: Path, columns: tuple[str, ...]) -> None:
    if not tsv.exists():
        pytest.skip(f"{tsv.name} was not made (no tshark when the capture was generated)")
    ours: dict[int, dict[str, list[object]]] = collections.defaultdict(dict)
    for line in dissect("--jsonl").splitlines():
        record = json.loads(line)
        for name in columns:
            if name in record["fields"]:
                ours[record["frame"]].setdefault(name, []).extend(_values(record["fields"][name]))
    rows = tsv.read_text().splitlines()
    header = rows[0].split("\t")
    frames = set()
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        frame = int(cells["frame.number"])
        frames.add(frame)
        for name in columns:
            theirs = collections.Counter(_values(cells[name]))
            assert theirs == collections.Counter(ours[frame].get(name, [])), (frame, name)


def test_the_corpus_columns_agree_with_wireshark() -> None:
    _agree(DATA / "tls-ssl.wireshark.tsv", CORPUS_COLUMNS)


def test_every_compared_field_agrees_with_wireshark_both_ways() -> None:
    tsv = DATA / "tls-ssl.wireshark-fields.tsv"
    _agree(tsv, WIRESHARK_FIELDS)
    frames = {int(row.split("\t")[0]) for row in tsv.read_text().splitlines()[1:]}
    ours = {json.loads(line)["frame"] for line in dissect("--jsonl").splitlines()}
    assert ours == frames  # a record on every frame Wireshark sees TLS in, and no other

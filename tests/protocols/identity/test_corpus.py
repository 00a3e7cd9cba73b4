"""The identity protocols' incidental frames in the public corpus (ARP, LLDP and DHCP
beside EtherNet/IP, S7 and BACnet traffic, ARP in a scan) agree with tshark 4.0 on every
compared field, both ways. The corpus is read in place (tests_support.corpus_dir()); only
tshark's output for it is committed (tests/data/identity-corpus-*.tsv)."""

from __future__ import annotations

import pytest

from protocols.identity.agreement import disagreements, dissect
from protocols.identity.captures import CORPUS_FRAMES, corpus_truth_path
from tests_support import corpus_dir

CASES = [(capture, proto) for capture, protos in CORPUS_FRAMES for proto in protos]


@pytest.mark.parametrize(("capture", "proto"), CASES)
def test_corpus_frames_agree_with_wireshark(capture: str, proto: str) -> None:
    path = corpus_dir() / "pcaps" / capture
    records = dissect(path, "--proto", proto)
    truth = corpus_truth_path(capture, proto)
    assert truth.read_text().count("\n") > 1, "no frame of this protocol in the truth"
    assert disagreements(records, proto, truth) == []

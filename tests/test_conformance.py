"""Conformance with Wireshark 4.0 on the public corpus, scored by the shared tool exactly as
outside checks score it (../shared/tools/conformance.py): at least 99% field agreement."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests_support import SHARED, corpus_dir, interlock_command

TOOL = SHARED / "tools" / "conformance.py"


@pytest.mark.parametrize("folder", ["modbus", "dnp3", "enip_cip", "s7comm", "s7comm_plus", "tls"])
def test_agreement_with_wireshark(folder: str) -> None:
    corpus = corpus_dir()
    if not TOOL.exists():
        pytest.fail(f"{TOOL} is missing beside the corpus")
    bin_dir = str(Path(interlock_command()[0]).parent)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    env["MANIFEST"] = str(corpus / "MANIFEST.tsv")
    proc = subprocess.run(
        [
            sys.executable,
            str(TOOL),
            str(corpus / "pcaps"),
            str(corpus / "truth" / "pcaps"),
            "0.99",
            folder,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 crashed runs" in proc.stdout

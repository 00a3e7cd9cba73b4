"""Shared test helpers: the public corpus (read in place, never copied), the project's own
captures, and the installed command."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    """The shared folder: $INTERLOCK_SHARED, else the nearest ../shared above the repository."""
    if os.environ.get("INTERLOCK_SHARED"):
        return Path(os.environ["INTERLOCK_SHARED"])
    for parent in ROOT.parents:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()
CORPUS = SHARED / "corpus"
DATA = Path(__file__).resolve().parent / "data"


def corpus_dir() -> Path:
    """../shared/corpus, or a skip (a failure under CI, where it must be present)."""
    if not (CORPUS / "pcaps").is_dir():
        message = f"the public capture corpus is not at {CORPUS}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: it must be present)")
        pytest.skip(message)
    return CORPUS


def interlock_command() -> list[str]:
    """The installed console script, as a user runs it."""
    exe = Path(sys.executable).parent / "interlock"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("interlock")
    assert found, "the interlock console script is not installed"
    return [found]


def write_golden(capture: Path, truth_folder: str | None = None) -> None:
    """Regenerate a capture's golden outputs beside it: <stem>.dissect.jsonl and
    <stem>.transactions.jsonl from the installed command, and <stem>.wireshark.tsv from
    ../shared/tools/make_truth.sh (tshark 4.0) when truth_folder is given and it exists."""
    import subprocess

    stem = capture.name.removesuffix(".pcap")
    for flag, name in (("--jsonl", "dissect"), ("--transactions", "transactions")):
        out = subprocess.run(
            [*interlock_command(), "dissect", str(capture), flag], check=True, capture_output=True
        )
        (capture.parent / f"{stem}.{name}.jsonl").write_bytes(out.stdout)
    make_truth = SHARED / "tools" / "make_truth.sh"
    if truth_folder and make_truth.exists():
        tsv = capture.parent / f"{stem}.wireshark.tsv"
        subprocess.run(["bash", str(make_truth), truth_folder, str(capture), str(tsv)], check=True)
    print(f"wrote {capture} and its golden outputs; review them with git diff")

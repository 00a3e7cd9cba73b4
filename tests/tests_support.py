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

"""Reading a person's configuration file (zones, policy, baseline) with one clear message."""

from __future__ import annotations

from pathlib import Path

from interlock.errors import UsageError


def read_text_file(path: Path, kind: str = "file") -> str:
    """The file's UTF-8 text; UsageError naming the file when it is missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such {kind}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read it ({err})") from None

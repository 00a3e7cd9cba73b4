"""Make tests/ importable for the shared helpers in tests_support.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _installed_copy_matches_sources() -> None:
    """Tests exercise the installed (compiled) package: it must be built from src/ as it is."""
    import interlock

    installed = Path(interlock.__file__).resolve().parent
    source = Path(__file__).resolve().parent.parent / "src" / "interlock"
    if installed == source:
        return  # an editable install: the sources themselves
    stale = [
        str(py.relative_to(source))
        for py in sorted(source.rglob("*.py"))
        if not (installed / py.relative_to(source)).exists()
        or (installed / py.relative_to(source)).read_bytes() != py.read_bytes()
    ]
    if stale:
        raise SystemExit(
            f"the installed interlock differs from src/ ({', '.join(stale[:5])}...): run ./dev setup"
        )


_installed_copy_matches_sources()

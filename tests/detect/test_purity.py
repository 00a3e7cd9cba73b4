"""Detection is deterministic by construction: the modules a run executes import no
clock, randomness, environment, files or database (STYLE habit 6)."""

from __future__ import annotations

import ast
from pathlib import Path

import interlock.detect

RUN_MODULES = (
    "aggregate", "alert", "anomalies", "attack", "context", "engine", "facets", "hits",
    "index", "kinds", "links", "match", "ruleset", "suppress",
)  # fmt: skip
FORBIDDEN = {
    "time", "datetime", "random", "secrets", "uuid", "os", "sys", "socket", "pathlib",
    "sqlite3", "sqlalchemy", "typer", "rich", "subprocess", "threading", "asyncio",
}  # fmt: skip


def test_run_modules_import_no_clock_randomness_environment_or_storage() -> None:
    root = Path(interlock.detect.__file__).parent
    for name in RUN_MODULES:
        tree = ast.parse((root / f"{name}.py").read_text())
        imported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
        assert not imported & FORBIDDEN, (name, sorted(imported & FORBIDDEN))
        source = (root / f"{name}.py").read_text()
        assert "interlock.store" not in source and "interlock.cli" not in source, name

"""Protocol code is sans-IO: no sockets, files, clock, logging setup or database."""

from __future__ import annotations

import ast
from pathlib import Path

import interlock.protocols

FORBIDDEN = {
    "socket",
    "os",
    "io",
    "time",
    "datetime",
    "asyncio",
    "logging",
    "subprocess",
    "threading",
    "select",
    "selectors",
    "random",
    "sqlite3",
    "sqlalchemy",
    "psycopg",
    "typer",
    "rich",
    "fastapi",
    "pathlib",
    "shutil",
    "tempfile",
    "urllib",
    "http",
}
ALLOWED_INTERLOCK = ("interlock.protocols", "interlock.model", "interlock.errors")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_protocol_modules_import_nothing_that_does_io() -> None:
    root = Path(interlock.protocols.__file__).parent
    modules = sorted(root.rglob("*.py"))
    assert len(modules) > 5
    for path in modules:
        for name in imports_of(path):
            top = name.split(".")[0]
            assert top not in FORBIDDEN, f"{path.relative_to(root)} imports {name}"
            if top == "interlock":
                assert name.startswith(ALLOWED_INTERLOCK), (
                    f"{path.relative_to(root)} imports {name}"
                )

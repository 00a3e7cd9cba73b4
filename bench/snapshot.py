"""A frozen copy of the interlock package for one benchmark run.

The engine is optimized while benchmarks run, so `src/` can change between two rounds. The
run therefore builds the package once at the start (from the working tree, or a commit
through `git archive`) exactly as `pip install` does, mypyc-compiled hot path included,
and runs that build for every interlock process, so that one report never mixes two
versions. The build is named in the report by commit and by a digest of its files.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
PACKAGE: Final = "src/interlock"
BUILD_FILES: Final = ("pyproject.toml", "setup.py", "README.md")


@dataclass(frozen=True)
class Snapshot:
    """A directory holding an `interlock` package, and how the report names it."""

    directory: Path
    label: str

    def command(self) -> list[str]:
        """The `interlock` command, importing the package from this snapshot only."""
        code = (
            f"import sys; sys.path.insert(0, {str(self.directory)!r}); "
            "sys.argv[0] = 'interlock'; "
            "from interlock.cli.app import main; sys.exit(main())"
        )
        return [sys.executable, "-c", code]


def take(into: Path, rev: str | None) -> Snapshot:
    """Build the package into `into` as `pip install` would (hot path compiled with mypyc),
    from the working tree or from commit `rev`."""
    head = _git("rev-parse", "--short", rev or "HEAD").strip()
    tree = into / "_tree"
    if rev is None:
        tree.mkdir(parents=True)
        for name in BUILD_FILES:
            shutil.copy2(ROOT / name, tree / name)
        shutil.copytree(
            ROOT / PACKAGE, tree / PACKAGE, ignore=shutil.ignore_patterns("__pycache__")
        )
        dirty = _git("status", "--porcelain", "--", PACKAGE, *BUILD_FILES).strip()
        origin = f"working tree at commit {head}" + (
            " with uncommitted changes" if dirty else ", clean"
        )
    else:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", rev, PACKAGE, *BUILD_FILES],
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        origin = f"commit {head} (git archive)"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(into),
            str(tree),
        ],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    shutil.rmtree(tree)
    compiled = any((into / "interlock").glob("engine.*.so"))
    build = "mypyc-compiled hot path" if compiled else "pure Python (compilation failed)"
    return Snapshot(into, f"{origin}; {build}; snapshot sha256 {digest(into / 'interlock')[:12]}")


LABEL: Final = "snapshot-label.txt"


def kept(directory: Path) -> Snapshot | None:
    """The snapshot an earlier run built into directory (checked by its digest), or None."""
    label = directory / LABEL
    if not label.exists():
        return None
    text = label.read_text()
    if not text.endswith(digest(directory / "interlock")[:12]):
        raise SystemExit(f"{directory} changed since it was built: remove it to build again")
    return Snapshot(directory, f"{text} (kept in {directory})")


def take_or_reuse(keep: Path | None, scratch: Path, rev: str | None) -> Snapshot:
    """The snapshot kept in `keep` when there is one; else a new build (into `keep`, kept
    for the next benchmark, or into `scratch`). One build serves several benchmarks."""
    found = kept(keep) if keep is not None else None
    if found is not None:
        return found
    build = take(keep or scratch, rev)
    if keep is not None:
        (keep / LABEL).write_text(build.label)
    return build


def digest(package: Path) -> str:
    """sha256 over every file's path and bytes, in path order (bytecode excluded)."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout

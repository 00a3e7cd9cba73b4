"""SVG from DOT with Graphviz's ``dot`` program: the map's one piece of I/O, kept apart
from the pure builders so that the domain never runs processes."""

from __future__ import annotations

import shutil
import subprocess
from typing import Final

from interlock.errors import UsageError

MISSING_DOT: Final = "interlock map --format svg needs Graphviz's dot (apt-get install graphviz)"
DOT_TIMEOUT_SECONDS: Final = 300.0


class GraphvizMissing(UsageError):
    code = "map.graphviz_missing"


class GraphvizFailed(UsageError):
    code = "map.graphviz_failed"


def render_svg(dot_text: str, timeout: float = DOT_TIMEOUT_SECONDS) -> bytes:
    """The SVG document Graphviz lays out for ``dot_text``."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissing(MISSING_DOT)
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizFailed(
            f"Graphviz's dot took more than {timeout:g} s to lay out the map"
        ) from None
    except OSError as err:
        raise GraphvizMissing(f"{MISSING_DOT}: {err.strerror}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed(f"Graphviz's dot failed: {reason[-1] if reason else done.returncode}")
    return done.stdout

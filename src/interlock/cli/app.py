"""The `interlock` command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from interlock.cli import demo as demo_cmd
from interlock.cli import dissect as dissect_cmd
from interlock.errors import InterlockError

app = typer.Typer(
    name="interlock",
    help="Passive OT/ICS visibility: dissect industrial traffic from captures and live taps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("dissect")(dissect_cmd.dissect)
app.command("demo")(demo_cmd.demo)
app.command("sample")(demo_cmd.sample)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        from interlock import __version__

        typer.echo(__version__)
        raise typer.Exit()


def main() -> None:
    try:
        app()
    except InterlockError as exc:
        print(f"interlock: {exc}", file=sys.stderr)
        sys.exit(exc.exit_status)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)

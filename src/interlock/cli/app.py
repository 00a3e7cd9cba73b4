"""The `interlock` command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from interlock.cli import baseline as baseline_cmd
from interlock.cli import demo as demo_cmd
from interlock.cli import detect as detect_cmd
from interlock.cli import dissect as dissect_cmd
from interlock.cli import gateway as gateway_cmd
from interlock.cli import inventory as inventory_cmd
from interlock.cli import map as map_cmd
from interlock.cli import policy as policy_cmd
from interlock.cli import rules as rules_cmd
from interlock.cli import sim as sim_cmd
from interlock.cli import suppress as suppress_cmd
from interlock.cli import zones as zones_cmd
from interlock.errors import InterlockError

app = typer.Typer(
    name="interlock",
    help="Passive OT/ICS visibility: dissect industrial traffic from captures and live taps.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("dissect")(dissect_cmd.dissect)
app.command("analyze")(inventory_cmd.analyze)
app.command("assets")(inventory_cmd.assets)
app.command("asset")(inventory_cmd.asset)
app.command("flows")(inventory_cmd.flows)
app.command("changes")(inventory_cmd.changes)
app.command("map")(map_cmd.map_command)
app.add_typer(zones_cmd.app, name="zones")
app.command("sim")(sim_cmd.sim)
app.add_typer(policy_cmd.app, name="policy")
app.add_typer(gateway_cmd.app, name="gateway")
app.add_typer(gateway_cmd.audit_app, name="audit")
app.command("detect")(detect_cmd.detect)
app.command("alerts")(detect_cmd.alerts)
app.add_typer(suppress_cmd.app, name="suppress")
app.add_typer(rules_cmd.app, name="rules")
app.command("demo")(demo_cmd.demo)
app.add_typer(baseline_cmd.app, name="baseline")


@app.command("sample")
def sample(
    out: Annotated[Path, typer.Argument(help="Capture file to write.")],
    sessions: Annotated[
        int,
        typer.Option("--sessions", min=1, help="Copies of the session, each from its own client."),
    ] = 1,
) -> None:
    """Write a capture of a recorded pymodbus session, replicated --sessions times."""
    from interlock.cli.demo import run_sample

    run_sample(out, sessions)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        from interlock import __version__

        typer.echo(__version__)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)


def main() -> None:
    try:
        app()
    except InterlockError as exc:
        print(f"interlock: {exc}", file=sys.stderr)
        sys.exit(exc.exit_status)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:  # our bug, not the user's: one line, details on request
        if os.environ.get("INTERLOCK_DEBUG"):
            raise
        print(
            f"interlock: internal error: {type(exc).__name__}: {exc} "
            "(set INTERLOCK_DEBUG=1 for details, and please report it)",
            file=sys.stderr,
        )
        sys.exit(70)

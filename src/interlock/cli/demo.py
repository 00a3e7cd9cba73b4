"""`interlock demo` (the tank farm end to end) and `interlock sample` (a recorded pymodbus
session as a capture, for benchmarks)."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table


def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Directory for the policy, captures and audit logs.")
    ] = Path("out/demo"),
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="Store the capture is analyzed into (default: OUT/inventory.db)."
        ),
    ] = None,
    speed: Annotated[
        float, typer.Option("--speed", min=1, max=1000, help="Process time per real second.")
    ] = 100.0,
    duration: Annotated[
        float,
        typer.Option("--duration", min=120, help="Simulated seconds per run (attacks at 60 s)."),
    ] = 600.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON document (see docs/demo.md).")
    ] = False,
) -> None:
    """Attack a simulated tank farm without and with the gateway; analyze what a tap saw."""
    from interlock.sim.tank.demo import DemoOptions, run_demo
    from interlock.sim.tank.demo_report import demo_document

    console = Console(stderr=as_json)

    def progress(line: str) -> None:
        if not as_json:
            console.print(f"[dim]{line}[/]")

    result = run_demo(DemoOptions(out, db, speed, duration), progress)
    doc = demo_document(result)
    if as_json:
        sys.stdout.buffer.write(
            orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        )
        return
    print_demo(doc, console)


DAMAGE_TEXT = {
    "overflow": "OVERFLOW",
    "pump_dry_run": "PUMP RAN DRY",
    "pump_overstart": "MOTOR OVER-STARTED",
}
BREACH_TEXT = {
    "level_above_envelope": "level above 90 %",
    "level_below_envelope": "level below 10 %",
    "interlock_bypassed": "interlock bypassed",
}


def impact_text(effect: dict[str, Any]) -> str:
    parts = []
    for kind in effect["damage"]:
        text = DAMAGE_TEXT.get(kind, kind)
        if kind == "overflow":
            text += f" ({effect['spilled_m3']:.2f} m3 spilled)"
        if kind == "pump_overstart":
            text += f" ({effect['pump_starts']} starts)"
        parts.append(f"[bold red]{text}[/]")
    breaches = effect["envelope_breaches"]
    if "overflow" in effect["damage"]:
        breaches = [k for k in breaches if k != "level_above_envelope"]  # said already
    parts += [f"[red]{BREACH_TEXT.get(k, k)}[/]" for k in breaches]
    if effect["plc_restarted"]:
        parts.append("[red]PLC restarted, pump stopped[/]")
    if effect["plc_silent_s"] > 0:
        parts.append(f"[red]PLC silent {round(effect['plc_silent_s'])} s[/]")
    lost = effect["hmi_refused"] + effect["hmi_unanswered"]
    if lost:
        parts.append(f"[red]HMI lost {lost} request{'s' if lost > 1 else ''}[/]")
    if not parts:
        low, high = round(effect["level_min"]), round(effect["level_max"])
        parts.append(f"[green]normal[/], level {low}-{high} %")
    return ", ".join(parts)


def refused_text(row: dict[str, Any]) -> str:
    gateway = row["protected"]["gateway"]
    if not row["scenario"] or gateway is None:
        return ""
    records = row["protected"]["tank"]["scenarios"]
    attacks = sum(r["attack_requests"] for r in records)
    refused = sum(r["refused"] for r in records)
    rules: list[str] = []
    for refusal in gateway["attack_refusals"]:
        if refusal["rule"] not in rules:
            rules.append(refusal["rule"])
    return f"{refused}/{attacks} " + " ".join(rules)


def print_demo(doc: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"Tank farm: {doc['simulated_s']:g} s of process time per run at {doc['speed']:g}x",
        title_justify="left",
    )
    for column in ("tank", "attack", "without the gateway", "refused by", "with the gateway"):
        table.add_column(column, overflow="fold")
    for row in doc["tanks"]:
        attack = row["title"] + (f" ({row['technique']})" if row["technique"] else "")
        table.add_row(
            row["name"],
            attack,
            impact_text(row["unprotected"]["impact"]),
            refused_text(row),
            impact_text(row["protected"]["impact"]),
        )
    console.print(table)
    s = doc["summary"]
    attacks = s["attacks"]["protected"]
    hmi = s["hmi"]["protected"]
    latency = s["latency_added_us"]
    console.print(
        f"Attacks: {s['attacks_stopped']} of {attacks['scenarios']} stopped by the gateway "
        f"({attacks['refused']} of {attacks['requests']} attack requests refused with Modbus "
        f"exceptions). Tanks harmed: {len(s['harmed_tanks']['unprotected'])} without the "
        f"gateway, {len(s['harmed_tanks']['protected'])} with it."
    )
    console.print(
        f"Legitimate HMI requests refused or unanswered behind the gateway: "
        f"[bold]{s['legitimate_refused']}[/] of {hmi['requests']} (what OEE counts)."
    )
    if latency.get("p50") is not None:
        console.print(
            f"Latency the gateway added: p50 {latency['p50']:g} µs, p99 {latency['p99']:g} µs "
            f"over {int(latency['count'] or 0)} requests (in one process with the simulator)."
        )
    store = doc["store"]
    capture = doc["capture"]
    console.print(
        f"Capture of the unprotected run: {capture['path']} ({capture['frames']} frames), "
        f"analyzed into {store['db']}: {store['assets']} assets, {store['new_alerts']} alerts "
        f"from detection, {store['gateway_alerts']} from the gateways' refusals."
    )
    if store["detection_error"]:
        console.print(f"[yellow]detection did not run: {store['detection_error']}[/]")
    console.print("Next:")
    for command in doc["next"]:
        console.print(f"  {command}", highlight=False, markup=False)


def _record() -> list[tuple[int, bytes]]:
    from interlock.sim.modbus_session import record_session

    # pymodbus announces its own deprecations on stdout; they are not ours to show.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return record_session()


def run_sample(out: Path, sessions: int) -> None:
    """Write a capture of a recorded pymodbus session, replicated sessions times."""
    from interlock.sim.modbus_session import write_capture

    out.parent.mkdir(parents=True, exist_ok=True)
    chunks = _record()

    def progress(frames: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{frames:,} frames")

    frames = write_capture(out, chunks, sessions, progress)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    typer.echo(f"{frames:,} frames, {sessions:,} sessions -> {out}")

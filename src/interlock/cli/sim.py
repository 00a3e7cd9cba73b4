"""`interlock sim`: serve the simulated tank, optionally with the HMI workload and attacks."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from interlock.sim.tank.runner import TankOutcome, Timing

SIM_JSON_VERSION = 1


def sim(
    listen: Annotated[
        str, typer.Option("--listen", help="HOST:PORT the simulated PLC serves Modbus/TCP on.")
    ] = "127.0.0.1:5020",
    speed: Annotated[
        float, typer.Option("--speed", min=0.1, max=1000, help="Process time per real second.")
    ] = 10.0,
    duration: Annotated[
        float | None,
        typer.Option(
            "--duration",
            min=0,
            help="Simulated seconds to run (default: long enough for the scenarios and 300 s "
            "after the last, at least 600 with --hmi; else until Ctrl-C).",
        ),
    ] = None,
    hmi: Annotated[bool, typer.Option("--hmi", help="Run the normal HMI workload.")] = False,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", help="Attack scenario to run (repeatable, or 'all')."),
    ] = None,
    via: Annotated[
        str | None,
        typer.Option("--via", help="Send the workload and attacks to HOST:PORT (e.g. a gateway)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON document (see docs/demo.md).")
    ] = False,
) -> None:
    """Simulate the tank process behind a real Modbus/TCP server (register map: docs/demo.md)."""
    from interlock.sim.tank.runner import Timing
    from interlock.sim.tank.session import parse_address, pick_scenarios, run_sim

    address = parse_address(listen, "--listen")
    through = parse_address(via, "--via") if via else None
    chosen = pick_scenarios(scenario or [])
    timing = Timing(speed=speed)
    simulated = duration if duration is not None else default_duration(timing, hmi, len(chosen))
    timing = replace(timing, duration_s=simulated)

    def ready(tank: TankOutcome) -> None:
        until = f"for {simulated:g} simulated s" if simulated else "until Ctrl-C"
        print(
            f"interlock sim: tank PLC on {tank.plc[0]}:{tank.plc[1]} (unit 1), "
            f"{speed:g}x real time, {until}",
            file=sys.stderr,
            flush=True,
        )

    result = run_sim(address, timing, hmi, chosen, through, ready)
    from interlock.sim.tank.report import tank_document

    doc: dict[str, Any] = {
        "version": SIM_JSON_VERSION,
        "speed": result.speed,
        "real_s": round(result.real_s, 1),
        "tank": tank_document(result.tank),
    }
    if as_json:
        sys.stdout.buffer.write(
            orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        )
        return
    print_sim(doc, Console())


def default_duration(timing: Timing, hmi: bool, scenarios: int) -> float:
    """Simulated seconds: until 300 s after the last scenario starts, at least 600 with
    clients; 0 (until interrupted) without any."""
    if not hmi and not scenarios:
        return 0.0
    last = timing.attack_at_s + (scenarios - 1) * timing.attack_gap_s if scenarios else 0.0
    return max(600.0, last + 300.0)


def print_sim(doc: dict[str, Any], console: Console) -> None:
    tank = doc["tank"]
    process = tank["process"]
    level = process["level_pct"]
    console.print(
        f"[bold]Tank {tank['name']}[/] on {tank['plc']}: {process['simulated_s']:g} s of process "
        f"time at {doc['speed']:g}x ({doc['real_s']:g} s)"
    )
    table = Table(title="process", title_justify="left", show_header=False)
    table.add_row(
        "level max / min / final", f"{level['max']} / {level['min']} / {level['final']} %"
    )
    table.add_row("outside the 10-90 % envelope", f"{process['outside_envelope_s']:g} s")
    table.add_row("spilled", f"{process['spilled_m3']:g} m3")
    table.add_row("pump starts", str(process["pump_starts"]))
    alarms = process["alarms"]
    table.add_row("alarms (high / low)", f"{alarms['high_alarm']} / {alarms['low_alarm']}")
    comms = tank["plc_comms"]
    table.add_row("PLC not answering", f"{comms['silent_s']:g} s")
    console.print(table)
    events = process["damage"] + process["envelope_breaches"]
    if events:
        timeline = Table(title="damage and envelope breaches", title_justify="left")
        for column in ("time s", "event", "level %"):
            timeline.add_column(column)
        for event in sorted(events, key=lambda e: e["time_s"]):
            timeline.add_row(f"{event['time_s']:g}", event["kind"], f"{event['level_pct']:g}")
        console.print(timeline)
    else:
        console.print("no damage, the level stayed inside its envelope")
    if tank["hmi"] is not None:
        h = tank["hmi"]
        console.print(
            f"HMI: {h['requests']} requests, {h['ok']} answered, {h['exception']} refused, "
            f"{h['no_response'] + h['not_connected']} unanswered"
        )
    for record in tank["scenarios"]:
        print_scenario(record, console)


def print_scenario(record: dict[str, Any], console: Console) -> None:
    console.print(
        f"[bold]{record['name']}[/] ({record['technique']}) from {record['source']} at "
        f"{record['started_s']:g} s"
    )
    table = Table()
    for column in ("request", "FC", "outcome"):
        table.add_column(column)
    for request in record["requests"]:
        outcome = request["outcome"]
        if request["exception_code"] is not None:
            outcome += f" {request['exception_code']:#04x}"
        marker = "" if request["attack"] else " (preparation)"
        table.add_row(request["what"] + marker, str(request["function"]), outcome)
    console.print(table)

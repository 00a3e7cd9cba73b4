"""`interlock gateway` (the inline enforcement gateway), `interlock gateway stats` and
`interlock audit verify`. What they do and their JSON shapes: docs/gateway.md."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.gateway.config import GatewayConfig

app = typer.Typer(
    help="The inline enforcement gateway for Modbus/TCP (docs/gateway.md).",
    invoke_without_command=True,
)
audit_app = typer.Typer(help="The gateway's hash-chained audit log.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document (docs/gateway.md).")]


@app.callback(invoke_without_command=True)
def gateway(
    ctx: typer.Context,
    listen: Annotated[
        str | None, typer.Option("--listen", help="HOST:PORT the HMIs connect to.")
    ] = None,
    upstream: Annotated[
        str | None, typer.Option("--upstream", help="HOST:PORT of the PLC.")
    ] = None,
    policy: Annotated[
        Path | None, typer.Option("--policy", help="Policy file (docs/policy.md).")
    ] = None,
    audit: Annotated[Path, typer.Option("--audit", help="Audit log, appended to.")] = Path(
        "interlock-audit.jsonl"
    ),
    fsync_interval: Annotated[
        str, typer.Option("--fsync-interval", help="Most time between fsyncs of the audit log.")
    ] = "200ms",
    audit_max_bytes: Annotated[
        str,
        typer.Option(
            "--audit-max-bytes",
            help="Rotate the audit log once it reaches this size (256MiB, 1GiB; 0: never).",
        ),
    ] = "256MiB",
    mode: Annotated[
        str | None, typer.Option("--mode", help="monitor or enforce: overrides the policy's modes.")
    ] = None,
    exception_code: Annotated[
        int | None,
        typer.Option(
            "--exception-code", help="Exception code for every refusal, over the policy's."
        ),
    ] = None,
    fail: Annotated[
        str | None,
        typer.Option(
            "--fail", help="open or closed when the decision core fails: overrides the policy."
        ),
    ] = None,
    decision_budget: Annotated[
        str,
        typer.Option(
            "--decision-budget", help="Longest a decision may take before the fail mode decides."
        ),
    ] = "20ms",
    latency_budget: Annotated[
        str, typer.Option("--latency-budget", help="Added latency promised at p99.")
    ] = "1ms",
    metrics: Annotated[
        str | None, typer.Option("--metrics", help="HOST:PORT for GET /metrics and /stats.")
    ] = None,
    stats: Annotated[
        Path | None, typer.Option("--stats", help="Statistics file, rewritten every second.")
    ] = None,
    max_clients: Annotated[
        int, typer.Option("--max-clients", min=1, help="Client connections at once.")
    ] = 64,
    busy_poll: Annotated[
        str,
        typer.Option(
            "--busy-poll",
            help="Poll without sleeping up to this long before sleeping, learning how long "
            "from the traffic (at most 10ms; 0: never): CPU for latency (docs/gateway.md).",
        ),
    ] = "100us",
    no_watch: Annotated[
        bool, typer.Option("--no-watch", help="Reload on SIGHUP only, not on file change.")
    ] = False,
    supervise: Annotated[
        bool, typer.Option("--supervise", help="Run under a supervisor that restarts it.")
    ] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="When stopped, store the decisions as alerts in this inventory store "
            "(as `interlock audit import` does).",
        ),
    ] = None,
    listen_fd: Annotated[int | None, typer.Option("--listen-fd", hidden=True)] = None,
) -> None:
    """Listen for Modbus/TCP clients, decide every request against the policy, forward or
    refuse it with an exception response; runs until SIGTERM or SIGINT (exit 0)."""
    if ctx.invoked_subcommand is not None:
        return
    if listen is None or upstream is None or policy is None:
        raise UsageError("gateway needs --listen HOST:PORT, --upstream HOST:PORT and --policy FILE")
    config = _config(
        listen, upstream, policy, audit, fsync_interval, mode, exception_code, fail,
        decision_budget, latency_budget, metrics, stats, max_clients, not no_watch, busy_poll,
        audit_max_bytes,
    )  # fmt: skip
    if supervise:
        from interlock.gateway.supervise import supervise as run_supervised

        argv = [arg for arg in sys.argv[1:] if arg != "--supervise"]
        raise typer.Exit(run_supervised(config.listen, argv))
    _run(config, listen_fd)
    if db is not None:
        records, stored = import_audit(config.audit, db, "default")
        print(f"interlock gateway: {stored} alerts from {records} records stored in {db}",
              file=sys.stderr)  # fmt: skip


def _config(
    listen: str, upstream: str, policy: Path, audit: Path, fsync_interval: str,
    mode: str | None, exception_code: int | None, fail: str | None, decision_budget: str,
    latency_budget: str, metrics: str | None, stats: Path | None, max_clients: int, watch: bool,
    busy_poll: str = "100us", audit_max_bytes: str = "256MiB",
) -> GatewayConfig:  # fmt: skip
    from interlock.gateway.config import GatewayConfig, parse_address, parse_duration, parse_size

    if mode not in (None, "monitor", "enforce"):
        raise UsageError(f"--mode {mode!r}: use monitor or enforce")
    if fail not in (None, "open", "closed"):
        raise UsageError(f"--fail {fail!r}: use open or closed")
    return GatewayConfig(
        listen=parse_address(listen, "--listen"),
        upstream=parse_address(upstream, "--upstream"),
        policy=policy,
        audit=audit,
        fsync_interval=parse_duration(fsync_interval, "--fsync-interval"),
        audit_max_bytes=parse_size(audit_max_bytes, "--audit-max-bytes"),
        mode=mode,  # type: ignore[arg-type]
        exception_code=exception_code,
        fail_mode=fail,  # type: ignore[arg-type]
        decision_budget=parse_duration(decision_budget, "--decision-budget"),
        latency_budget=parse_duration(latency_budget, "--latency-budget"),
        metrics=parse_address(metrics, "--metrics") if metrics else None,
        stats_file=stats,
        max_clients=max_clients,
        watch_policy=watch,
        busy_poll=parse_duration(busy_poll, "--busy-poll"),
    )


def _run(config: GatewayConfig, listen_fd: int | None) -> None:
    import socket

    from interlock.gateway.server import Gateway

    gateway = Gateway(config)
    listener = socket.socket(fileno=listen_fd) if listen_fd is not None else None

    def ready() -> None:
        active = gateway.policy.active
        metrics = gateway.metrics_address
        where = f", metrics http://{metrics}/metrics" if metrics else ""
        print(
            f"interlock gateway: listening on {gateway.address}, upstream {config.upstream}, "
            f"policy {config.policy} ({active.mode}, {active.digest[:12]}), "
            f"audit {config.audit}{where}",
            file=sys.stderr,
            flush=True,
        )

    gateway.serve_forever(listener, ready)
    assert gateway.audit is not None
    print(
        f"interlock gateway: stopped; audit {config.audit} flushed at record {gateway.audit.seq}",
        file=sys.stderr,
    )


@app.command("stats")
def stats_command(
    source: Annotated[
        str, typer.Argument(help="Stats file, or HOST:PORT / URL of a gateway's --metrics.")
    ],
    as_json: JsonOption = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when the latency budget does not hold.")
    ] = False,
) -> None:
    """Added latency (p50, p99, p99.9), requests and the budget verdict of a gateway."""
    from interlock.gateway.stats import read_stats

    doc = read_stats(source)
    if as_json:
        sys.stdout.write(
            orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
        )
    else:
        _print_stats(doc)
    if check and doc["budget"]["holds"] is False:
        raise typer.Exit(1)


def _print_stats(doc: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    gw = doc["gateway"]
    console.print(
        f"gateway {gw['listen']} -> {gw['upstream']} ({gw['protocol']}, {gw['io_model']}), "
        f"up {gw['uptime_s']:.0f} s, policy {doc['policy']['mode']} {doc['policy']['digest'][:12]}"
    )
    table = Table("latency", "count", "p50 µs", "p99 µs", "p99.9 µs", "max µs")
    for name in ("added", "decision", "refusal"):
        h = doc["latency"][name]
        table.add_row(
            name,
            str(h["count"]),
            *(_us(h[k]) for k in ("p50_us", "p99_us", "p999_us")),
            _us(h["max_ns"] / 1000 if h["count"] else None),
        )
    console.print(table)
    requests = Table("verdict", "action", "requests")
    for row in doc["counters"]["requests"]:
        requests.add_row(row["verdict"], row["action"], str(row["count"]))
    console.print(requests)
    audit = doc["audit"]
    rotations = f", {audit['rotations']} rotations" if audit.get("rotations") else ""
    console.print(f"audit {audit['path']}: seq {audit['seq']}, {audit['fsyncs']} fsyncs{rotations}")
    busy = gw.get("busy_poll")
    if busy and busy["budget_us"]:
        console.print(f"busy polling {busy['budget_us']:g} µs: {busy['polls']} polls, "
                      f"{busy['caught']} caught their event")  # fmt: skip
    budget = doc["budget"]
    verdict = {True: "holds", False: "DOES NOT HOLD", None: "no data yet"}[budget["holds"]]
    console.print(
        f"budget: p{budget['quantile'] * 100:g} added latency at most {budget['limit_us']:g} µs: "
        f"{verdict} (observed {_us(budget['observed_us'])} µs over {budget['samples']} transactions)"
    )


def _us(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


@audit_app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="The gateway's audit log.")],
    as_json: JsonOption = False,
) -> None:
    """Check the hash chain, through the files rotated out of FILE that are present: exit 0
    when intact, 2 naming the first broken record."""
    from interlock.gateway.audit_files import verify_files

    checked = verify_files(file)
    if as_json:
        sys.stdout.write(orjson.dumps(checked.as_dict()).decode() + "\n")
    elif checked.intact:
        torn = checked.torn
        torn_text = f", {torn} torn line(s) recovered after a crash" if torn else ""
        first = checked.files[0].result
        files = f" in {len(checked.files)} files" if len(checked.files) > 1 else ""
        since = (
            f" from seq {first.first_seq} (continuing {first.continues_from}, not present)"
            if first.continues_from
            else ""
        )
        print(f"{file}: intact: {checked.records} records{files}{since}, head {checked.head}"
              f"{torn_text}")  # fmt: skip
    else:
        failed = checked.files[-1].result
        seq = f" (seq {failed.broken_seq})" if failed.broken_seq is not None else ""
        print(f"{checked.where}: broken{seq}: {checked.reason}; "
              f"{checked.records} records verified before it")  # fmt: skip
    if not checked.intact:
        raise typer.Exit(2)


@audit_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The gateway's audit log.")],
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Inventory store (default: $INTERLOCK_DB or ~/.local/share/interlock/inventory.db).",
        ),
    ] = None,
    site: Annotated[str, typer.Option("--site", help="Site name recorded in the alerts.")] = (
        "default"
    ),
    as_json: JsonOption = False,
) -> None:
    """Store the gateway's decisions as alerts (`interlock alerts`); the chain is verified
    first, and a log imported again, or after it grew, is not counted twice."""
    from interlock.store.schema import default_path

    records, stored = import_audit(file, db or default_path(), site)
    if as_json:
        sys.stdout.write(orjson.dumps({"records": records, "alerts": stored}).decode() + "\n")
    else:
        print(f"{file}: {records} records verified, {stored} alerts stored")


def import_audit(file: Path, db: Path, site: str) -> tuple[int, int]:
    """Verify the chain, then store the decisions as alerts: (records, alerts stored)."""
    from interlock.gateway.alerts import alerts_from_audit
    from interlock.gateway.audit_files import set_records, verify_files
    from interlock.store.alerts import replace_alerts
    from interlock.store.schema import open_store

    if not file.is_file():
        raise UsageError(f"{file}: no such audit log")
    checked = verify_files(file)
    if not checked.intact:
        raise UsageError(
            f"{checked.where}: broken audit chain ({checked.reason}); nothing imported"
        )
    alerts = alerts_from_audit(set_records(file), site, IMPORT_WINDOW)
    return checked.records, replace_alerts(open_store(db), alerts, IMPORT_WINDOW)


IMPORT_WINDOW = 60.0
"""Seconds: consecutive records of one rule between the same endpoints become one alert."""

"""`interlock policy check|replay|suggest`: validate a policy, replay it on captures before
enforcing it, draft one from traffic. Formats and JSON shapes: docs/policy.md."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.policy import Policy

app = typer.Typer(
    help="Physics-first policy: check a policy, replay it on captures, suggest one from traffic.",
    no_args_is_help=True,
)

PolicyFile = Annotated[Path, typer.Argument(help="Policy file (YAML, docs/policy.md).")]
Captures = Annotated[list[Path], typer.Argument(help="pcap or pcapng files, replayed in order.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document (docs/policy.md).")]
DecodeAs = Annotated[
    list[str] | None, typer.Option("--decode-as", help="Force PORT=NAME, like Wireshark's -d.")
]


@app.command("check")
def check(policy_file: PolicyFile, as_json: JsonOption = False) -> None:
    """Validate a policy: every error is printed as FILE:LINE: message (exit 2)."""
    from interlock.policy import PolicyError, load_policy
    from interlock.policy.documents import errors_document, policy_document

    try:
        policy = load_policy(policy_file)
    except PolicyError as err:
        if as_json:
            _print_json(errors_document(str(policy_file), err.issues))
        for issue in err.issues:
            print(issue, file=sys.stderr)
        raise typer.Exit(2) from None
    if as_json:
        _print_json(policy_document(policy))
        return
    print(f"{policy_file}: valid: {_summary(policy)}")


@app.command("replay")
def replay_command(
    policy_file: PolicyFile,
    captures: Captures,
    as_json: JsonOption = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="List allowed requests too, not only refused ones.")
    ] = False,
    fail_on_block: Annotated[
        bool, typer.Option("--fail-on-block", help="Exit 1 when any request would be blocked.")
    ] = False,
    decode_as: DecodeAs = None,
) -> None:
    """What the policy would have blocked or flagged in the captures, by which rule."""
    from interlock import dissect as job
    from interlock.capture import open_capture
    from interlock.policy import compile_policy, load_policy
    from interlock.policy.documents import decision_record, replay_summary
    from interlock.policy.replay import Replayed, replay

    mapping = job.parse_decode_as(decode_as or [])
    _check_files(captures)
    policy = load_policy(policy_file)
    core = compile_policy(policy)
    records: list[dict[str, Any]] = []
    current = [""]

    def keep(replayed: Replayed) -> None:
        if show_all or replayed.decision.verdict != "allow":
            records.append(decision_record(replayed, current[0]))

    def frames() -> Any:
        for path in captures:
            current[0] = str(path)
            yield open_capture(path)

    result = replay(core, frames(), keep, mapping)
    names = [str(path) for path in captures]
    summary = replay_summary(result, names)
    if as_json:
        _print_json({"policy": str(policy_file), "decisions": records, "summary": summary})
    else:
        _print_replay(records, summary)
    for error in result.errors:
        print(f"interlock: {error}", file=sys.stderr)
    if result.errors:
        raise typer.Exit(2)
    if fail_on_block and summary["blocked"]:
        raise typer.Exit(1)


@app.command("suggest")
def suggest_command(
    captures: Captures,
    margin: Annotated[
        float,
        typer.Option(
            "--margin", min=0.0, max=10.0, help="Widen observed ranges and rates by this fraction."
        ),
    ] = 0.2,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the draft here instead of stdout.")
    ] = None,
    decode_as: DecodeAs = None,
) -> None:
    """Draft a policy from observed traffic (default deny for everything not seen)."""
    from interlock import dissect as job
    from interlock.capture import open_capture
    from interlock.policy.suggest import suggest

    mapping = job.parse_decode_as(decode_as or [])
    _check_files(captures)
    names = [str(path) for path in captures]
    text, errors = suggest(lambda: [open_capture(p) for p in captures], names, margin, mapping)
    for error in errors:
        print(f"interlock: {error}", file=sys.stderr)
    if errors:
        raise typer.Exit(2)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _check_files(captures: list[Path]) -> None:
    for capture in captures:
        if not capture.is_file():
            raise UsageError(f"{capture}: no such file")


def _summary(policy: Policy) -> str:
    return (
        f"{len(policy.assets)} assets, {len(policy.tags)} tags, {len(policy.rules)} rules, "
        f"{len(policy.interlocks)} interlocks, {len(policy.windows)} windows "
        f"(default {policy.default}, {policy.mode})"
    )


def _print_json(doc: Any) -> None:
    sys.stdout.buffer.write(
        orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )
    sys.stdout.flush()


def _print_replay(records: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    """One line per decision (they are read, grepped and pasted into tickets), then totals."""
    for r in records:
        where = "" if r["address"] is None else f" {r['space']} {r['address']}"
        tag = f" ({r['tag']})" if r["tag"] else ""
        print(
            f"frame {r['frame']} {r['client']} {r['function_name']}{where}{tag}: "
            f"{r['verdict'].upper()} by {r['rule']}: {r['reason']}"
        )
    print(
        f"{summary['requests']:,} requests: {summary['allowed']:,} allowed, "
        f"{summary['alerted']:,} alerted, {summary['blocked']:,} blocked"
    )
    for rule in summary["rules"]:
        print(f"  {rule['rule']}: {rule['requests']:,} {rule['verdict']}")
    for protocol, count in summary["undecided"].items():
        print(f"  {count:,} {protocol} requests not decided (no policy adapter)")

"""`interlock rules list|check|test`: the detection rule packs. Shapes: docs/detect.md."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from interlock.cli.detect import RulesOption, print_json

app = typer.Typer(
    help="Detection rule packs: list the rules, check packs, run each rule's tests.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document (docs/detect.md).")]
PackArgument = Annotated[
    Path | None,
    typer.Argument(help="A pack file or a directory of packs (default: the shipped packs)."),
]


@app.command("list")
def list_command(rules: RulesOption = None, as_json: JsonOption = False) -> None:
    """Every rule loaded: id, severity, techniques (v18.1 and v19), kind, where it is."""
    from interlock.cli.detect import load_rule_set
    from interlock.detect.attack import v19_ids

    found = load_rule_set(rules)
    records: list[dict[str, Any]] = [
        {
            "id": r.info.id,
            "title": r.info.title,
            "severity": r.info.severity,
            "techniques": list(r.info.techniques),
            "techniques_v19": v19_ids(r.info.techniques),
            "kind": r.kind_name,
            "enabled": r.enabled,
            "window": r.window,
            "description": r.info.description,
            "source": r.source,
            "line": r.line,
        }
        for r in found.rules
    ]
    if as_json:
        print_json({"rules": records})
        return
    table = Table("id", "severity", "techniques", "kind", "enabled", "title")
    for r in records:
        table.add_row(
            r["id"], r["severity"], " ".join(r["techniques"]), r["kind"],
            "yes" if r["enabled"] else "no", r["title"],
        )  # fmt: skip
    Console().print(table)


@app.command("check")
def check(
    path: PackArgument = None,
    collect: Annotated[
        bool, typer.Option("--collect", help="Report every error, not only the first.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Load packs and report their errors as FILE:LINE: message (exit 2 when any)."""
    from interlock.detect.loader import check_rules

    rules, errors = check_rules(path)
    shown = errors if collect else errors[:1]
    if as_json:
        print_json(
            {
                "valid": not errors,
                "rules": len(rules.rules) if rules is not None else 0,
                "errors": [{"file": e.source, "line": e.line, "message": e.message} for e in shown],
                "more_errors": len(errors) - len(shown),
            }
        )
    else:
        for error in shown:
            print(error, file=sys.stderr)
        if errors[len(shown) :]:
            print(f"({len(errors) - len(shown)} more: --collect shows them)", file=sys.stderr)
        if rules is not None:
            print(f"valid: {len(rules.rules)} rules")
    if errors:
        raise typer.Exit(2)


@app.command("test")
def test(path: PackArgument = None, as_json: JsonOption = False) -> None:
    """Run each rule's own tests (<pack>.tests.yaml); exit 1 when one fails."""
    from interlock.detect.loader import load_rules, pack_files, shipped_dir
    from interlock.detect.testing import run_tests

    rules = load_rules(path)
    results, errors = run_tests(pack_files(path or shipped_dir()), rules)
    failed = [r for r in results if not r.passed]
    if as_json:
        print_json(
            {
                "passed": len(results) - len(failed),
                "failed": len(failed),
                "cases": [_case(r) for r in results],
                "errors": [
                    {"file": e.source, "line": e.line, "message": e.message} for e in errors
                ],
            }
        )
    else:
        for error in errors:
            print(error, file=sys.stderr)
        for r in failed:
            print(f"FAIL {r.where} {r.rule}: {r.name}: {r.problem}")
        print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if errors:
        raise typer.Exit(2)
    if failed:
        raise typer.Exit(1)


def _case(result: Any) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "name": result.name,
        "where": result.where,
        "passed": result.passed,
        "problem": result.problem or None,
    }

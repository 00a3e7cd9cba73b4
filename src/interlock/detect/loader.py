"""Loading rule packs: YAML files in, a checked RuleSet (or every error, file:line) out.

Shipped packs are every ``*.yaml`` (not ``*.tests.yaml``) in ``interlock/detect/rules/``.
``--rules PATH`` (a pack file, or a directory of them) adds rules; a rule there whose id is
a shipped rule's replaces it (to retune or disable it: ``enabled: false``). Within the
shipped packs, or within the added ones, an id may appear once.

Nothing is half-loaded: one error anywhere means no RuleSet. ``check_rules`` returns every
error (the collect mode of ``interlock rules check --collect``); ``load_rules`` raises the
first, naming its file and line, and how many more there are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from interlock.detect.nodes import LoadError, RuleReader, compose_pack
from interlock.detect.ruleset import Rule, RuleSet
from interlock.detect.rulespec import read_rule
from interlock.errors import ConfigError

PACK_SUFFIX: Final = ".yaml"
TESTS_SUFFIX: Final = ".tests.yaml"
PACK_KEYS: Final = ("rules",), ("description",)


class RuleLoadError(ConfigError):
    code = "config.rules"

    def __init__(self, errors: list[LoadError]) -> None:
        more = f" ({len(errors) - 1} more: interlock rules check --collect)" if errors[1:] else ""
        super().__init__(f"{errors[0]}{more}")
        self.errors = errors


def shipped_dir() -> Path:
    return Path(__file__).resolve().parent / "rules"


def pack_files(path: Path) -> list[Path]:
    """The pack files at path: the file itself, or a directory's packs (tests excluded)."""
    if path.is_dir():
        return sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.name.endswith(PACK_SUFFIX) and not p.name.endswith(TESTS_SUFFIX)
        )
    if path.is_file():
        return [path]
    raise ConfigError(f"{path}: no such rule pack or directory")


def transaction_protocols() -> frozenset[str]:
    """Protocol names a rule may match: every engine protocol and the transaction-only ones."""
    from interlock.zones.protocols import KNOWN_PROTOCOLS

    return KNOWN_PROTOCOLS


def read_pack(
    text: str, source: str, protocols: frozenset[str]
) -> tuple[list[Rule], list[LoadError]]:
    """The rules of one pack file, and its errors."""
    root = compose_pack(text, source, "rules")
    if isinstance(root, LoadError):
        return [], [root]
    reader = RuleReader(source)
    top = reader.mapping(root, "a rule pack", *PACK_KEYS)
    rules: list[Rule] = []
    if top is not None and "description" in top:
        reader.string(top["description"], "description")
    items = reader.sequence(top["rules"], "`rules`") if top and "rules" in top else None
    for node in items or []:
        rule = read_rule(reader, node, protocols)
        if rule is not None:
            rules.append(rule)
    return rules, reader.errors


def _read_files(paths: list[Path], protocols: frozenset[str]) -> tuple[list[Rule], list[LoadError]]:
    rules: list[Rule] = []
    errors: list[LoadError] = []
    first: dict[str, Rule] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            errors.append(LoadError(str(path), 1, f"cannot read it ({err})"))
            continue
        found, problems = read_pack(text, str(path), protocols)
        errors += problems
        for rule in found:
            earlier = first.get(rule.info.id)
            if earlier is not None:
                errors.append(
                    LoadError(
                        rule.source,
                        rule.line,
                        f"rule `{rule.info.id}` is already defined at {earlier.where}",
                    )
                )
                continue
            first[rule.info.id] = rule
            rules.append(rule)
    return rules, errors


def check_rules(
    extra: Path | None = None, shipped: bool = True
) -> tuple[RuleSet | None, list[LoadError]]:
    """The rule set from the shipped packs (unless shipped=False) and extra, or every error."""
    protocols = transaction_protocols()
    errors: list[LoadError] = []
    base: list[Rule] = []
    if shipped:
        files = pack_files(shipped_dir()) if shipped_dir().is_dir() else []
        if not files:
            raise ConfigError(
                f"no shipped rule packs in {shipped_dir()}: the installation is incomplete"
            )
        base, errors = _read_files(files, protocols)
    added: list[Rule] = []
    if extra is not None:
        added, problems = _read_files(pack_files(extra), protocols)
        errors += problems
    if errors:
        return None, sorted(set(errors))
    replaced = {r.info.id for r in added}
    return RuleSet.of([r for r in base if r.info.id not in replaced] + added), []


def load_rules(extra: Path | None = None, shipped: bool = True) -> RuleSet:
    """The rule set, or RuleLoadError naming the first error's file and line."""
    rules, errors = check_rules(extra, shipped)
    if rules is None:
        raise RuleLoadError(errors)
    return rules

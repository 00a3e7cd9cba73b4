"""The shipped catalogue of AI services and local model servers (``detect/data/ai_services.yaml``).

Loaded once per process and checked strictly: a wrong entry is a ``ConfigError`` naming
the entry, so a bad edit to the data fails the test suite rather than silently matching
nothing. Matching is by DNS labels from the right, so ``openai.com`` matches
``api.openai.com`` but never ``notopenai.com``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import yaml

from interlock.errors import ConfigError

CATEGORIES: Final = ("cloud_api", "chat", "model_hub")
SERVICE_KEYS: Final = frozenset({"id", "vendor", "service", "category", "domains", "reviewed"})
SERVER_KEYS: Final = frozenset({"id", "product", "ports", "port_alone", "paths", "reviewed"})


@dataclass(frozen=True, slots=True)
class AiService:
    id: str
    vendor: str
    service: str
    category: str
    domains: tuple[str, ...]
    reviewed: str


@dataclass(frozen=True, slots=True)
class LocalServer:
    id: str
    product: str
    ports: frozenset[int]
    """Empty: any port."""
    port_alone: bool
    paths: tuple[str, ...]
    reviewed: str


@dataclass(frozen=True, slots=True)
class DomainMatch:
    service: AiService
    pattern: str


class DomainMatcher:
    """Domain patterns indexed by their last two (literal) labels."""

    def __init__(self, services: tuple[AiService, ...]) -> None:
        index: dict[str, list[tuple[tuple[str, ...], DomainMatch]]] = {}
        for service in services:
            for pattern in service.domains:
                labels = tuple(reversed(pattern.lower().split(".")))
                key = f"{labels[1]}.{labels[0]}"
                index.setdefault(key, []).append((labels, DomainMatch(service, pattern)))
        for entries in index.values():
            entries.sort(key=lambda entry: -len(entry[0]))  # most specific first
        self.index = index

    def match(self, name: str) -> DomainMatch | None:
        labels = tuple(reversed(name.strip().rstrip(".").lower().split(".")))
        if len(labels) < 2:
            return None
        for pattern, found in self.index.get(f"{labels[1]}.{labels[0]}", ()):
            if len(labels) >= len(pattern) and all(
                p == label or ("*" in p and fnmatchcase(label, p))
                for p, label in zip(pattern, labels)
            ):
                return found
        return None


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: int
    services: tuple[AiService, ...]
    local_servers: tuple[LocalServer, ...]


@lru_cache(maxsize=1)
def shipped() -> Catalogue:
    text = resources.files("interlock.detect").joinpath("data/ai_services.yaml").read_text("utf-8")
    return parse(text, "ai_services.yaml")


def parse(text: str, where: str) -> Catalogue:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ConfigError(f"{where}: expected a mapping with `version: 1`")
    services = tuple(
        _service(entry, f"{where}: services[{i}]")
        for i, entry in enumerate(_list(document, "services", where))
    )
    servers = tuple(
        _server(entry, f"{where}: local_servers[{i}]")
        for i, entry in enumerate(_list(document, "local_servers", where))
    )
    for kind, ids in (
        ("service", [s.id for s in services]),
        ("local server", [s.id for s in servers]),
    ):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ConfigError(f"{where}: {kind} id {duplicates[0]!r} is listed twice")
    return Catalogue(1, services, servers)


def domain_error(pattern: object) -> str | None:
    """Why a domain pattern is unusable, or None."""
    if not isinstance(pattern, str) or not pattern or pattern != pattern.strip().lower():
        return f"{pattern!r} is not a lower-case domain name"
    labels = pattern.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        return f"{pattern!r} needs at least two non-empty labels"
    if "*" in labels[-1] or "*" in labels[-2]:
        return f"{pattern!r}: the last two labels must be literal"
    return None


def _list(document: dict[str, Any], key: str, where: str) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list):
        raise ConfigError(f"{where}: `{key}` must be a list")
    return value


def _fields(entry: object, keys: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping")
    missing, unknown = keys - entry.keys(), entry.keys() - keys
    if missing or unknown:
        problem = f"missing {sorted(missing)}" if missing else f"unknown keys {sorted(unknown)}"
        raise ConfigError(f"{where}: {problem}")
    for key in ("id", "vendor", "service", "product"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key]):
            raise ConfigError(f"{where}: `{key}` must be a non-empty string")
    return entry


def _reviewed(value: object, where: str) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ConfigError(f"{where}: `reviewed` must be a date (YYYY-MM-DD), not {value!r}")


def _service(entry: object, where: str) -> AiService:
    fields = _fields(entry, SERVICE_KEYS, where)
    if fields["category"] not in CATEGORIES:
        raise ConfigError(f"{where}: `category` must be one of {', '.join(CATEGORIES)}")
    domains = fields["domains"]
    if not isinstance(domains, list) or not domains:
        raise ConfigError(f"{where}: `domains` must be a non-empty list")
    for domain in domains:
        problem = domain_error(domain)
        if problem is not None:
            raise ConfigError(f"{where}: {problem}")
    return AiService(
        fields["id"],
        fields["vendor"],
        fields["service"],
        fields["category"],
        tuple(domains),
        _reviewed(fields["reviewed"], where),
    )


def _server(entry: object, where: str) -> LocalServer:
    fields = _fields(entry, SERVER_KEYS, where)
    ports, paths = fields["ports"], fields["paths"]
    if not isinstance(ports, list) or not all(
        isinstance(p, int) and not isinstance(p, bool) and 0 < p < 65536 for p in ports
    ):
        raise ConfigError(f"{where}: `ports` must be a list of TCP ports (empty: any)")
    if (
        not isinstance(paths, list)
        or not paths
        or not all(isinstance(p, str) and p.startswith("/") for p in paths)
    ):
        raise ConfigError(f"{where}: `paths` must be a non-empty list of URL paths")
    if not isinstance(fields["port_alone"], bool) or (fields["port_alone"] and not ports):
        raise ConfigError(f"{where}: `port_alone` must be true or false (true needs ports)")
    return LocalServer(
        fields["id"],
        fields["product"],
        frozenset(ports),
        fields["port_alone"],
        tuple(paths),
        _reviewed(fields["reviewed"], where),
    )

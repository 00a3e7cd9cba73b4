"""The drafted policy as YAML text: written by hand (not dumped) so that it reads like a
policy a person wrote, with comments saying where each number came from."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from interlock.policy.spaces import SPACES

if TYPE_CHECKING:
    from interlock.policy.suggest import Limits, Observed

WORD_RANGE = (0.0, 65535.0)


def render(
    observed: Observed,
    tag_names: dict[tuple[str, str, int], str],
    limits: dict[str, Limits],
    margin: float,
) -> str:
    lines = _header(observed, margin)
    lines += [
        "version: 1",
        "default: deny",
        "mode: enforce",
        f"malformed: {'alert' if observed.malformed else 'block'}"
        + (f"  # {observed.malformed} malformed requests were seen" if observed.malformed else ""),
        "failure_mode: closed",
        "",
        "clients:",
    ]
    lines += [f"  {_client(ip)}: [{ip}]" for ip in observed.clients] or ["  {}"]
    lines += ["", "assets:"] if observed.assets else ["", "assets: []"]
    for asset in observed.assets.values():
        lines += [
            f"  - name: {asset.name}",
            f"    protocol: {asset.protocol}",
            f"    unit: {asset.unit}",
            *([f"    address: {_quoted(asset.address)}"] if asset.address else []),
            "    criticality: medium",
            "    failure_mode: closed",
        ]
    lines += _tags(observed, tag_names, limits, margin)
    lines += _rules(observed)
    lines += ["", "interlocks: []  # none can be inferred from traffic: add the process's own", ""]
    return "\n".join(lines)


def _header(observed: Observed, margin: float) -> list[str]:
    span = ""
    if observed.first is not None and observed.last is not None:
        span = f", {_when(observed.first)} .. {_when(observed.last)}"
    lines = [
        "# Drafted by `interlock policy suggest` from "
        + ", ".join(observed.captures) + ".",
        f"# {observed.requests} requests from {_count(len(observed.clients), 'client')} to "
        f"{_count(len(observed.assets), 'asset')}{span}.",
        f"# Value ranges, steps and rates are those observed, widened by a margin of "
        f"{margin * 100:g} %;",
        "# intervals between changes are those observed, shortened by the same margin.",
        "# Names are generated: rename the tags, give them their type, scale and units,",
        "# add interlocks, and replay this policy on other traffic before enforcing it.",
    ]  # fmt: skip
    if observed.left_out:
        from interlock.policy.suggest import MAX_ASSETS, MAX_CLIENTS

        lines.append(
            f"# {observed.left_out} requests from clients or to assets beyond the first "
            f"{MAX_CLIENTS} clients and {MAX_ASSETS} assets are NOT allowed by this draft."
        )
    for protocol, count in sorted(observed.undecided.items()):
        lines.append(f"# {count} {protocol} requests were seen: no policy adapter covers them yet.")
    return lines


def _tags(
    observed: Observed,
    tag_names: dict[tuple[str, str, int], str],
    limits: dict[str, Limits],
    margin: float,
) -> list[str]:
    lines = ["", "tags:" if tag_names else "tags: []"]
    for asset in observed.assets.values():
        for (space, address), written in asset.addresses.items():
            name = tag_names[(asset.name, space, address)]
            bits = SPACES.get(asset.protocol, {}).get(space)
            kind = "bool" if bits is not None and bits.bits else "uint16"
            fields = [f"name: {name}", f"asset: {asset.name}", f"space: {space}",
                      f"address: {address}", f"type: {kind}"]  # fmt: skip
            seen = limits.get(name)
            note = ""
            if written and seen is not None:
                envelope = _envelope(seen, kind == "bool", margin)
                if envelope:
                    fields.append("envelope: {" + ", ".join(envelope) + "}")
                note = _note(seen)
            lines.append("  - {" + ", ".join(fields) + "}" + (f"  # {note}" if note else ""))
    return lines


def _envelope(seen: Limits, is_bool: bool, margin: float) -> list[str]:
    parts = []
    if not is_bool and not seen.unknown_values and seen.low is not None and seen.high is not None:
        pad = margin * max(abs(seen.low), abs(seen.high), seen.high - seen.low, 1.0)
        parts.append(f"min: {_number(max(math.floor(seen.low - pad), WORD_RANGE[0]))}")
        parts.append(f"max: {_number(min(math.ceil(seen.high + pad), WORD_RANGE[1]))}")
    if not is_bool and seen.step > 0:
        parts.append(f"max_step: {_number(_up(seen.step * (1 + margin), seen.step))}")
    if not is_bool and 0 < seen.rate < math.inf:
        parts.append(f"max_rate: {_number(_up(seen.rate * (1 + margin), seen.rate))}")
    if is_bool and seen.interval is not None and seen.changes:
        interval = _down(seen.interval / (1 + margin), seen.interval)
        if interval > 0:
            parts.append(f"min_interval: {_number(interval)}")
    return parts


def _note(seen: Limits) -> str:
    parts = [f"{seen.writes} writes"]
    if seen.low is not None and seen.high is not None:
        parts.append(f"values {_number(round(seen.low, 6))}..{_number(round(seen.high, 6))}")
    if seen.unknown_values:
        parts.append("some values unknown when written (no min/max)")
    if seen.step:
        parts.append(f"largest step {_number(round(seen.step, 6))}")
    if seen.rate == math.inf:
        parts.append("changed twice at one instant (no max_rate)")
    elif seen.rate:
        parts.append(f"fastest {_number(round(seen.rate, 6))}/s")
    if seen.interval is not None and seen.changes:
        parts.append(f"{seen.changes} changes, closest {seen.interval:.3f} s apart")
    return ", ".join(parts)


def _rules(observed: Observed) -> list[str]:
    lines = ["", "rules:" if observed.access else "rules: []"]
    for seen in observed.access.values():
        lines += [
            f"  - name: {_client(seen.client)}-{seen.operation}-{seen.asset}",
            f"    clients: [{_client(seen.client)}]",
            f"    operations: [{seen.operation}]",
            f"    functions: [{', '.join(str(f) for f in sorted(seen.functions))}]",
        ]
        if seen.addressless:
            lines.append(f"    assets: [{seen.asset}]")
            continue
        lines.append("    ranges:")
        for space, spans in seen.spans.items():
            for start, end in _merged(spans):
                last = f", end: {end - 1}" if end - 1 != start else ""
                lines.append(
                    f"      - {{asset: {seen.asset}, space: {space}, start: {start}{last}}}"
                )
    return lines


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, min(e, 65536)) for s, e in merged]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _client(ip: str) -> str:
    return f"client-{ip}"


def _quoted(text: str) -> str:
    return f'"{text}"' if ":" in text else text


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _up(value: float, at_least: float) -> float:
    """value rounded up to thousandths, never below at_least (float rounding included)."""
    thousandths = math.ceil(value * 1000)
    while thousandths / 1000 < max(value, at_least):
        thousandths += 1
    return thousandths / 1000


def _down(value: float, at_most: float) -> float:
    """value rounded down to thousandths, never above at_most; 0 when nothing is left."""
    thousandths = math.floor(value * 1000)
    while thousandths > 0 and thousandths / 1000 > min(value, at_most):
        thousandths -= 1
    return max(thousandths, 0) / 1000


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

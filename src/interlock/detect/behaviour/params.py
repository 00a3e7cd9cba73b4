"""A rule's ``params`` mapping, read for a behavioural detector: typed values with defaults.

Every mistake (unknown key, wrong type, out-of-range number) raises ``RuleParamError``
naming the key, which the rule loader reports at the rule's file:line. Nothing here
reads a file or the clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from interlock.model import OperationClass
from interlock.protocols.registry import PROTOCOLS

if TYPE_CHECKING:
    from interlock.detect.kinds import RuleParamError


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()
OPERATIONS: Final = frozenset(op.value for op in OperationClass)
STATUSES: Final = frozenset({"ok", "exception", "unanswered", "unsolicited", "unknown"})


def bad_param(key: str, message: str) -> RuleParamError:
    """The loader's RuleParamError. Imported when raised: ``interlock.detect.kinds`` lists
    these kinds in DETECTOR_KINDS, so importing it here at load time would be circular."""
    from interlock.detect.kinds import RuleParamError

    return RuleParamError(key, message)


MAX_TRACKED: Final = 1_000_000
"""The largest table size a rule may ask for: every per-key table stays bounded."""


class Params:
    """The params of one rule; ``known`` names every key the kind accepts."""

    def __init__(self, raw: object, known: Iterable[str]) -> None:
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise bad_param("params", "must be a mapping of parameter names to values")
        allowed = frozenset(known)
        for key in raw:
            if key not in allowed:
                choices = ", ".join(sorted(allowed)) or "none"
                raise bad_param(str(key), f"unknown parameter (this kind takes: {choices})")
        self.raw: Mapping[str, Any] = raw

    def _get(self, key: str, default: object) -> Any:
        if key in self.raw:
            return self.raw[key]
        if default is REQUIRED:
            raise bad_param(key, "is required")
        return default

    def integer(
        self, key: str, default: int | _Required, minimum: int = 1, maximum: int = MAX_TRACKED
    ) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_param(key, f"must be a whole number, not {value!r}")
        if not minimum <= value <= maximum:
            raise bad_param(key, f"must be between {minimum} and {maximum}, not {value}")
        return value

    def seconds(self, key: str, default: float | _Required, allow_zero: bool = False) -> float:
        """A duration in capture seconds: above zero (or zero itself when allowed)."""
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_param(key, f"must be a number of seconds, not {value!r}")
        number = float(value)
        if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
            least = "zero or more" if allow_zero else "more than zero"
            raise bad_param(key, f"must be a finite number of seconds, {least}, not {value!r}")
        return number

    def level(self, key: str, default: float) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 5:
            raise bad_param(key, f"must be a Purdue level between 0 and 5, not {value!r}")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise bad_param(key, f"must be true or false, not {value!r}")
        return value

    def choice(self, key: str, default: str | _Required, choices: Iterable[str]) -> str:
        value = self._get(key, default)
        options = tuple(choices)
        if value not in options:
            raise bad_param(key, f"must be one of {', '.join(options)}, not {value!r}")
        return str(value)

    def names(
        self,
        key: str,
        default: Iterable[str] | _Required,
        allowed: Iterable[str] | None = None,
        what: str = "name",
    ) -> tuple[str, ...]:
        """A non-empty list of strings (a single string is taken as a list of one)."""
        value = self._get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not value:
            raise bad_param(key, f"must be a non-empty list of {what}s, not {value!r}")
        options = None if allowed is None else frozenset(allowed)
        out: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item:
                raise bad_param(key, f"every {what} must be a non-empty string, not {item!r}")
            if options is not None and item not in options:
                raise bad_param(
                    key, f"unknown {what} {item!r} (known: {', '.join(sorted(options))})"
                )
            out.append(item)
        return tuple(dict.fromkeys(out))

    def protocol(self, key: str, default: str | _Required) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or value not in PROTOCOLS:
            known = ", ".join(sorted(PROTOCOLS))
            raise bad_param(key, f"must name one protocol ({known}), not {value!r}")
        return value

    def protocols(self, key: str, default: Iterable[str] | _Required) -> tuple[str, ...]:
        return self.names(key, default, PROTOCOLS, "protocol")

    def operations(self, key: str, default: Iterable[str] | _Required) -> frozenset[str]:
        return frozenset(self.names(key, default, OPERATIONS, "operation class"))

    def statuses(self, key: str, default: Iterable[str] | _Required) -> frozenset[str]:
        return frozenset(self.names(key, default, STATUSES, "transaction status"))

    def ports(self, key: str, default: Iterable[int | str] | _Required) -> frozenset[int]:
        """TCP/UDP ports: whole numbers or ``"LOW-HIGH"`` ranges."""
        value = self._get(key, default)
        if not isinstance(value, list | tuple | frozenset) or not value:
            raise bad_param(key, f"must be a non-empty list of ports, not {value!r}")
        out: set[int] = set()
        for item in value:
            low, high = _port_range(key, item)
            out.update(range(low, high + 1))
        return frozenset(out)

    def mapping(self, key: str) -> dict[str, Any]:
        value = self._get(key, {})
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise bad_param(key, f"must be a mapping of names to values, not {value!r}")
        return dict(value)


def _port_range(key: str, item: object) -> tuple[int, int]:
    if isinstance(item, int) and not isinstance(item, bool):
        low = high = item
    elif isinstance(item, str) and item.count("-") == 1:
        left, right = item.split("-")
        if not (left.strip().isdigit() and right.strip().isdigit()):
            raise bad_param(key, f'{item!r} is not a port range such as "34962-34964"')
        low, high = int(left), int(right)
    else:
        raise bad_param(key, f'{item!r} is not a port (a number, or a range "LOW-HIGH")')
    if not 1 <= low <= high <= 65535:
        raise bad_param(key, f"{item!r} is not within 1-65535 (low first)")
    return low, high

"""The baseline as Interlock holds it: what was learned about who talks to whom, and what
people added (docs/detect-baseline.md).

Entries are keyed by plain tuples so the learner and the detector find them in one dict
lookup; each entry also has a stable text ``id`` (``talker:10.20.0.1->10.10.0.5:modbus``)
that deviations name and people search the YAML file for.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Final, Literal

from interlock.detect.baseline.exclusions import Exclusion
from interlock.model import OperationClass

FORMAT_VERSION: Final = 1
KIND: Final = "interlock-baseline"
WINDOW_SECONDS: Final = 60
"""Rates are messages per minute, counted over fixed capture-time minutes."""

Access = Literal["read", "write"]
ACCESSES: Final[tuple[Access, ...]] = ("read", "write")

TalkerKey = tuple[str, str, str]
"""(client address, server address, protocol)."""
FunctionKey = tuple[int, int | None, str, str]
"""(code, sub-function or None, name, operation class)."""
SpaceKey = tuple[str, str, int, str, Access]
"""(server address, protocol, unit, address space, access)."""
RateKey = tuple[str, str, str, FunctionKey]


def talker_id(key: TalkerKey) -> str:
    client, server, protocol = key
    return f"talker:{client}->{server}:{protocol}"


def function_label(key: FunctionKey) -> str:
    """``read_holding_registers[3]:read``, ``diagnostics[8.0]:diagnostic``."""
    code, sub, name, operation = key
    number = f"{code}" if sub is None else f"{code}.{sub}"
    return f"{name or '*'}[{number}]:{operation}"


LABEL: Final = re.compile(
    r"(?P<name>.*?)(?:\[(?P<code>-?\d+)(?:\.(?P<sub>-?\d+))?\])?(?::(?P<op>[a-z_]+))?", re.DOTALL
)


def parse_label(label: str) -> tuple[int | None, int | None, str | None, str | None] | None:
    """(code, sub, name, operation) of a function label, a part None when the label leaves
    it out (``write_single_register``, ``*[8]``, ``*:read``); None if it is not a label."""
    found = LABEL.fullmatch(label)
    if found is None:
        return None
    code, sub, op = found["code"], found["sub"], found["op"]
    name = found["name"] if found["name"] not in ("", "*") else None
    return (None if code is None else int(code), None if sub is None else int(sub), name, op)


def points_id(key: SpaceKey) -> str:
    server, protocol, unit, space, access = key
    return f"points:{server}:{protocol}/{unit}/{space}:{access}"


def values_id(key: SpaceKey) -> str:
    server, protocol, unit, space, access = key
    return f"values:{server}:{protocol}/{unit}/{space}:{access}"


def value_id(key: SpaceKey, address: int) -> str:
    server, protocol, unit, space, access = key
    return f"value:{server}:{protocol}/{unit}/{space}/{address}:{access}"


def rates_id(key: TalkerKey) -> str:
    client, server, protocol = key
    return f"rates:{client}->{server}:{protocol}"


def rate_id(key: RateKey) -> str:
    client, server, protocol, function = key
    return f"rate:{client}->{server}:{protocol}/{function_label(function)}"


def address_order(text: str) -> tuple[int, int, str]:
    """Sort key that puts 10.0.0.9 before 10.0.0.10 (and MAC addresses after IPs)."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return (9, 0, text)
    return (ip.version, int(ip), "")


@dataclass(slots=True)
class FunctionSpec:
    """A function a talker uses. Learned specs name every field; a person may write fewer
    (``{name: write_single_register}``, ``{operation: read}``): absent fields match anything."""

    code: int | None = None
    sub: int | None = None
    name: str | None = None
    operation: str | None = None
    count: int = 0

    def matches(self, key: FunctionKey) -> bool:
        code, sub, name, operation = key
        return (
            (self.code is None or self.code == code)
            and (self.sub is None or self.sub == sub)
            and (self.name is None or self.name == name)
            and (self.operation is None or self.operation == operation)
        )

    def is_exactly(self, key: FunctionKey) -> bool:
        return (self.code, self.sub, self.name, self.operation) == key

    def exact_key(self) -> FunctionKey | None:
        """The one function a learned spec names (None: a person's spec matching several)."""
        if self.code is None or self.name is None or self.operation is None:
            return None
        return (self.code, self.sub, self.name, self.operation)

    def label(self) -> str:
        """As the file writes it: every part this spec names (see function_label)."""
        parts = [self.name or "*"]
        if self.code is not None:
            parts.append(f"[{self.code}]" if self.sub is None else f"[{self.code}.{self.sub}]")
        if self.operation is not None:
            parts.append(f":{self.operation}")
        return "".join(parts)

    def order(self) -> tuple[int, int, str, str]:
        return (
            -1 if self.code is None else self.code,
            -1 if self.sub is None else self.sub,
            self.name or "",
            self.operation or "",
        )


@dataclass(slots=True)
class Talker:
    client: str
    server: str
    protocol: str
    functions: list[FunctionSpec] = field(default_factory=list)
    count: int = 0
    first_seen: float | None = None
    last_seen: float | None = None
    manual: bool = False
    note: str | None = None

    @property
    def key(self) -> TalkerKey:
        return (self.client, self.server, self.protocol)

    @property
    def id(self) -> str:
        return talker_id(self.key)

    def function_for(self, key: FunctionKey) -> FunctionSpec | None:
        """The exact spec if there is one, else the first spec that matches."""
        loose = None
        for spec in self.functions:
            if spec.is_exactly(key):
                return spec
            if loose is None and spec.matches(key):
                loose = spec
        return loose

    def commands(self) -> bool:
        return any(
            spec.operation is None or spec.operation in COMMAND_OPERATIONS
            for spec in self.functions
        )


COMMAND_OPERATIONS: Final = frozenset(
    {
        OperationClass.WRITE.value,
        OperationClass.PROGRAM.value,
        OperationClass.MODE_CHANGE.value,
        OperationClass.RESTART.value,
    }
)
"""Operations that change a device: what "a client commanding a server" means."""


@dataclass(slots=True)
class Points:
    """The address ranges of one space of one unit of a server, read or written."""

    server: str
    protocol: str
    unit: int
    space: str
    access: Access
    ranges: list[tuple[int, int]] = field(default_factory=list)
    """Sorted, disjoint, inclusive [low, high] ranges."""
    count: int = 0
    manual: bool = False
    note: str | None = None

    @property
    def key(self) -> SpaceKey:
        return (self.server, self.protocol, self.unit, self.space, self.access)

    @property
    def id(self) -> str:
        return points_id(self.key)


@dataclass(slots=True)
class PointValues:
    """The values of one point: what was seen, and the range detection allows."""

    count: int = 0
    seen_min: int = 0
    seen_max: int = 0
    mean: float = 0.0
    m2: float = 0.0
    """Sum of squared deviations from the mean (Welford), for the standard deviation."""
    min: int | None = None
    max: int | None = None
    """The allowed range; None until the learner sets it from what was seen."""
    manual: bool = False

    @property
    def stdev(self) -> float:
        return (self.m2 / self.count) ** 0.5 if self.count > 1 else 0.0


@dataclass(slots=True)
class ValueGroup:
    server: str
    protocol: str
    unit: int
    space: str
    access: Access
    points: dict[int, PointValues] = field(default_factory=dict)
    note: str | None = None

    @property
    def key(self) -> SpaceKey:
        return (self.server, self.protocol, self.unit, self.space, self.access)

    @property
    def id(self) -> str:
        return values_id(self.key)


@dataclass(slots=True)
class Rate:
    """Messages per minute of one function between one pair, over full capture minutes."""

    client: str
    server: str
    protocol: str
    function: FunctionKey
    windows: int = 0
    min: int = 0
    max: int = 0
    histogram: dict[int, int] = field(default_factory=dict)
    """Messages in a minute -> minutes with that many (bounded; see stats.add_to_histogram)."""
    manual: bool = False
    note: str | None = None

    @property
    def key(self) -> RateKey:
        return (self.client, self.server, self.protocol, self.function)

    @property
    def id(self) -> str:
        return rate_id(self.key)

    @property
    def median(self) -> int:
        half = (sum(self.histogram.values()) + 1) // 2
        seen = 0
        for count in sorted(self.histogram):
            seen += self.histogram[count]
            if seen >= half:
                return count
        return 0


@dataclass(frozen=True, slots=True)
class CaptureRecord:
    """A capture the baseline learned from (re-learning the same sha256 is skipped)."""

    name: str
    sha256: str
    first_seen: float | None
    last_seen: float | None
    """The part of the capture learned (inside the learning period), capture time."""
    transactions: int
    learned: int


@dataclass(frozen=True, slots=True)
class Settings:
    margin_pct: float = 0.0
    """Learned value ranges are widened by this share of their span when learned."""
    rate_factor: float = 3.0
    """A minute with more than max x factor, or fewer than min / factor, messages deviates."""


@dataclass(slots=True)
class Baseline:
    settings: Settings = field(default_factory=Settings)
    captures: list[CaptureRecord] = field(default_factory=list)
    talkers: dict[TalkerKey, Talker] = field(default_factory=dict)
    points: dict[SpaceKey, Points] = field(default_factory=dict)
    values: dict[SpaceKey, ValueGroup] = field(default_factory=dict)
    rates: dict[TalkerKey, dict[FunctionKey, Rate]] = field(default_factory=dict)
    exclusions: list[Exclusion] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    """What the learner could not keep because a table was full (see learner.LIMITS)."""
    source: str = ""

    def periods(self) -> list[tuple[float, float]]:
        """The learning periods: the captures' learned spans, overlapping ones merged."""
        spans = sorted(
            (c.first_seen, c.last_seen)
            for c in self.captures
            if c.first_seen is not None and c.last_seen is not None
        )
        merged: list[tuple[float, float]] = []
        for low, high in spans:
            if merged and low <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], high))
            else:
                merged.append((low, high))
        return merged

    def rate_count(self) -> int:
        return sum(len(r) for r in self.rates.values())

    def value_count(self) -> int:
        return sum(len(g.points) for g in self.values.values())

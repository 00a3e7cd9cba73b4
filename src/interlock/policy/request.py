"""What the decision core takes and gives: a protocol-neutral request and its decision.

An adapter (``interlock.policy.modbus`` for Modbus/TCP) turns a protocol's request into a
PolicyRequest; the core answers with a Decision naming the rule that decided and why, in
engineering units; the adapter turns a block into the protocol's refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from interlock.model import OperationClass
from interlock.policy.model import FailMode, Mode

Verdict = Literal["allow", "alert", "block"]
Refusal = Literal["function", "address", "value"]
"""Why a request is refused, in protocol-neutral terms: the operation is not allowed to this
client at all (`function`), not at these addresses (`address`), or not with these values
(`value`: envelopes, interlocks, malformed requests)."""

REFUSAL_EXCEPTIONS: Final[dict[Refusal, int]] = {"function": 0x01, "address": 0x02, "value": 0x03}
"""Default Modbus exception code per refusal: illegal function, illegal data address, illegal
data value (Modbus Application Protocol v1.1b3, section 7). A rule's `exception` overrides."""


@dataclass(slots=True)
class PolicyRequest:
    """One request as the policy sees it; time comes from here, never from a clock.

    Made once per request and never changed: not frozen only because a frozen dataclass's
    constructor costs several times as much, compiled or not, and the gateway makes one
    per request (docs/gateway.md, "Latency")."""

    time: float
    """Seconds since the epoch: the packet's timestamp (replay) or arrival time (gateway)."""
    client: str
    """The client's IP address."""
    protocol: str
    unit: int
    """The device id within the protocol (Modbus unit id)."""
    operation: OperationClass
    function: int
    sub_function: int | None = None
    space: str = ""
    """The address space acted on, in the protocol's terms; empty without an address."""
    address: int | None = None
    quantity: int = 0
    values: tuple[int, ...] = ()
    """Raw words (or bits, 0/1) written, starting at address."""
    mask: tuple[int, int] | None = None
    """A read-modify-write of one word: (and_mask, or_mask); new = (old & and) | (or & ~and)."""
    read_address: int | None = None
    """A request that also reads (Modbus FC 23): where its read starts, in the same space."""
    read_quantity: int = 0
    server: str = ""
    """The server's IP address when known (replay knows it; a gateway knows its upstream)."""
    function_name: str = ""
    anomalies: tuple[str, ...] = ()
    """Malformations the adapter found (the policy's `malformed` setting decides)."""

    def __init__(
        self,
        time: float,
        client: str,
        protocol: str,
        unit: int,
        operation: OperationClass,
        function: int,
        sub_function: int | None = None,
        space: str = "",
        address: int | None = None,
        quantity: int = 0,
        values: tuple[int, ...] = (),
        mask: tuple[int, int] | None = None,
        read_address: int | None = None,
        read_quantity: int = 0,
        server: str = "",
        function_name: str = "",
        anomalies: tuple[str, ...] = (),
    ) -> None:
        # Written out (the dataclass keeps its fields, equality and replace()): mypyc
        # compiles this one, while the __init__ dataclass generates runs as bytecode, an
        # interpreted frame and 17 generic attribute stores per request.
        self.time = time
        self.client = client
        self.protocol = protocol
        self.unit = unit
        self.operation = operation
        self.function = function
        self.sub_function = sub_function
        self.space = space
        self.address = address
        self.quantity = quantity
        self.values = values
        self.mask = mask
        self.read_address = read_address
        self.read_quantity = read_quantity
        self.server = server
        self.function_name = function_name
        self.anomalies = anomalies

    def at(self, time: float, client: str) -> PolicyRequest:
        """The same request asked at time by client: an adapter keeps one per request shape
        and makes each request from it (one compiled call, no parsing)."""
        return PolicyRequest(
            time, client, self.protocol, self.unit, self.operation, self.function,
            self.sub_function, self.space, self.address, self.quantity, self.values,
            self.mask, self.read_address, self.read_quantity, self.server,
            self.function_name, self.anomalies,
        )  # fmt: skip

    @property
    def writes_values(self) -> bool:
        """Does it carry values to write (or a mask)? Only those consult the process state."""
        return bool(self.values) or self.mask is not None


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that refuses (enforce) or flags (monitor) a request."""

    rule: str
    reason: str
    mode: Mode
    refusal: Refusal
    exception_code: int
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    rule: str
    """The rule that decided: an access rule or interlock name, `TAG.CHECK` for an envelope
    (`level_sp.max`), `default`, or `malformed`."""
    reason: str
    mode: Mode
    exception_code: int | None
    """The Modbus exception to answer a blocked request with (None unless blocked)."""
    fail_mode: FailMode
    """What the gateway does for this asset when it cannot decide (overload, internal error)."""
    refusal: Refusal | None = None
    asset: str | None = None
    tags: tuple[str, ...] = ()
    """The tags a write touches, or those of a refused request."""
    hits: tuple[RuleHit, ...] = ()
    """Every refusing or flagging rule, the deciding one first among its kind."""
    criticality: str | None = None
    """The asset's criticality (low, medium, high, critical): for alert severity."""
    work: int = field(default=0, compare=False)
    """Rules, tags and interlocks the core examined for this decision: its bounded work
    (docs/policy.md), counted by the core itself so that it can be checked compiled or not."""

    @property
    def blocked(self) -> bool:
        return self.verdict == "block"

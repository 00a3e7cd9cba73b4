"""The address spaces each protocol's policy adapter knows, in that protocol's own terms.

A protocol gets policy support by adding its adapter module and its spaces here; the
language and the core never name a protocol.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Space(NamedTuple):
    bits: bool
    """Elements are single bits (coils), not 16-bit words."""
    writable: bool
    size: int
    """Number of addresses."""


SPACES: Final[dict[str, dict[str, Space]]] = {
    "modbus": {
        "coils": Space(bits=True, writable=True, size=65536),
        "discrete_inputs": Space(bits=True, writable=False, size=65536),
        "holding_registers": Space(bits=False, writable=True, size=65536),
        "input_registers": Space(bits=False, writable=False, size=65536),
    },
}
"""Protocol -> its address spaces (Modbus Application Protocol v1.1b3, section 4.3)."""

MAX_UNIT: Final[dict[str, int]] = {"modbus": 255}

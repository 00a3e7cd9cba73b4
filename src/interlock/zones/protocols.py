"""The protocol names a conduit may allow, and which flows each one travels in.

Flows are named by the engine protocol that dissected them (``PROTOCOLS`` in
``interlock.protocols.registry``); operation edges by the transactions' protocol, which is
the same name except for a few protocols carried inside another one's flows.
"""

from __future__ import annotations

from typing import Final

from interlock.model import OperationClass
from interlock.protocols.registry import PROTOCOLS

CARRIED_IN: Final[dict[str, tuple[str, ...]]] = {
    "s7comm-plus": ("s7comm",),  # S7CommPlus PDUs ride the s7comm (ISO-on-TCP, port 102) flows
    "dtls": ("tls",),
    "dns": ("dns-tcp",),
}
"""Transaction protocol -> the engine protocols whose flows carry it (besides its own)."""

KNOWN_PROTOCOLS: Final[frozenset[str]] = frozenset(PROTOCOLS) | frozenset(CARRIED_IN)
OPERATION_CLASSES: Final[tuple[str, ...]] = tuple(op.value for op in OperationClass)


def flow_protocols(protocol: str) -> tuple[str, ...]:
    """The flow names in which a conduit's protocol is seen."""
    return (protocol, *CARRIED_IN.get(protocol, ()))

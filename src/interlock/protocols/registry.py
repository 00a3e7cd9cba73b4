"""Every protocol the engine knows, in one literal table. Adding one is a folder and a line."""

from __future__ import annotations

from typing import Final

from interlock.protocols.modbus.spec import SPEC as MODBUS
from interlock.protocols.spec import ProtocolSpec

PROTOCOLS: Final[dict[str, ProtocolSpec]] = {
    "modbus": MODBUS,
}

"""Every protocol the engine knows, in one literal table. Adding one is a folder and a line."""

from __future__ import annotations

from typing import Final

from interlock.protocols.arp.spec import SPEC as ARP
from interlock.protocols.cdp.spec import SPEC as CDP
from interlock.protocols.dhcp.spec import SPEC as DHCP
from interlock.protocols.dnp3.spec import SPEC as DNP3
from interlock.protocols.enip.spec import SPEC as ENIP
from interlock.protocols.lldp.spec import SPEC as LLDP
from interlock.protocols.modbus.spec import SPEC as MODBUS
from interlock.protocols.pn_dcp.spec import SPEC as PN_DCP
from interlock.protocols.s7comm.spec import SPEC as S7COMM
from interlock.protocols.spec import ProtocolSpec

PROTOCOLS: Final[dict[str, ProtocolSpec]] = {
    "modbus": MODBUS,
    "dnp3": DNP3,
    "enip": ENIP,
    "s7comm": S7COMM,
    "arp": ARP,
    "lldp": LLDP,
    "cdp": CDP,
    "pn_dcp": PN_DCP,
    "dhcp": DHCP,
}

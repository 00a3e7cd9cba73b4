"""The MIB-II system group (RFC 1213 / RFC 3418): what an agent says about itself when
asked, surfaced by name for inventory."""

from __future__ import annotations

from typing import Final

SYSTEM: Final = {
    "1.3.6.1.2.1.1.1.0": "sysDescr",
    "1.3.6.1.2.1.1.2.0": "sysObjectID",
    "1.3.6.1.2.1.1.3.0": "sysUpTime",
    "1.3.6.1.2.1.1.4.0": "sysContact",
    "1.3.6.1.2.1.1.5.0": "sysName",
    "1.3.6.1.2.1.1.6.0": "sysLocation",
}
SNMP_TRAP_OID: Final = "1.3.6.1.6.3.1.1.4.1.0"
"""snmpTrapOID.0 (RFC 3418): the second varbind of a v2 trap or inform names the event."""

"""Every protocol the engine knows, in one literal table. Adding one is a folder and a line."""

from __future__ import annotations

from typing import Final

from interlock.protocols.arp.spec import SPEC as ARP
from interlock.protocols.bacnet.spec import SPEC as BACNET
from interlock.protocols.cdp.spec import SPEC as CDP
from interlock.protocols.dhcp.spec import SPEC as DHCP
from interlock.protocols.dnp3.spec import SPEC as DNP3
from interlock.protocols.dns import spec as dns
from interlock.protocols.enip.spec import SPEC as ENIP
from interlock.protocols.ftp.spec import SPEC as FTP
from interlock.protocols.http.spec import SPEC as HTTP
from interlock.protocols.iec104.spec import SPEC as IEC104
from interlock.protocols.lldp.spec import SPEC as LLDP
from interlock.protocols.modbus.spec import SPEC as MODBUS
from interlock.protocols.mqtt.spec import SPEC as MQTT
from interlock.protocols.nbns.spec import SPEC as NBNS
from interlock.protocols.opcua.spec import SPEC as OPCUA
from interlock.protocols.pn_dcp.spec import SPEC as PN_DCP
from interlock.protocols.rdp.spec import SPEC as RDP
from interlock.protocols.s7comm.spec import SPEC as S7COMM
from interlock.protocols.smb.spec import SPEC as SMB
from interlock.protocols.snmp.spec import SPEC as SNMP
from interlock.protocols.spec import ProtocolSpec
from interlock.protocols.ssh.spec import SPEC as SSH
from interlock.protocols.teamviewer.spec import ANYDESK, TEAMVIEWER
from interlock.protocols.telnet.spec import SPEC as TELNET
from interlock.protocols.tls.spec import SPEC as TLS
from interlock.protocols.vnc.spec import SPEC as VNC

PROTOCOLS: Final[dict[str, ProtocolSpec]] = {
    "modbus": MODBUS,
    "dnp3": DNP3,
    "enip": ENIP,
    "s7comm": S7COMM,
    "opcua": OPCUA,
    "bacnet": BACNET,
    "iec104": IEC104,
    "ssh": SSH,
    "ftp": FTP,
    "rdp": RDP,
    "smb": SMB,
    "vnc": VNC,
    "telnet": TELNET,
    "teamviewer": TEAMVIEWER,
    "anydesk": ANYDESK,
    "dns": dns.SPEC,
    "dns-tcp": dns.TCP_SPEC,
    "mdns": dns.MDNS_SPEC,
    "llmnr": dns.LLMNR_SPEC,
    "http": HTTP,
    "mqtt": MQTT,
    "tls": TLS,
    "arp": ARP,
    "lldp": LLDP,
    "cdp": CDP,
    "pn_dcp": PN_DCP,
    "dhcp": DHCP,
    "snmp": SNMP,
    "nbns": NBNS,
}

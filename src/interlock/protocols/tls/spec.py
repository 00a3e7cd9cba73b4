"""TLS as the engine sees it: TCP ports where TLS is the norm, record framing.

TCP ports (documented in docs/dissect.md): 443 HTTPS, 4843 OPC UA over TLS (opc.tcp),
8443 alternative HTTPS, 8883 MQTT over TLS, 5671 AMQP over TLS, 636 LDAPS, 993 IMAPS,
995 POP3S, 465 SMTPS, 990 FTPS, 3269 LDAP global catalog over TLS. Elsewhere (4433,
for one) the strict content probe finds it. DTLS on the UDP ports Wireshark 4.0 gives it:
853 DNS over DTLS, 2221 EtherNet/IP over DTLS (CIP Security), 5684 CoAP over DTLS,
5868 Diameter over DTLS.
"""

from __future__ import annotations

from typing import Final

from interlock.protocols.spec import ProtocolSpec
from interlock.protocols.tls.record import (
    MAX_UNIT,
    parse_exact,
    parse_record,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.tls.session import TlsSession

TCP_PORTS: Final = frozenset({443, 4843, 8443, 8883, 5671, 636, 993, 995, 465, 990, 3269})
UDP_PORTS: Final = frozenset({853, 2221, 5684, 5868})

SPEC = ProtocolSpec(
    name="tls",
    tcp_ports=TCP_PORTS,
    udp_ports=UDP_PORTS,
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse_record,
    parse_exact=parse_exact,
    new_session=TlsSession,
    max_unit=MAX_UNIT,
)

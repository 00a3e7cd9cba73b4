"""Identity from IT services: TLS certificates and server names, HTTP Server and User-Agent
headers, MQTT client ids, DNS/mDNS/LLMNR answers, SSH banners of both sides, FTP and
Telnet banners, the VNC desktop name and the NetBIOS name an SMB client logs on from.

Whose fact it is follows the protocol: a TLS certificate and an HTTP Server header belong to
the server; a User-Agent, an MQTT client id and an SMB workstation to the client; a name
in a DNS answer to the address the answer gives. Names other devices use for a device
(TLS SNI, HTTP Host, unicast DNS) are weaker evidence than what it says of itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Final

from interlock.inventory.facts.base import IdentityFact, Side, text_of
from interlock.model import Transaction

SELF_DESCRIBED: Final = 0.9
SOFTWARE_BANNER: Final = 0.8
USER_AGENT: Final = 0.6
NAMED_BY_OTHERS: Final = 0.5
MULTICAST_NAME_PORTS: Final = {5353: "mdns", 5355: "llmnr"}
ADDRESS_RECORDS: Final = frozenset({"A", "AAAA"})


def _fact(
    side: Side, attribute: str, raw: object, source: str, confidence: float
) -> list[IdentityFact]:
    value = text_of(raw)
    return [IdentityFact(side, attribute, value, source, confidence)] if value else []


def _is_name(text: str) -> bool:
    """A host name, not an address literal (a Host header or SNI may carry either)."""
    host = text.rsplit(":", 1)[0] if text.count(":") == 1 else text
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return bool(host)
    return False


def tls_facts(tx: Transaction) -> Iterable[IdentityFact]:
    """The first certificate of the server's chain is its own (RFC 8446, 4.4.2)."""
    source = f"{tx.protocol}.certificate"
    certificates = tx.details.get("certificates")
    if isinstance(certificates, list) and certificates and isinstance(certificates[0], dict):
        leaf = certificates[0]
        yield from _fact("server", "certificate_subject", leaf.get("subject"), source, 0.9)
        yield from _fact("server", "certificate_issuer", leaf.get("issuer"), source, 0.9)
        yield from _fact("server", "certificate_sha256", leaf.get("sha256"), source, 0.9)
    sni = text_of(tx.details.get("sni"))
    if _is_name(sni):
        yield IdentityFact("server", "hostname", sni, f"{tx.protocol}.sni", NAMED_BY_OTHERS)


def http_facts(tx: Transaction) -> Iterable[IdentityFact]:
    details = tx.details
    yield from _fact("server", "server_software", details.get("server"), "http.server", 0.8)
    yield from _fact(
        "client", "user_agent", details.get("user_agent"), "http.user_agent", USER_AGENT
    )
    host = text_of(details.get("host"))
    if _is_name(host):
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        yield IdentityFact("server", "hostname", name, "http.host", NAMED_BY_OTHERS)


def mqtt_facts(tx: Transaction) -> Iterable[IdentityFact]:
    if tx.function_name == "connect":
        yield from _fact("client", "client_id", tx.details.get("client_id"), "mqtt.connect", 0.8)


def dns_facts(tx: Transaction) -> Iterable[IdentityFact]:
    """A and AAAA answers name the address they give. Multicast DNS and LLMNR responders
    answer for their own names; a unicast resolver answers for anyone's."""
    kind = MULTICAST_NAME_PORTS.get(tx.server.port) or MULTICAST_NAME_PORTS.get(tx.client.port)
    source, confidence = (f"{kind}.answer", 0.8) if kind else ("dns.answer", NAMED_BY_OTHERS)
    answers = tx.details.get("answers")
    for answer in answers if isinstance(answers, list) else ():
        if not isinstance(answer, dict) or answer.get("type") not in ADDRESS_RECORDS:
            continue
        name, address = text_of(answer.get("name")).rstrip("."), text_of(answer.get("data"))
        if name and address:
            yield IdentityFact("server", "hostname", name, source, confidence, None, address)


def ssh_facts(tx: Transaction) -> Iterable[IdentityFact]:
    """Each side's identification string (RFC 4253, 4.2): software version and comments."""
    yield from _fact("client", "ssh_banner", tx.details.get("client_banner"), "ssh.banner", 0.8)
    yield from _fact("server", "ssh_banner", tx.details.get("server_banner"), "ssh.banner", 0.8)


def ftp_facts(tx: Transaction) -> Iterable[IdentityFact]:
    yield from _fact("server", "ftp_banner", tx.details.get("server_banner"), "ftp.banner", 0.8)
    yield from _fact("server", "ftp_system", tx.details.get("server_system"), "ftp.syst", 0.8)


def telnet_facts(tx: Transaction) -> Iterable[IdentityFact]:
    banner = tx.details.get("server_banner")
    yield from _fact("server", "telnet_banner", banner, "telnet.banner", SOFTWARE_BANNER)


def vnc_facts(tx: Transaction) -> Iterable[IdentityFact]:
    name = tx.details.get("desktop_name")
    yield from _fact("server", "vnc_desktop_name", name, "vnc.server_init", SELF_DESCRIBED)


def smb_facts(tx: Transaction) -> Iterable[IdentityFact]:
    """NTLM AUTHENTICATE names the client's workstation (its NetBIOS name) and domain."""
    if tx.function_name != "SESSION_SETUP":
        return
    source = "smb.session_setup"
    yield from _fact("client", "netbios_name", tx.details.get("workstation"), source, 0.8)
    yield from _fact("client", "domain", tx.details.get("domain"), source, 0.8)

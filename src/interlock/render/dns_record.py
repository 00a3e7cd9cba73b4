"""DNS messages as Wireshark 4.0 shows them (packet-dns.c), for `interlock dissect`.

One record per message. Wireshark's ways reproduced here only:
- rcode, and the authoritative, recursion-available and authenticated-data flags, are
  shown on responses only;
- the record counts are named zones/prerequisites/updates in a dynamic update;
- dns.a and dns.aaaa (like every record field) come from all three sections;
- the types an NSEC or NSEC3 bitmap lists are more dns.resp.type values;
- an SRV record's owner is dns.srv.service, .proto and .name, not dns.resp.name;
- the authenticated-data flag is shown on a query only when it is set;
- the OPT record has no class or TTL fields: its class is dns.rr.udp_payload_size and
  its TTL is split into extended rcode, version and flags;
- mDNS takes the top bit of the class apart (dns.qry.qu on questions,
  dns.resp.cache_flush on records) and shows the class without it;
- over TCP the length prefix is dns.length, and the record is proto "dns" (the TCP spec
  is named dns-tcp only because the engine frames by spec).
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.dns import rdata as rd
from interlock.protocols.dns.message import DnsMessage, ResourceRecord
from interlock.protocols.dns.names import ROOT
from interlock.protocols.dns.session import SeenRequest

_UPDATE = 5
_COUNTS = ("dns.count.queries", "dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr")
_UPDATE_COUNTS = (
    "dns.count.zones",
    "dns.count.prerequisites",
    "dns.count.updates",
    "dns.count.add_rr",
)
_SRV = 33
_SRV_PARTS = ("dns.srv.service", "dns.srv.proto", "dns.srv.name")
_NAME_FIELDS = {2: "dns.ns", 5: "dns.cname", 12: "dns.ptr.domain_name", 39: "dns.dname"}


def dns_record(
    message: DnsMessage, role: int, answered: SeenRequest | None
) -> tuple[str | None, dict[str, Any], tuple[str, ...]]:
    """Fields of a DNS message (UDP 53, TCP 53 and LLMNR: the spec names the proto)."""
    proto = "dns" if message.tcp_length >= 0 else None
    return proto, _fields(message, answered, False), message.anomalies


def mdns_record(
    message: DnsMessage, role: int, answered: SeenRequest | None
) -> tuple[str | None, dict[str, Any], tuple[str, ...]]:
    """Fields of an mDNS message (class top bit taken apart)."""
    return None, _fields(message, answered, True), message.anomalies


def _add(f: dict[str, Any], key: str, value: Any) -> None:
    """Append to a repeated field (a list in wire order)."""
    existing = f.get(key)
    if existing is None:
        f[key] = [value]
    else:
        existing.append(value)


def _fields(m: DnsMessage, answered: SeenRequest | None, mdns: bool) -> dict[str, Any]:
    f: dict[str, Any] = {}
    if m.tcp_length >= 0:
        f["dns.length"] = m.tcp_length
    flags = m.flags
    response = bool(flags & 0x8000)
    f["dns.id"] = m.id
    f["dns.flags.response"] = int(response)
    f["dns.flags.opcode"] = (flags >> 11) & 0x0F
    if response:
        f["dns.flags.authoritative"] = (flags >> 10) & 1
    f["dns.flags.truncated"] = (flags >> 9) & 1
    f["dns.flags.recdesired"] = (flags >> 8) & 1
    if response:
        f["dns.flags.recavail"] = (flags >> 7) & 1
    f["dns.flags.z"] = (flags >> 6) & 1
    if response or flags & 0x0020:  # on a query, only when set
        f["dns.flags.authenticated"] = (flags >> 5) & 1
    f["dns.flags.checkdisable"] = (flags >> 4) & 1
    if response:
        f["dns.flags.rcode"] = flags & 0x0F
    names = _UPDATE_COUNTS if (flags >> 11) & 0x0F == _UPDATE else _COUNTS
    for key, count in zip(names, (m.qdcount, m.ancount, m.nscount, m.arcount)):
        f[key] = count
    for q in m.questions:
        _add(f, "dns.qry.name", q.name)
        _add(f, "dns.qry.type", q.qtype)
        _add(f, "dns.qry.class", q.qclass & 0x7FFF if mdns else q.qclass)
        if mdns:
            _add(f, "dns.qry.qu", q.qclass >> 15)
    for record in m.records:
        _record(f, record, mdns)
    if response and answered is not None:
        f["dns.response_to"] = answered.frame
    # A field seen once is a scalar, several times a list (as the other renderers do).
    return {k: v[0] if type(v) is list and len(v) == 1 else v for k, v in f.items()}


def _record(f: dict[str, Any], r: ResourceRecord, mdns: bool) -> None:
    if r.rtype == _SRV and r.name != ROOT:
        # An SRV owner is shown split: _service._proto.name (at most three parts).
        for key, part in zip(_SRV_PARTS, r.name.split(".", 2)):
            _add(f, key, part)
    else:
        _add(f, "dns.resp.name", r.name)
    _add(f, "dns.resp.type", r.rtype)
    data = r.data
    if isinstance(data, rd.Edns):
        _edns(f, data)
    else:
        _add(f, "dns.resp.class", r.rclass & 0x7FFF if mdns else r.rclass)
        if mdns:
            _add(f, "dns.resp.cache_flush", r.rclass >> 15)
        _add(f, "dns.resp.ttl", r.ttl)
    _add(f, "dns.resp.len", r.rdlength)
    if isinstance(data, rd.Address):
        _add(f, "dns.a" if r.rtype == 1 else "dns.aaaa", data.text)
    elif isinstance(data, rd.DomainName):
        name_field = _NAME_FIELDS.get(r.rtype)
        if name_field is not None:
            _add(f, name_field, data.name)
    elif isinstance(data, rd.MailExchange):
        _add(f, "dns.mx.preference", data.preference)
        _add(f, "dns.mx.mail_exchange", data.exchange)
    elif isinstance(data, rd.Service):
        _add(f, "dns.srv.priority", data.priority)
        _add(f, "dns.srv.weight", data.weight)
        _add(f, "dns.srv.port", data.port)
        _add(f, "dns.srv.target", data.target)
    elif isinstance(data, rd.Texts):
        for text in data.strings:
            _add(f, "dns.txt", text)
    elif isinstance(data, rd.StartOfAuthority):
        _add(f, "dns.soa.mname", data.mname)
        _add(f, "dns.soa.rname", data.rname)
        _add(f, "dns.soa.serial_number", data.serial)
    elif isinstance(data, rd.ServiceBinding):
        _add(f, "dns.svcb.svcpriority", data.priority)
        _add(f, "dns.svcb.targetname", data.target)
        for param in data.keys:
            _add(f, "dns.svcb.svcparam.key", param)
    elif isinstance(data, rd.TypeBitmap):
        for listed in data.types:  # Wireshark shows the bitmap's types as dns.resp.type
            _add(f, "dns.resp.type", listed)


def _edns(f: dict[str, Any], e: rd.Edns) -> None:
    _add(f, "dns.rr.udp_payload_size", e.udp_payload_size)
    _add(f, "dns.resp.ext_rcode", e.ext_rcode)
    _add(f, "dns.resp.edns0_version", e.version)
    for option in e.options:
        _add(f, "dns.opt.code", option.code)
        _add(f, "dns.opt.len", option.length)
        subnet = option.client_subnet
        if subnet is not None:
            _add(f, "dns.opt.client.family", subnet.family)
            _add(f, "dns.opt.client.netmask", subnet.source_prefix)
            _add(f, "dns.opt.client.scope", subnet.scope_prefix)
            if subnet.family in (1, 2) and subnet.address:
                key = "dns.opt.client.addr4" if subnet.family == 1 else "dns.opt.client.addr6"
                _add(f, key, subnet.address)

"""Identity from SNMP (the MIB-II system group an agent returns, RFC 3418, and the SNMPv3
engine id, RFC 3411) and from the NetBIOS name service (RFC 1002: names hosts hold).

SNMP: only what an agent answered to a read is its identity (a Set's echo is what the
manager wanted); sysUpTime is a counter, not an identity. The authoritative engine of a
confirmed exchange is the one that answers (the agent for Get/Set, the manager for an
Inform), and the sender of a trap.

NetBIOS: a positive name query answer and a refresh name the addresses holding a name; a
node status answer lists the names of the node that sent it. Unique names with the
workstation (0x00) or server (0x20) suffix are host names; a group name with suffix 0x00
is the workgroup or domain. Other suffixes (messenger names carry user names, domain
controller names) are not a host's identity and are not kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from interlock.inventory.facts.base import IdentityFact, Side, text_of
from interlock.model import Transaction

SELF_DESCRIBED: Final = 0.9
CHOSEN_NAME: Final = 0.8
SNMP_SYSTEM: Final = {
    "sysDescr": "sys_descr",
    "sysObjectID": "sys_object_id",
    "sysName": "hostname",
    "sysContact": "contact",
    "sysLocation": "location",
}
SNMP_READS: Final = frozenset({"get", "getnext", "getbulk"})
SNMP_TRAPS: Final = frozenset({"trap", "trap_v2"})
HOST_SUFFIXES: Final = frozenset({0x00, 0x20})
WORKGROUP_SUFFIX: Final = 0x00


def snmp_facts(tx: Transaction) -> Iterable[IdentityFact]:
    details = tx.details
    if tx.function_name in SNMP_READS and tx.status == "ok":
        system = details.get("system")
        for key, attribute in SNMP_SYSTEM.items():
            value = text_of(system.get(key)) if isinstance(system, dict) else ""
            if value:
                yield IdentityFact("server", attribute, value, "snmp.system", SELF_DESCRIBED)
    if tx.response_frame is not None:
        yield from _engine_id("server", details.get("response_v3"))
    elif tx.function_name in SNMP_TRAPS:
        yield from _engine_id("client", details.get("v3"))


def _engine_id(side: Side, header: object) -> Iterable[IdentityFact]:
    engine = text_of(header.get("engine_id")) if isinstance(header, dict) else ""
    if engine:
        yield IdentityFact(side, "snmp_engine_id", engine, "snmp.engine_id", SELF_DESCRIBED)


def nbns_facts(tx: Transaction) -> Iterable[IdentityFact]:
    details = tx.details
    request, response = details.get("request"), details.get("response")
    if isinstance(response, dict) and details.get("rcode") == 0:
        if isinstance(response.get("names"), list):
            # A node status answer: the names of the node that sent it (a host name is
            # listed once per service suffix: one fact each).
            facts = (
                fact
                for name, suffix, group in _entries(response["names"])
                for fact in _name_fact(name, suffix, group, "nbns.node_status", None)
            )
            yield from dict.fromkeys(facts)
            return
        if tx.function_name in ("query", "registration"):
            yield from _records(response, f"nbns.{tx.function_name}")
    if isinstance(request, dict) and tx.function_name == "refresh":
        yield from _records(request, "nbns.refresh")


def _records(message: dict[str, object], source: str) -> Iterable[IdentityFact]:
    """Each record's name, about each address it gives."""
    records = message.get("records")
    for record in records if isinstance(records, list) else ():
        entries = _entries([record])
        if not entries or not isinstance(record.get("addresses"), list):
            continue
        name, suffix, group = entries[0]
        for address in record["addresses"]:
            if isinstance(address, str) and address:
                yield from _name_fact(name, suffix, group, source, address)


def _entries(items: list[object]) -> list[tuple[str, int, bool]]:
    found = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("suffix"), int):
            found.append(
                (text_of(item.get("name")), int(item["suffix"]), item.get("group") is True)
            )
    return found


def _name_fact(
    name: str, suffix: int, group: bool, source: str, address: str | None
) -> Iterable[IdentityFact]:
    if not name or name.startswith("*") or "<" in name:
        return  # the wildcard, or a name with unprintable bytes
    if group and suffix == WORKGROUP_SUFFIX:
        yield IdentityFact("server", "workgroup", name, source, CHOSEN_NAME, None, address)
    elif not group and suffix in HOST_SUFFIXES:
        yield IdentityFact("server", "netbios_name", name, source, CHOSEN_NAME, None, address)

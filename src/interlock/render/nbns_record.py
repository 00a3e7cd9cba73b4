"""NBNS messages as Wireshark 4.0 shows them (packet-nbns.c), for `interlock dissect`.

Quirks reproduced: a request's flags show response, opcode, truncated, recdesired and
broadcast only (a response's all eight); an NB record's nbns.name has the suffix's
description appended ("NAME<20> (Server service)", "Unknown" for an illegal name), a
question's and an NBSTAT record's do not; a WACK's echoed flags repeat nbns.flags and its
sub-fields; nbns.netbios_name is the node status entry's name without its suffix.
Statistics after the unit id are not emitted.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.identity.wire import mac_text
from interlock.protocols.nbns.message import T_NB, NbnsMessage, Record
from interlock.protocols.nbns.names import SUFFIX_NAMES
from interlock.render.identity_record import Fields, add

_COUNTS = ("nbns.count.queries", "nbns.count.answers", "nbns.count.auth_rr", "nbns.count.add_rr")


def nbns_record(
    message: NbnsMessage, role: int, answered: Any
) -> tuple[None, Fields, tuple[str, ...]]:
    f: Fields = {}
    if message.id >= 0:
        f["nbns.id"] = message.id
    if message.flags >= 0:
        flags(f, message.flags, full=message.is_response, rcode=message.is_response)
    for key, count in zip(_COUNTS, message.counts):
        f[key] = count
    for q in message.questions:
        add(f, "nbns.name", q.name.text)
        add(f, "nbns.type", q.qtype)
        add(f, "nbns.class", q.qclass)
    for record in message.records:
        _record(f, record, message.is_response)
    return None, f, message.anomalies


def flags(f: Fields, value: int, full: bool, rcode: bool) -> None:
    add(f, "nbns.flags", value)
    add(f, "nbns.flags.response", value >> 15)
    add(f, "nbns.flags.opcode", (value >> 11) & 0xF)
    if full:
        add(f, "nbns.flags.authoritative", (value >> 10) & 1)
    add(f, "nbns.flags.truncated", (value >> 9) & 1)
    add(f, "nbns.flags.recdesired", (value >> 8) & 1)
    if full:
        add(f, "nbns.flags.recavail", (value >> 7) & 1)
    add(f, "nbns.flags.broadcast", (value >> 4) & 1)
    if rcode:
        add(f, "nbns.flags.rcode", value & 0xF)


def _record(f: Fields, r: Record, response: bool) -> None:
    text = r.name.text
    if r.rtype == T_NB:
        text += f" ({SUFFIX_NAMES.get(r.name.suffix, 'Unknown')})"
    add(f, "nbns.name", text)
    add(f, "nbns.type", r.rtype)
    add(f, "nbns.class", r.rclass)
    add(f, "nbns.ttl", r.ttl)
    add(f, "nbns.data_length", r.data_length)
    if r.wack_flags >= 0:
        is_response = bool(r.wack_flags & 0x8000)
        flags(f, r.wack_flags, full=is_response, rcode=False)
    for nb_flags, address in r.entries:
        add(f, "nbns.nb_flags", nb_flags)
        add(f, "nbns.nb_flags.group", nb_flags >> 15)
        add(f, "nbns.nb_flags.ont", (nb_flags >> 13) & 3)
        if address:
            add(f, "nbns.addr", address)
    if r.name_count >= 0:
        add(f, "nbns.number_of_names", r.name_count)
    for entry in r.node_names:
        add(f, "nbns.netbios_name", entry.name)
        if entry.flags >= 0:
            v = entry.flags
            add(f, "nbns.name_flags", v)
            add(f, "nbns.name_flags.group", v >> 15)
            add(f, "nbns.name_flags.ont", (v >> 13) & 3)
            add(f, "nbns.name_flags.drg", (v >> 12) & 1)
            add(f, "nbns.name_flags.cnf", (v >> 11) & 1)
            add(f, "nbns.name_flags.act", (v >> 10) & 1)
            add(f, "nbns.name_flags.prm", (v >> 9) & 1)
    if r.unit_id is not None:
        add(f, "nbns.unit_id", mac_text(r.unit_id))

"""DHCP/BOOTP messages as Wireshark 4.0 shows them (packet-dhcp.c), for `interlock dissect`.

Quirks reproduced: dhcp.option.type lists every option but Pad, and shows the End
option as 0 (Wireshark 4.0 adds End's type field with value 0); dhcp.option.length is
given for every option but End; dhcp.server and dhcp.file only when not empty; the
magic cookie as an IPv4 address. Option values: see protocols/dhcp/options.py.
"""

from __future__ import annotations

from typing import Any, Final

from interlock.protocols.dhcp.message import END, FIXED_LEN, DhcpMessage
from interlock.protocols.dhcp.options import option_facts
from interlock.protocols.identity.wire import ipv4_text, mac_text
from interlock.render.identity_record import Fields, add

_ENDS: Final = {
    "dhcp.type": 1,
    "dhcp.hw.type": 2,
    "dhcp.hw.len": 3,
    "dhcp.hops": 4,
    "dhcp.id": 8,
    "dhcp.secs": 10,
    "dhcp.flags": 12,
    "dhcp.ip.client": 16,
    "dhcp.ip.your": 20,
    "dhcp.ip.server": 24,
    "dhcp.ip.relay": 28,
}


def dhcp_record(
    message: DhcpMessage, role: int, answered: Any
) -> tuple[None, Fields, tuple[str, ...]]:
    m = message
    f: Fields = {
        "dhcp.type": m.op,
        "dhcp.hw.type": m.htype,
        "dhcp.hw.len": m.hlen,
        "dhcp.hops": m.hops,
        "dhcp.id": m.xid,
        "dhcp.secs": m.secs,
        "dhcp.flags": m.flags,
        "dhcp.ip.client": ipv4_text(m.ciaddr),
        "dhcp.ip.your": ipv4_text(m.yiaddr),
        "dhcp.ip.server": ipv4_text(m.siaddr),
        "dhcp.ip.relay": ipv4_text(m.giaddr),
    }
    if m.size < FIXED_LEN:  # as far as the captured bytes go, as Wireshark does
        f = {k: v for k, v in f.items() if _ENDS[k] <= m.size}
        if m.htype == 1 and m.hlen == 6 and m.size >= 34:
            f["dhcp.hw.mac_addr"] = mac_text(m.chaddr)
        return None, f, m.anomalies
    if m.htype == 1 and m.hlen == 6:
        f["dhcp.hw.mac_addr"] = mac_text(m.chaddr)
    if m.sname:
        f["dhcp.server"] = m.sname
    if m.file:
        f["dhcp.file"] = m.file
    if m.has_cookie:
        f["dhcp.cookie"] = "99.130.83.99"
    for opt in m.options:
        add(f, "dhcp.option.type", 0 if opt.code == END else opt.code)
        if opt.code != END:
            add(f, "dhcp.option.length", len(opt.value) if opt.complete else opt.length)
        for key, value in option_facts(opt):
            add(f, key, value)
    return None, f, m.anomalies

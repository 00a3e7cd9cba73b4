"""PROFINET DCP PDUs as Wireshark 4.0 shows them (packet-pn-dcp.c), for `interlock dissect`.

Per block: pn_dcp.option, the suboption under its option's field (pn_dcp.suboption_ip,
_device, _dhcp, _control, _all...), pn_dcp.block_length, BlockInfo (pn_dcp.block_info;
pn_dcp.suboption_ip_block_info for IP blocks) or pn_dcp.block_qualifier, then the values.
Get requests list bare option/suboption pairs. Frames of other FrameIDs (cyclic data,
alarms) share the ethertype but are not DCP: no record at all.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.pn_dcp.blocks import IP, SUBOPTION_FIELDS, value_facts
from interlock.protocols.pn_dcp.packet import IDENTIFY, REQUEST, DcpPacket
from interlock.render.identity_record import Fields, add


def pn_dcp_record(
    packet: DcpPacket | None, role: int, answered: Any
) -> tuple[None, Fields, tuple[str, ...]] | None:
    if packet is None:
        return None
    f: Fields = {}
    if packet.service_id < 0:
        return None, f, packet.anomalies
    f["pn_dcp.service_id"] = packet.service_id
    f["pn_dcp.service_type"] = packet.service_type
    f["pn_dcp.xid"] = packet.xid
    if packet.service_id == IDENTIFY and packet.service_type == REQUEST:
        f["pn_dcp.response_delay"] = packet.response_delay
    f["pn_dcp.data_length"] = packet.data_length
    for block in packet.blocks:
        add(f, "pn_dcp.option", block.option)
        sub_field = SUBOPTION_FIELDS.get(block.option)
        if sub_field is not None:
            add(f, sub_field, block.suboption)
        if block.length < 0:
            continue
        add(f, "pn_dcp.block_length", block.length)
        if block.info >= 0:
            if packet.has_qualifier and (block.option, block.suboption) == (5, 6):
                add(f, "pn_dcp.block_qualifier_reset", block.info)
            elif packet.has_qualifier:
                add(f, "pn_dcp.block_qualifier", block.info)
            elif block.option == IP:
                add(f, "pn_dcp.suboption_ip_block_info", block.info)
            else:
                add(f, "pn_dcp.block_info", block.info)
        for key, value in value_facts(block):
            add(f, key, value)
    return None, f, packet.anomalies

"""RDP connection-start units as dissect records, with Wireshark 4.0's field names
(``cotp.type`` is the X.224 TPDU code's upper nibble, as Wireshark shows it)."""

from __future__ import annotations

from typing import Any

from interlock.protocols.rdp.x224 import NEG_FAILURE, NEG_REQ, NEG_RSP, RdpUnit, protocol_names

Record = tuple[str | None, dict[str, Any], tuple[str, ...]]
_VALUE_FIELD = {
    NEG_REQ: "rdp.negReq.requestedProtocols",
    NEG_RSP: "rdp.negReq.selectedProtocol",
    NEG_FAILURE: "rdp.negFailure.failureCode",
}


def rdp_record(unit: RdpUnit, role: int, answered: Any) -> Record:
    fields: dict[str, Any] = {"tpkt.length": unit.tpkt_length, "cotp.type": unit.pdu_type >> 4}
    if unit.cookie is not None:
        fields["rdp.rt_cookie"] = unit.cookie
    if unit.username is not None:
        fields["rdp.username"] = unit.username
    if unit.neg_type is not None:
        fields["rdp.neg_type"] = unit.neg_type
        if unit.neg_type in _VALUE_FIELD and unit.protocols is not None:
            fields[_VALUE_FIELD[unit.neg_type]] = unit.protocols
            if unit.neg_type != NEG_FAILURE:
                fields["rdp.protocols"] = list(protocol_names(unit.protocols))
    return None, fields, unit.anomalies

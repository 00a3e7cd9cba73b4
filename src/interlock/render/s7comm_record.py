"""S7comm and S7comm-plus units as Wireshark 4.0 shows them, for `interlock dissect`.

One record per COTP DT payload that completes a TSDU: "s7comm" when it passes Wireshark's
S7comm heuristic (0x32, ROSCTR 1-7, ten bytes), "s7comm-plus" when it starts with 0x72
(Wireshark 4.0 has no S7comm-plus dissector: these are the fields the payload bytes give,
as the corpus truth derives them). COTP connection TPDUs, acknowledgements, fragments and
other payloads make no record.

Wireshark's quirks live here only: a field is shown when its bytes are there (the
dissector stops at the first missing byte), the item count appears for Read/Write Var
and, in userdata, for the cyclic services that carry one, and the SZL id only where the
dissector decodes the SZL part (requests; responses with return code 0xFF; the joined
payload of a fragmented response, on its last fragment).
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.s7comm.pdu import decode_pdu
from interlock.protocols.s7comm.session import S7COMM, S7COMM_PLUS, Observation
from interlock.protocols.s7comm.tpkt import TpktUnit
from interlock.protocols.s7comm_plus.frame import S7pFragment

_READ_WRITE = (0x04, 0x05)
_CYCLIC_WITH_ITEMS = (0x01, 0x05, 0x07)
_OPCODES = (0x31, 0x32, 0x33)
"""The opcodes the contract reports: request, response, notification (0x02, a response
variant some firmware sends, is left out as the corpus truth leaves it out)."""


def s7comm_record(
    unit: TpktUnit, role: int, seen: Observation | None
) -> tuple[str, dict[str, Any], tuple[str, ...]] | None:
    """The record of one TPKT unit, or None when the unit completes nothing reportable."""
    if seen is None:
        return None
    if seen.kind == S7COMM and seen.s7 is not None:
        pdu = decode_pdu(seen.payload)
        anomalies = seen.anomalies + (pdu.anomalies if pdu is not None else ())
        return "s7comm", _s7_fields(seen), anomalies
    if seen.kind == S7COMM_PLUS and seen.s7p is not None:
        return "s7comm-plus", _plus_fields(seen.s7p), seen.anomalies + seen.s7p.anomalies
    return None


def _s7_fields(seen: Observation) -> dict[str, Any]:
    p = seen.payload
    rosctr = p[1]
    f: dict[str, Any] = {
        "s7comm.header.rosctr": rosctr,
        "s7comm.header.pduref": (p[4] << 8) | p[5],
    }
    if (rosctr == 2 or rosctr == 3) and len(p) >= 12:
        # Wireshark reads both bytes as one word before showing either
        f["s7comm.header.errcls"] = p[10]
        f["s7comm.header.errcod"] = p[11]
    if rosctr == 1 or rosctr == 3:
        at = 10 if rosctr == 1 else 12
        if ((p[6] << 8) | p[7]) and len(p) > at:
            f["s7comm.param.func"] = p[at]
            if p[at] in _READ_WRITE and len(p) > at + 1:
                f["s7comm.param.itemcount"] = p[at + 1]
    elif rosctr == 7:
        _userdata(seen, p, f)
    return f


def _userdata(seen: Observation, p: bytes, f: dict[str, Any]) -> None:
    if len(p) <= 15:
        return
    kind, group = p[15] >> 4, p[15] & 0x0F
    f["s7comm.param.userdata.type"] = kind
    f["s7comm.param.userdata.funcgroup"] = group
    if len(p) <= 16:
        return
    if group:
        f["s7comm.param.userdata.subfunc"] = p[16]
    else:
        f["s7comm.param.modetrans.subfunc"] = p[16]
    payload = seen.userdata_payload
    if payload is None:
        return
    subfunc = p[16]
    if group == 2 and len(payload) >= 2:
        if subfunc in _CYCLIC_WITH_ITEMS or (subfunc == 0x08 and kind in (4, 8)):
            f["s7comm.param.itemcount"] = payload[1]
    elif group == 4 and subfunc == 1 and len(payload) >= 2:
        data_at = 10 + ((p[6] << 8) | p[7])
        if kind == 4 or (kind == 8 and len(p) > data_at and p[data_at] == 0xFF):
            f["s7comm.data.userdata.szl_id"] = (payload[0] << 8) | payload[1]


def _plus_fields(fragment: S7pFragment) -> dict[str, Any]:
    f: dict[str, Any] = {}
    if fragment.version >= 0:
        f["s7comm-plus.header.protocolversion"] = fragment.version
    if fragment.data_length >= 0:
        f["s7comm-plus.header.datlg"] = fragment.data_length
    if fragment.digest_length >= 0:
        f["s7comm-plus.integrity.digestlength"] = fragment.digest_length
    if fragment.continuation:
        return f
    if fragment.opcode in _OPCODES:
        f["s7comm-plus.data.opcode"] = fragment.opcode
        if fragment.function >= 0 and fragment.opcode != 0x33:
            f["s7comm-plus.data.function"] = fragment.function
    if fragment.seqnum >= 0:
        f["s7comm-plus.data.seqnum"] = fragment.seqnum
    if fragment.session_id >= 0:
        f["s7comm-plus.data.sessionid"] = fragment.session_id
    return f

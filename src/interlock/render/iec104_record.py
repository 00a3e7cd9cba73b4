"""IEC 104 APDUs as Wireshark 4.0 shows them (packet-iec104.c), for `interlock dissect`.

One record per APDU (per unit the framing makes: a junk prefix and the APDU after it).
iec60870_104.type is 0, 1 or 3 (I, S, U); tx/rx are N(S)/N(R); utype is the U function
bits (control octet >> 2). The ASDU fields follow Wireshark's order and stop where it
stops: a field is shown only if its bytes are there (the type id of a 2-byte ASDU, say),
and iec60870_asdu.ioa lists one IOA per object read (consecutive ones with SQ set, the
next one listed even when its elements are cut short). Quirks reproduced here only:

- a unit with no start byte, or an APDU length below 4, shows no field but apdulen;
- the control field is shown even when the APDU length is above 253;
- a U frame's utype is the raw 6 bits, whatever they are.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.iec104.apci import I_FRAME, S_FRAME, U_FRAME, Apdu
from interlock.protocols.iec104.asdu import Asdu


def _asdu_fields(asdu: Asdu, fields: dict[str, Any]) -> None:
    if asdu.type_id < 0:
        return
    fields["iec60870_asdu.typeid"] = asdu.type_id
    if asdu.vsq < 0:
        return
    fields["iec60870_asdu.sq"] = int(asdu.sq)
    fields["iec60870_asdu.numix"] = asdu.object_count
    if asdu.cause_raw < 0:
        return
    fields["iec60870_asdu.causetx"] = asdu.cause
    fields["iec60870_asdu.nega"] = int(asdu.negative)
    fields["iec60870_asdu.test"] = int(asdu.test)
    if asdu.originator < 0:
        return
    fields["iec60870_asdu.oa"] = asdu.originator
    if asdu.common_address < 0:
        return
    fields["iec60870_asdu.addr"] = asdu.common_address
    if asdu.ioas:
        fields["iec60870_asdu.ioa"] = list(asdu.ioas)


def iec104_record(
    message: Apdu, role: int, answered: Any
) -> tuple[None, dict[str, Any], list[str]]:
    fields: dict[str, Any] = {}
    if message.length >= 0:
        fields["iec60870_104.apdulen"] = message.length
    kind = message.frame_type
    if kind >= 0:
        fields["iec60870_104.type"] = kind
        if kind == I_FRAME:
            fields["iec60870_104.tx"] = message.tx
            fields["iec60870_104.rx"] = message.rx
        elif kind == S_FRAME:
            fields["iec60870_104.rx"] = message.rx
        elif kind == U_FRAME:
            fields["iec60870_104.utype"] = message.u_function
    if message.asdu is not None:
        _asdu_fields(message.asdu, fields)
    anomalies = list(message.anomalies)
    if answered is not None:
        anomalies += [a for a in answered.anomalies if a not in anomalies]
    return None, fields, anomalies

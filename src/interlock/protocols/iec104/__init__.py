"""IEC 60870-5-104 (IEC 60870-5-104:2006 over IEC 60870-5-101:2003 ASDUs), TCP port 2404.

Modules: ``apci`` (framing, I/S/U frames), ``asdu`` (header and information objects),
``elements`` (information element values), ``type_ids`` (type and cause tables),
``session`` (pairing, sequence numbers), ``transactions`` (typed transactions).

Anomaly codes (on the APDU unless noted):

- ``iec104.no_start``: the unit holds no start byte 0x68 (junk Wireshark shows as data).
- ``iec104.junk_before_start``: bytes before the start byte (skipped, as Wireshark does).
- ``iec104.short_apdu``: APDU length below 4 (no control field).
- ``iec104.bad_length``: APDU length above 253.
- ``iec104.truncated``: the unit ends before the APDU length says.
- ``iec104.trailing_bytes``: bytes after the APDU inside the unit (only when parsed alone).
- ``iec104.control_frame_length``: an S or U frame longer than its 4 control octets.
- ``iec104.bad_u_function``: a U frame whose function bits are not exactly one function.
- ``iec104.asdu_truncated``: the ASDU ends inside its header or an information object.
- ``iec104.asdu_length_mismatch``: bytes left over after the objects the VSQ announces.
- ``iec104.no_objects``: a VSQ announcing zero information objects.
- ``iec104.unknown_type``: a type id no standard defines.
- ``iec104.cause_zero``: cause of transmission 0 (not used).
- ``iec104.sequence_gap`` (session): an I frame whose N(S) is not one more than the
  previous I frame's in that direction (frames lost, injected or replayed).
- ``iec104.unmatched_confirmation`` (session): a confirmation, termination or "unknown"
  answer for no activation seen on the connection.
"""

from interlock.protocols.iec104.apci import Apdu, encode_apdu, parse_apdu
from interlock.protocols.iec104.asdu import Asdu, InformationObject, parse_asdu

__all__ = ["Apdu", "Asdu", "InformationObject", "encode_apdu", "parse_apdu", "parse_asdu"]

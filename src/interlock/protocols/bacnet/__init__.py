"""BACnet/IP (ASHRAE 135: Annex J BVLC, clause 6 NPDU, clauses 20-21 APDU and services).

Anomaly codes (on the unit's ``anomalies``):

- ``bacnet.not_bvlc``: the unit does not start with a BVLC type (0x81 or 0x82);
- ``bacnet.truncated_bvlc``: the BVLC header or its fixed contents are cut short;
- ``bacnet.length_mismatch``: the BVLC length is not the datagram's length;
- ``bacnet.unknown_bvlc_function``: a BVLC function Annex J does not define;
- ``bacnet.bad_table_length``: a BDT/FDT is not a whole number of 10-octet entries;
- ``bacnet.missing_npdu``: an NPDU-carrying function without an NPDU;
- ``bacnet.bad_npdu_version``: the NPDU version is not 1;
- ``bacnet.reserved_control_bits``: reserved NPDU control bits are set;
- ``bacnet.truncated_npdu``: addresses, hop count or message type run past the end;
- ``bacnet.bad_network_number``: DNET 0 (not a valid network);
- ``bacnet.bad_source_address``: SNET 0 or 0xFFFF, or an empty SADR (6.2.2);
- ``bacnet.missing_apdu``: an NPDU that announces an APDU but carries none;
- ``bacnet.unknown_apdu_type``: PDU type 8 to 15;
- ``bacnet.truncated_apdu``: the APDU header is shorter than its type needs;
- ``bacnet.truncated_tag``: a tag or its value runs past the end of the APDU;
- ``bacnet.missing_closing_tag``: an opening tag whose closing tag never comes;
- ``bacnet.unexpected_tag``: a context tag the service does not define (decoding stops);
- ``bacnet.missing_segment``: the last segment of a segmented APDU came without all of
  the earlier ones (its body is not decoded);
- ``bacnet.segmented_too_large``: a segmented APDU past the reassembly cap (dropped).
"""

from interlock.protocols.bacnet.apdu import Apdu, parse_apdu
from interlock.protocols.bacnet.body import ObjectId, PropertyAccess, ServiceBody, decode_body
from interlock.protocols.bacnet.bvlc import BacnetMessage, parse
from interlock.protocols.bacnet.npdu import Npdu, parse_npdu

__all__ = [
    "Apdu",
    "BacnetMessage",
    "Npdu",
    "ObjectId",
    "PropertyAccess",
    "ServiceBody",
    "decode_body",
    "parse",
    "parse_apdu",
    "parse_npdu",
]

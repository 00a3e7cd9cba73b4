"""DNP3 (IEEE 1815-2012) over TCP and UDP: link frames, transport reassembly, application
fragments, object headers.

Anomaly codes (on the link frame's record, or on the transaction):

| code | meaning |
|---|---|
| `dnp3.header_crc` / `dnp3.data_crc` | a link header or user data block CRC is wrong |
| `dnp3.length_invalid` | LEN below 5: the rest of the segment or datagram is dropped |
| `dnp3.start_bytes` | a frame inside a segment does not start with 0x05 0x64 |
| `dnp3.truncated` / `dnp3.trailing_bytes` | fewer / more bytes than LEN announces |
| `dnp3.transport_orphan` | a segment without FIR and no fragment in progress |
| `dnp3.transport_sequence` | a segment out of sequence: the partial fragment is dropped |
| `dnp3.transport_duplicate` | a segment repeating the last sequence number (ignored) |
| `dnp3.transport_restart` | FIR while a fragment was in progress (it is dropped) |
| `dnp3.apdu_truncated` | an application fragment without its function code or IIN |
| `dnp3.function_unknown` | an application function code not in the standard |
| `dnp3.object_truncated` | an object header or its objects cut short |
| `dnp3.range_invalid` | a stop index below its start |
| `dnp3.qualifier_reserved` | a reserved range code: object sizes cannot be known |
| `dnp3.object_unknown` | an object not in the library: the rest cannot be read |
| `dnp3.object_count_excessive` | millions of objects of no bytes |
"""

from interlock.protocols.dnp3.application import Apdu, encode_apdu, parse_apdu
from interlock.protocols.dnp3.link import LinkFrame, encode_frame, parse_frame
from interlock.protocols.dnp3.transport import segment

__all__ = [
    "Apdu",
    "LinkFrame",
    "encode_apdu",
    "encode_frame",
    "parse_apdu",
    "parse_frame",
    "segment",
]

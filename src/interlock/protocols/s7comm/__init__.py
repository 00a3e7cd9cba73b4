"""S7comm (Siemens S7 communication, protocol id 0x32) over TPKT/COTP on TCP 102.

Anomaly codes (on the record or transaction of the unit they concern):

| code | meaning |
|---|---|
| `s7comm.tpkt_truncated` | fewer bytes than the TPKT length announces |
| `s7comm.tpkt_reserved` | the TPKT reserved byte is not 0 |
| `s7comm.tpkt_length` | a TPKT length below its own header |
| `s7comm.cotp_missing`, `s7comm.cotp_truncated` | no COTP TPDU, or one cut inside its header |
| `s7comm.cotp_length` | a length indicator of 0, or past the TPKT |
| `s7comm.cotp_dt_invalid` | a DT whose length indicator or checksum parameter is wrong |
| `s7comm.cotp_class` | a CR/CC asking for a class above 4 |
| `s7comm.cotp_parameter_truncated` | a CR/CC/DR parameter running past the header |
| `s7comm.cotp_reassembly_overflow` | a COTP TSDU larger than 1 MiB (dropped) |
| `s7comm.truncated` / `s7comm.trailing_bytes` | fewer / more bytes than the S7 header's lengths |
| `s7comm.rosctr_unknown` | a PDU type other than Job, Ack, Ack_Data, Userdata |
| `s7comm.function_unknown` | a Job function not in functions.JOB_FUNCTIONS |
| `s7comm.param_truncated`, `s7comm.item_truncated` | a parameter part or item cut short |
| `s7comm.userdata_param_truncated` | a userdata parameter head cut short |
| `s7comm.userdata_truncated` | a userdata data part shorter than its length |
| `s7comm.userdata_reassembly_overflow` | joined userdata fragments past 1 MiB (dropped) |
| `s7comm-plus.truncated` | an S7comm-plus fragment shorter than its header says |
"""

from interlock.protocols.s7comm.header import S7Header, parse_header
from interlock.protocols.s7comm.pdu import S7Pdu, decode_pdu
from interlock.protocols.s7comm.tpkt import TpktUnit, parse

__all__ = ["S7Header", "S7Pdu", "TpktUnit", "decode_pdu", "parse", "parse_header"]

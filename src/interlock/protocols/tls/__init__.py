"""TLS 1.0 to 1.3 (RFC 2246, 4346, 5246, 8446) over TCP: records, handshake messages
reassembled across records, hellos and their extensions, certificates, alerts,
heartbeats, JA3/JA3S/JA4/JA4S fingerprints, and the handshake as a transaction. DTLS 1.0
and 1.2 (RFC 4347, 6347) over UDP likewise: records with epoch and sequence number,
handshake fragments reassembled, the ClientHello cookie and HelloVerifyRequest.

Anomaly codes (on the record's dissect output, and on the handshake's transaction):

| code | meaning |
|---|---|
| `tls.bad_record_length` | a record longer than 2^14 + 2048 bytes (RFC 5246 6.2.3) |
| `tls.truncated_record` | fewer bytes than the record length announces |
| `tls.trailing_bytes` | bytes after the record in its unit (UDP) |
| `tls.unknown_content_type` | a content type outside 20-24 |
| `tls.bad_record_version` | a record version that is not 3.x (x <= 4) |
| `tls.bad_hello` | a ClientHello or ServerHello cut short |
| `tls.bad_extension` | an extension block or extension whose lengths do not add up |
| `tls.bad_certificate` | a certificate entry that does not decode as X.509 DER |
| `tls.bad_handshake` | another handshake message too short for its type; a DTLS handshake fragment running past its record |
| `tls.handshake_too_long` | a handshake message announcing more than 64 KiB (not reassembled) |
| `tls.unknown_handshake_type` | a handshake message type not in the IANA registry |
| `tls.bad_change_cipher_spec` | a ChangeCipherSpec other than the single byte 1 |
| `tls.bad_alert` | a cleartext alert whose level is neither warning nor fatal |
| `tls.heartbeat_overflow` | a heartbeat whose payload length exceeds the record (Heartbleed) |
"""

from interlock.protocols.tls.hello import ClientHello, ServerHello
from interlock.protocols.tls.record import TlsRecord, encode_record, parse_record
from interlock.protocols.tls.session import Observation, TlsSession

__all__ = [
    "ClientHello",
    "Observation",
    "ServerHello",
    "TlsRecord",
    "TlsSession",
    "encode_record",
    "parse_record",
]

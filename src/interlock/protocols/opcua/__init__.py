"""OPC UA binary (OPC 10000-6): UA TCP transport messages (HEL, ACK, ERR, RHE) and UA
Secure Conversation (OPN, MSG, CLO) chunks, reassembled into service messages that are
decoded where the secure channel is not encrypted.

Anomaly codes (on the chunk's record, or on the transaction):

| code | meaning |
|---|---|
| `opcua.message_type_unknown` | the 3-byte message type is none of HEL ACK ERR RHE OPN MSG CLO |
| `opcua.chunk_type_invalid` | a chunk type other than F/C/A, or other than F where only F is allowed |
| `opcua.truncated` | a header, service message or value runs past the end of its bytes |
| `opcua.trailing_bytes` | bytes after a complete HEL, ACK, ERR or RHE body |
| `opcua.encoding_invalid` | an encoding byte not in the standard (NodeId, Variant...) |
| `opcua.service_unknown` | a message body whose TypeId is not a standard service message |
| `opcua.chunk_count_exceeded` | more chunks in one message than the receiver allows (or 4096) |
| `opcua.message_too_large` | a reassembled message beyond the receiver's limit (or 16 MiB) |
| `opcua.certificate_invalid` | an OPN sender certificate that is not a parseable X.509 certificate |
| `opcua.password_cleartext` | (transaction) a user name password sent on a channel without encryption |
"""

from interlock.protocols.opcua.messages import ServiceMessage
from interlock.protocols.opcua.service import decode_service
from interlock.protocols.opcua.session import Observation, OpcUaSession, UaMessage
from interlock.protocols.opcua.transport import Chunk, encode_chunk, parse_chunk

__all__ = [
    "Chunk",
    "Observation",
    "OpcUaSession",
    "ServiceMessage",
    "UaMessage",
    "decode_service",
    "encode_chunk",
    "parse_chunk",
]

"""OPC UA state for one TCP connection: secure channels and their security, chunk
reassembly, and request/response pairing (OPC 10000-6, 6.7: secure conversation).

- A channel opened with the policy ``#None`` is cleartext. With any other policy the
  OpenSecureChannel messages are encrypted with the peers' keys, so the channel's
  message security mode cannot be read: the first message on it decides, as Wireshark
  does when it has no keys, whether bodies are signed only (they start with a standard
  service TypeId) or encrypted. A channel whose opening was not captured is judged the
  same way.
- MSG chunks are reassembled per (channel, request id, direction): intermediate 'C'
  chunks are kept until the final 'F'; an 'A' chunk aborts the message. The chunk count
  and size are bounded by the peer's announced limits (Hello / Acknowledge) and by ours.
- A response pairs with the request of the same channel and request id (OpenSecure-
  Channel: request id alone, the request's channel id is 0 before the server assigns one).

Memory is bounded: a fixed number of channels, partial messages and pending requests,
the oldest dropped first.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Final, NamedTuple

from interlock.protocols.opcua.binary import Reader, Truncated
from interlock.protocols.opcua.certificate import CertificateSummary, summarize
from interlock.protocols.opcua.messages import ServiceMessage
from interlock.protocols.opcua.service import decode_service, is_known_service
from interlock.protocols.opcua.transport import Chunk, Handshake, TransportError

MAX_PENDING: Final = 1024
MAX_CHANNELS: Final = 16
MAX_PARTIAL: Final = 32
MAX_CHUNKS: Final = 4096
MAX_MESSAGE: Final = 16 * 1024 * 1024
MAX_BUFFERED: Final = 32 * 1024 * 1024
"""Bytes of partial messages held per connection, all partial messages together."""
HEAD: Final = 7
"""Bytes of a message body kept for the dissect view's service id (the longest numeric
NodeId encoding)."""
POLICY_NONE: Final = "http://opcfoundation.org/UA/SecurityPolicy#None"

UNKNOWN_MODE: Final = 0
MODE_NONE: Final = 1
MODE_SIGN: Final = 2
MODE_SIGN_AND_ENCRYPT: Final = 3


class UaMessage(NamedTuple):
    """A whole message of a secure channel (its chunks reassembled)."""

    msg_type: str
    channel_id: int
    request_id: int
    from_client: bool
    service: ServiceMessage | None
    """The decoded service; None when encrypted, aborted or too large to keep."""
    encrypted: bool
    security_mode: int
    """The channel's: 1 None, 2 Sign, 3 SignAndEncrypt, 0 not known."""
    policy_uri: str | None
    chunks: int
    certificate: CertificateSummary | None = None
    """The OPN sender certificate's summary."""
    abort: TransportError | None = None
    anomalies: tuple[str, ...] = ()

    @property
    def is_request(self) -> bool:
        if self.service is not None and self.service.name != "Unknown":
            return not self.service.is_response
        return self.from_client


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: UaMessage


class Observation(NamedTuple):
    """What one chunk meant above the transport."""

    message: UaMessage | None
    """The message this chunk completed (a final or abort chunk), if any."""
    request: SeenRequest | None
    """For a response: the request it answers, if seen."""
    head: bytes
    """The first bytes of the completed message's body, ciphertext or not (the dissect
    view reads a service id from them as Wireshark does); empty when nothing completed."""
    anomalies: tuple[str, ...] = ()


class Channel:
    __slots__ = ("mode", "policy_uri")

    def __init__(self, policy_uri: str | None, mode: int) -> None:
        self.policy_uri = policy_uri
        self.mode = mode


class Partial:
    __slots__ = ("chunks", "head", "parts", "size")

    def __init__(self, head: bytes) -> None:
        self.head = head
        self.parts: list[bytes] = []
        self.chunks = 0
        self.size = 0


def pairing_key(message: UaMessage) -> Hashable:
    """What a request and its response share. An encrypted OpenSecureChannel hides its
    request id too: the connection's last one pairs with the next response."""
    if message.msg_type == "OPN":
        return ("OPN",) if message.encrypted else ("OPN", message.request_id)
    return (message.channel_id, message.request_id)


class OpcUaSession:
    __slots__ = ("buffered", "channels", "limits", "opening", "partials", "requests")

    def __init__(self) -> None:
        self.channels: dict[int, Channel] = {}
        self.partials: dict[tuple[int, int, bool], Partial] = {}
        self.requests: dict[Hashable, SeenRequest] = {}
        self.limits = [(0, 0), (0, 0)]
        """(max message size, max chunk count) a receiver announced: [to server, to client]."""
        self.opening: Channel | None = None
        """The policy of an OpenSecureChannel request awaiting its channel id."""
        self.buffered = 0

    def observe(
        self, message: Chunk, is_request: bool, frame: int, ts: float
    ) -> Observation | None:
        if not message.is_secure:
            self._handshake(message)
            return None
        if message.msg_type == "OPN":
            done = self._open(message, is_request)
            return self._complete(done, frame, ts, message.body[:HEAD], ())
        channel = self._channel(message.channel_id)
        if message.msg_type == "CLO":
            done = self._message(message, is_request, channel, message.body)
            return self._complete(done, frame, ts, message.body[:HEAD], ())
        return self._chunk(message, is_request, channel, frame, ts)

    # -- channels ----------------------------------------------------------------------

    def _handshake(self, chunk: Chunk) -> None:
        hello = chunk.transport
        if isinstance(hello, Handshake):
            limits = (hello.max_message_size, hello.max_chunk_count)
            # Hello limits what the client receives, Acknowledge what the server receives.
            self.limits[1 if chunk.msg_type == "HEL" else 0] = limits

    def _channel(self, channel_id: int) -> Channel:
        found = self.channels.get(channel_id)
        if found is None:
            if len(self.channels) >= MAX_CHANNELS:
                del self.channels[next(iter(self.channels))]
            found = self.channels[channel_id] = Channel(None, UNKNOWN_MODE)
        return found

    def _open(self, chunk: Chunk, from_client: bool) -> UaMessage:
        plain = chunk.policy_uri == POLICY_NONE
        certificate = summarize(chunk.sender_certificate) if chunk.sender_certificate else None
        service = decode_service(chunk.body) if plain else None
        mode = MODE_NONE if plain else UNKNOWN_MODE
        if service is not None and not service.is_response:
            requested = service.get("requested_security_mode")
            mode = requested if isinstance(requested, int) and plain else mode
        channel_id = chunk.channel_id
        if service is not None and service.is_response:
            assigned = service.get("channel_id")
            channel_id = assigned if isinstance(assigned, int) else channel_id
        if from_client and channel_id == 0:
            self.opening = Channel(chunk.policy_uri, mode)
        else:
            channel = self._channel(channel_id)
            if channel.policy_uri != chunk.policy_uri or channel.mode == UNKNOWN_MODE:
                channel.policy_uri, channel.mode = chunk.policy_uri, mode
            if self.opening is not None and self.opening.policy_uri == chunk.policy_uri:
                channel.mode = max(channel.mode, self.opening.mode)
        anomalies: tuple[str, ...] = (
            ("opcua.chunk_type_invalid",) if chunk.chunk_type != "F" else ()
        )
        if certificate is not None:
            anomalies += certificate.anomalies
        return UaMessage(
            "OPN",
            chunk.channel_id,
            chunk.request_id,
            from_client,
            service,
            not plain,
            mode,
            chunk.policy_uri,
            1,
            certificate,
            anomalies=anomalies,
        )

    def _encrypted(self, channel: Channel, body: bytes) -> bool:
        """Whether a channel's message bodies are ciphertext, judging by this first body
        when the channel's mode is not known yet."""
        if channel.mode == UNKNOWN_MODE:
            channel.mode = MODE_SIGN if is_known_service(body) else MODE_SIGN_AND_ENCRYPT
        return channel.mode == MODE_SIGN_AND_ENCRYPT

    def _message(
        self,
        chunk: Chunk,
        from_client: bool,
        channel: Channel,
        body: bytes,
        chunks: int = 1,
        decode: bool = True,
    ) -> UaMessage:
        """The message with this body; decode False: a message whose body is not there
        (aborted, or dropped for its size), which must not decide the channel's mode."""
        encrypted = (
            self._encrypted(channel, body) if decode else channel.mode == MODE_SIGN_AND_ENCRYPT
        )
        service = decode_service(body) if decode and not encrypted else None
        return UaMessage(
            chunk.msg_type,
            chunk.channel_id,
            chunk.request_id,
            from_client,
            service,
            encrypted,
            channel.mode,
            channel.policy_uri,
            chunks,
        )

    # -- chunks ------------------------------------------------------------------------

    def _chunk(
        self, chunk: Chunk, from_client: bool, channel: Channel, frame: int, ts: float
    ) -> Observation | None:
        key = (chunk.channel_id, chunk.request_id, from_client)
        partial = self.partials.get(key)
        if chunk.chunk_type == "A":
            self._drop(key)
            return self._complete(self._abort(chunk, from_client, channel), frame, ts, b"", ())
        if partial is None and chunk.chunk_type == "F":
            done = self._message(chunk, from_client, channel, chunk.body)
            return self._complete(done, frame, ts, chunk.body[:HEAD], ())
        anomalies: tuple[str, ...] = ()
        if partial is None:
            partial = self._start(key, chunk.body[:HEAD])
        problem = self._add(partial, chunk.body, self.limits[0 if from_client else 1])
        if problem:
            anomalies = (problem,)
        if chunk.chunk_type != "F":  # 'C', or a chunk type not in the standard
            if chunk.chunk_type != "C":
                anomalies += ("opcua.chunk_type_invalid",)
            return Observation(None, None, b"", anomalies) if anomalies else None
        body = b"".join(partial.parts)
        self._drop(key)
        if partial.size > MAX_MESSAGE or partial.chunks > MAX_CHUNKS or problem:
            done = self._message(chunk, from_client, channel, b"", partial.chunks, decode=False)
        else:
            done = self._message(chunk, from_client, channel, body, partial.chunks)
        return self._complete(done, frame, ts, partial.head, anomalies)

    def _start(self, key: tuple[int, int, bool], head: bytes) -> Partial:
        if len(self.partials) >= MAX_PARTIAL:
            self._drop(next(iter(self.partials)))
        partial = self.partials[key] = Partial(head)
        return partial

    def _add(self, partial: Partial, body: bytes, limits: tuple[int, int]) -> str:
        """Keep one more chunk's body; the anomaly code when a limit is passed."""
        max_size, max_chunks = limits
        partial.chunks += 1
        if partial.chunks > (max_chunks or MAX_CHUNKS) or partial.chunks > MAX_CHUNKS:
            self._release(partial)
            return "opcua.chunk_count_exceeded"
        size = partial.size + len(body)
        over = size > (max_size or MAX_MESSAGE) or size > MAX_MESSAGE
        if over or self.buffered + len(body) > MAX_BUFFERED:
            self._release(partial)
            partial.size = MAX_MESSAGE + 1
            return "opcua.message_too_large"
        if partial.size <= MAX_MESSAGE:
            partial.parts.append(body)
            partial.size = size
            self.buffered += len(body)
        return ""

    def _release(self, partial: Partial) -> None:
        self.buffered -= sum(len(p) for p in partial.parts)
        partial.parts = []

    def _drop(self, key: tuple[int, int, bool]) -> None:
        partial = self.partials.pop(key, None)
        if partial is not None:
            self._release(partial)

    def _abort(self, chunk: Chunk, from_client: bool, channel: Channel) -> UaMessage:
        """An abort chunk: its body (error code and reason) is readable unless encrypted."""
        abort = None
        if channel.mode in (MODE_NONE, MODE_SIGN):
            try:
                r = Reader(chunk.body)
                abort = TransportError(r.u32(), r.string())
            except Truncated:
                abort = None
        done = self._message(chunk, from_client, channel, b"", decode=False)
        return done._replace(abort=abort)

    # -- pairing -----------------------------------------------------------------------

    def _complete(
        self, done: UaMessage, frame: int, ts: float, head: bytes, anomalies: tuple[str, ...]
    ) -> Observation:
        if done.msg_type == "CLO" or (done.encrypted and done.msg_type != "OPN"):
            return Observation(done, None, head, anomalies)  # nothing to pair
        key = pairing_key(done)
        if done.is_request:
            self.requests.pop(key, None)  # re-inserted last: insertion order is age order
            if len(self.requests) >= MAX_PENDING:
                del self.requests[next(iter(self.requests))]
            self.requests[key] = SeenRequest(frame, ts, done)
            return Observation(done, None, head, anomalies)
        return Observation(done, self.requests.pop(key, None), head, anomalies)

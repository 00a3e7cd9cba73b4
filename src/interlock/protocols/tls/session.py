"""Per-connection TLS (and DTLS) state: handshake message reassembly per direction
(DTLS: from fragments, see dtls.py), what is encrypted, and the handshake summary that pairs a ClientHello with the ServerHello and
what follows.

The engine hands over one record at a time; ``observe`` returns an ``Observation``: the
handshake messages the record completes (a message may span records, RFC 8446 5.1),
whether its content is encrypted, a cleartext alert or heartbeat, and the handshake's
opening (the first ClientHello) or conclusion. A handshake concludes on a fatal alert
seen in clear, once both sides have sent ChangeCipherSpec, at a ServerHello choosing
TLS 1.3 (the rest of its handshake is encrypted), or at the first application data after
a ServerHello. Bounded: a handshake message may not grow past MAX_MESSAGE bytes.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.tls.certificate import CertificateChain
from interlock.protocols.tls.dtls import FragmentHeader, Reassembler, split_fragments
from interlock.protocols.tls.handshake_state import Alert, Handshake, HandshakeState
from interlock.protocols.tls.hello import ClientHello, ServerHello
from interlock.protocols.tls.messages import HandshakeMessage, ServerKeyExchange, decode_message
from interlock.protocols.tls.record import TlsRecord
from interlock.protocols.tls.vocabulary import (
    ALERT,
    ALERT_LEVELS,
    APPLICATION_DATA,
    CHANGE_CIPHER_SPEC,
    FATAL,
    HANDSHAKE,
    HANDSHAKE_TYPES,
    HEARTBEAT,
    is_tls13,
)

MAX_MESSAGE: Final = 64 * 1024
"""Largest handshake message reassembled (a long certificate chain fits easily)."""
HEARTBEAT_PADDING: Final = 16
"""RFC 6520 section 4: at least 16 bytes of padding follow the payload."""


class Heartbeat(NamedTuple):
    type: int
    payload_length: int


class Observation(NamedTuple):
    """What one record meant in its direction of the connection."""

    messages: tuple[HandshakeMessage, ...]
    """Handshake messages this record completes, in order."""
    encrypted: bool
    alert: Alert | None
    heartbeat: Heartbeat | None
    opened: HandshakeState | None
    """The connection's handshake, on the record completing its first ClientHello."""
    concluded: Handshake | None
    """The handshake's snapshot, on the record that concludes it."""
    anomalies: tuple[str, ...]
    opaque: bool = False
    """A TLS 1.3 TLSCiphertext (RFC 8446 5.2): its content type is only an opaque_type."""
    fragments: tuple[FragmentHeader, ...] = ()
    """DTLS: the handshake fragment headers of the record, in order."""


class _Side:
    __slots__ = ("encrypted", "pending", "reassembler")

    def __init__(self) -> None:
        self.reassembler = Reassembler()
        """DTLS: the handshake message being reassembled from fragments."""
        self.pending = b""
        """The start of a handshake message continued in the next record."""
        self.encrypted = False
        """ChangeCipherSpec seen: what follows is protected."""


class TlsSession:
    __slots__ = ("datagram", "sides", "state", "tls13", "version")

    def __init__(self, datagram: bool = False) -> None:
        self.sides = (_Side(), _Side())  # 0: server, 1: client
        self.state = HandshakeState(datagram)
        self.tls13 = False
        self.version = 0
        """The version the ServerHello chose (0 before it)."""
        self.datagram = datagram

    def observe(self, record: TlsRecord, is_request: bool, frame: int, ts: float) -> Observation:
        content_type = record.content_type
        side = self.sides[1 if is_request else 0]
        if record.epoch >= 0 and not self.datagram:
            self.datagram = self.state.datagram = True
        if record.epoch > 0:  # DTLS: every record after the first epoch is protected
            side.encrypted = True
        if content_type == HANDSHAKE:
            if side.encrypted or self.tls13:
                return Observation((), True, None, None, None, None, record.anomalies)
            if self.datagram:
                return self._dtls_handshake(record, side, is_request, frame, ts)
            return self._handshake(record, side, is_request, frame, ts)
        if content_type == CHANGE_CIPHER_SPEC:
            return self._change_cipher_spec(record, side, is_request)
        if content_type == ALERT:
            return self._alert(record, side, is_request)
        if content_type == APPLICATION_DATA:
            concluded = None
            if self.state.server_hello is not None and not self.state.concluded:
                concluded = self._conclude()
            return Observation((), True, None, None, None, concluded, record.anomalies, self.tls13)
        if content_type == HEARTBEAT:
            return self._heartbeat(record, side)
        return Observation((), False, None, None, None, None, record.anomalies)

    def _conclude(self) -> Handshake:
        self.state.concluded = True
        return self.state.snapshot()

    def _handshake(
        self, record: TlsRecord, side: _Side, is_request: bool, frame: int, ts: float
    ) -> Observation:
        data = side.pending + record.fragment if side.pending else record.fragment
        side.pending = b""
        if data and data[0] not in HANDSHAKE_TYPES and data is record.fragment:
            # Not a handshake message header: protected data whose ChangeCipherSpec was
            # not seen (Wireshark: "Encrypted Handshake Message").
            return Observation((), True, None, None, None, None, record.anomalies)
        anomalies = list(record.anomalies)
        messages: list[HandshakeMessage] = []
        opened: HandshakeState | None = None
        concluded: Handshake | None = None
        pos = 0
        while len(data) - pos >= 4:
            length = (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3]
            if length > MAX_MESSAGE:
                anomalies.append("tls.handshake_too_long")
                pos = len(data)
                break
            if pos + 4 + length > len(data):
                break
            message = decode_message(data[pos], data[pos + 4 : pos + 4 + length], self.version)
            if data[pos] not in HANDSHAKE_TYPES:
                message = message._replace(anomalies=("tls.unknown_handshake_type",))
            pos += 4 + length
            messages.append(message)
            anomalies.extend(message.anomalies)
            first, done = self._apply(message, is_request, frame, ts)
            opened = opened or first
            concluded = concluded or done
        if pos < len(data):
            side.pending = data[pos:]
        return Observation(
            tuple(messages),
            False,
            None,
            None,
            opened,
            concluded,
            tuple(dict.fromkeys(anomalies)),
        )

    def _dtls_handshake(
        self, record: TlsRecord, side: _Side, is_request: bool, frame: int, ts: float
    ) -> Observation:
        pieces, whole = split_fragments(record.fragment)
        anomalies = list(record.anomalies)
        if not whole:
            anomalies.append("tls.bad_handshake")
        messages: list[HandshakeMessage] = []
        opened: HandshakeState | None = None
        concluded: Handshake | None = None
        for header, fragment in pieces:
            if header.length > MAX_MESSAGE:
                anomalies.append("tls.handshake_too_long")
                continue
            body = side.reassembler.add(header, fragment, MAX_MESSAGE)
            if body is None:
                continue
            message = decode_message(header.msg_type, body, self.version, True)
            if header.msg_type not in HANDSHAKE_TYPES:
                message = message._replace(anomalies=("tls.unknown_handshake_type",))
            messages.append(message)
            anomalies.extend(message.anomalies)
            first, done = self._apply(message, is_request, frame, ts)
            opened = opened or first
            concluded = concluded or done
        headers = tuple(header for header, _ in pieces)
        return Observation(
            tuple(messages),
            False,
            None,
            None,
            opened,
            concluded,
            tuple(dict.fromkeys(anomalies)),
            False,
            headers,
        )

    def _apply(
        self, message: HandshakeMessage, is_request: bool, frame: int, ts: float
    ) -> tuple[HandshakeState | None, Handshake | None]:
        """Update the handshake summary; (opened, concluded) when this message does so."""
        state = self.state
        body = message.body
        state.note(message.anomalies)
        if state.concluded:
            return None, None
        if isinstance(body, ClientHello):
            if state.client_hello is None:
                state.client_hello, state.client_frame, state.client_ts = body, frame, ts
                return state, None
        elif isinstance(body, ServerHello):
            if body.is_hello_retry_request:
                state.hello_retry = True
            else:
                state.server_hello = body
                self.version = body.negotiated_version
                if is_tls13(body.negotiated_version):
                    self.tls13 = True
                    return None, self._conclude()
        elif isinstance(body, CertificateChain):
            state.add_certificates(body.certificates, body.total)
        elif isinstance(body, ServerKeyExchange):
            state.server_curve = body.named_curve
        return None, None

    def _change_cipher_spec(self, record: TlsRecord, side: _Side, is_request: bool) -> Observation:
        state = self.state
        concluded = None
        # In TLS 1.3 a ChangeCipherSpec is only for middleboxes (RFC 8446 D.4); it may even
        # come before the second ClientHello, after a HelloRetryRequest. It protects what
        # follows only after a ServerHello that chose TLS 1.2 or earlier.
        if state.server_hello is not None and not self.tls13:
            side.encrypted = True
            state.change_cipher_spec[1 if is_request else 0] = True
            if all(state.change_cipher_spec) and not state.concluded:
                concluded = self._conclude()
        anomalies = record.anomalies
        if record.fragment != b"\x01":
            anomalies += ("tls.bad_change_cipher_spec",)
        return Observation((), False, None, None, None, concluded, anomalies)

    def _alert(self, record: TlsRecord, side: _Side, is_request: bool) -> Observation:
        fragment = record.fragment
        if side.encrypted or self.tls13 or len(fragment) != 2:
            return Observation((), True, None, None, None, None, record.anomalies)
        alert = Alert(fragment[0], fragment[1])
        anomalies = record.anomalies
        if alert.level not in ALERT_LEVELS:
            anomalies += ("tls.bad_alert",)
        concluded = None
        state = self.state
        if alert.level == FATAL and not state.concluded:
            state.alert, state.alert_from_client = alert, is_request
            concluded = self._conclude()
        return Observation((), False, alert, None, None, concluded, anomalies)

    def _heartbeat(self, record: TlsRecord, side: _Side) -> Observation:
        fragment = record.fragment
        if side.encrypted or self.tls13 or len(fragment) < 3:
            return Observation((), True, None, None, None, None, record.anomalies)
        beat = Heartbeat(fragment[0], (fragment[1] << 8) | fragment[2])
        anomalies = record.anomalies
        if 3 + beat.payload_length + HEARTBEAT_PADDING > len(fragment):
            anomalies += ("tls.heartbeat_overflow",)  # Heartbleed, CVE-2014-0160
        return Observation((), False, None, beat, None, None, anomalies)

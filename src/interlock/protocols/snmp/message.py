"""The SNMP message (RFC 1157 v1, RFC 1901/3416 v2c, RFC 3412 v3) decoded from BER.

v1 and v2c: SEQUENCE { version, community, PDU }. The community is a credential: only
its length is kept, never its value. v3: SEQUENCE { msgVersion, msgGlobalData,
msgSecurityParameters (USM, RFC 3414), msgData }, msgData being a plaintext ScopedPDU or
an encryptedPDU (left undecoded). PDUs (RFC 3416 section 3): tags 0xA0-0xA8; the v1
Trap-PDU (0xA4) has its own layout (RFC 1157 section 4.1.6).

Pure: never raises; what is malformed becomes an anomaly code and decoding stops there,
keeping what came before (as Wireshark's tree does).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.snmp.ber import INTEGER, OCTET_STRING, SEQUENCE, Tlv, signed
from interlock.protocols.snmp.pdu import Pdu, parse_pdu
from interlock.protocols.snmp.reader import Reader

VERSIONS: Final = {0: "v1", 1: "v2c", 3: "v3"}
USM: Final = 3


class V3Header(NamedTuple):
    """msgGlobalData and the USM security parameters; -1 / None where absent."""

    msg_id: int = -1
    max_size: int = -1
    flags: int = -1
    security_model: int = -1
    engine_id: bytes | None = None
    engine_boots: int = -1
    engine_time: int = -1
    user_name: bytes | None = None
    auth_length: int = -1
    """Length of msgAuthenticationParameters (the HMAC itself is not kept: with the
    message it would allow offline guessing of the user's password)."""
    priv_length: int = -1
    encrypted: bool = False
    context_engine_id: bytes | None = None
    context_name: bytes | None = None

    @property
    def auth(self) -> bool:
        return self.flags >= 0 and bool(self.flags & 1)

    @property
    def priv(self) -> bool:
        return self.flags >= 0 and bool(self.flags & 2)

    @property
    def reportable(self) -> bool:
        return self.flags >= 0 and bool(self.flags & 4)


class SnmpMessage(NamedTuple):
    version: int
    """0 (v1), 1 (v2c), 3 (v3), another number, or -1 when absent."""
    community_length: int
    """Length of the community (v1/v2c), -1 when absent. Its value is never kept."""
    v3: V3Header | None
    pdu: Pdu | None
    anomalies: tuple[str, ...]
    size: int = 0

    @property
    def is_request(self) -> bool:
        """A confirmed-class PDU (get, getnext, getbulk, set, inform); for an encrypted
        v3 message, the reportable flag says so (RFC 3412 section 6.4)."""
        if self.pdu is not None:
            return self.pdu.is_request
        return self.v3 is not None and self.v3.encrypted and self.v3.reportable

    @property
    def is_response(self) -> bool:
        if self.pdu is not None:
            return self.pdu.tag in (0xA2, 0xA8)
        return self.v3 is not None and self.v3.encrypted and not self.v3.reportable

    @property
    def pairing_id(self) -> tuple[int, int]:
        """v3 pairs by msgID, v1/v2c by request-id."""
        if self.v3 is not None:
            return (3, self.v3.msg_id)
        request_id = self.pdu.request_id if self.pdu is not None else None
        return (1, request_id if request_id is not None else -1)


def parse(buf: bytes, start: int, end: int) -> SnmpMessage:
    """Decode the SNMP message in buf[start:end] (one UDP datagram)."""
    data = bytes(buf[start:end])
    r = Reader(data)
    outer = r.child(0, len(data))
    if outer.tag != SEQUENCE:
        r.note("snmp.bad_tag" if outer.tag >= 0 else "snmp.truncated")
        return SnmpMessage(-1, -1, None, None, r.codes(), len(data))
    if outer.anomaly:
        r.note(outer.anomaly)  # decoded as far as it goes, like Wireshark
    elif outer.after < len(data):
        r.note("snmp.trailing_data")
    item = r.child(outer.start, outer.end)
    if not r.expect(item, INTEGER):
        return SnmpMessage(-1, -1, None, None, r.codes(), len(data))
    version = signed(data[item.start : item.end])
    pos = item.after
    if version == 3:
        v3, pdu = _v3(r, pos, outer.end)
        return SnmpMessage(3, -1, v3, pdu, r.codes(), len(data))
    if version not in VERSIONS:
        r.note("snmp.unknown_version")
        return SnmpMessage(version, -1, None, None, r.codes(), len(data))
    community = r.child(pos, outer.end)
    if not r.expect(community, OCTET_STRING):
        return SnmpMessage(version, -1, None, None, r.codes(), len(data))
    pdu = parse_pdu(r, community.after, outer.end, version)
    return SnmpMessage(version, community.end - community.start, None, pdu, r.codes(), len(data))


def _v3(r: Reader, pos: int, end: int) -> tuple[V3Header, Pdu | None]:
    head = V3Header()
    glob = r.child(pos, end)
    if not r.expect(glob, SEQUENCE):
        return head, None
    fields: list[int] = []
    at = glob.start
    for expected in (INTEGER, INTEGER, OCTET_STRING, INTEGER):
        item = r.child(at, glob.end)
        if not r.expect(item, expected):
            return _global(head, fields), None
        if expected == OCTET_STRING:
            raw = r.data[item.start : item.end]
            fields.append(raw[0] if raw else -1)
        else:
            fields.append(signed(r.data[item.start : item.end]))
        at = item.after
    head = _global(head, fields)
    params = r.child(glob.after, end)
    if not r.expect(params, OCTET_STRING):
        return head, None
    if head.security_model == USM:
        head = _usm(r, params, head)
        if r.stopped:
            return head, None
    return _scoped(r, params.after, end, head)


def _global(head: V3Header, fields: list[int]) -> V3Header:
    padded = [*fields, -1, -1, -1, -1]
    return head._replace(
        msg_id=padded[0], max_size=padded[1], flags=padded[2], security_model=padded[3]
    )


def _usm(r: Reader, params: Tlv, head: V3Header) -> V3Header:
    """UsmSecurityParameters (RFC 3414 section 2.4), inside the OCTET STRING."""
    usm = r.child(params.start, params.end)
    if not r.expect(usm, SEQUENCE):
        return head
    got: list[bytes] = []
    at = usm.start
    for expected in (OCTET_STRING, INTEGER, INTEGER, OCTET_STRING, OCTET_STRING, OCTET_STRING):
        item = r.child(at, usm.end)
        if not r.expect(item, expected):
            break
        got.append(r.data[item.start : item.end])
        at = item.after
    if got:
        head = head._replace(engine_id=got[0])
    if len(got) > 2:
        head = head._replace(engine_boots=signed(got[1]), engine_time=signed(got[2]))
    if len(got) > 3:
        head = head._replace(user_name=got[3])
    if len(got) > 4:
        head = head._replace(auth_length=len(got[4]))
    if len(got) > 5:
        head = head._replace(priv_length=len(got[5]))
    return head


def _scoped(r: Reader, pos: int, end: int, head: V3Header) -> tuple[V3Header, Pdu | None]:
    body = r.child(pos, end)
    if body.tag == OCTET_STRING and not body.anomaly:
        return head._replace(encrypted=True), None
    if not r.expect(body, SEQUENCE):
        return head, None
    engine = r.child(body.start, body.end)
    if not r.expect(engine, OCTET_STRING):
        return head, None
    head = head._replace(context_engine_id=r.data[engine.start : engine.end])
    name = r.child(engine.after, body.end)
    if not r.expect(name, OCTET_STRING):
        return head, None
    head = head._replace(context_name=r.data[name.start : name.end])
    return head, parse_pdu(r, name.after, body.end, 3)

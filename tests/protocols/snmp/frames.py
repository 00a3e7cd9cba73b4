"""Crafted SNMP traffic (RFC 1157 v1, RFC 3416 v2c PDUs, RFC 3412/3414 v3 with USM),
built byte by byte from the ASN.1 BER layouts: no SNMP agent or manager runs on this
host to record, so the messages are made here and tshark 4.0's dissection of them is the
committed truth. The community string COMMUNITY is a stand-in credential: the tests prove
it never reaches Interlock's output.
"""

from __future__ import annotations

from protocols.identity.frames import ip, mac, udp

MANAGER_MAC = mac("00:0c:29:10:20:30")
AGENT_MAC = mac("00:1b:1b:40:50:60")
MANAGER, AGENT = "10.0.0.10", "10.0.0.20"
COMMUNITY = b"Pr1v4te-C0mmunity"


def tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    if n < 0x80:
        return bytes((tag, n)) + value
    size = (n.bit_length() + 7) // 8
    return bytes((tag, 0x80 | size)) + n.to_bytes(size, "big") + value


def integer(value: int, tag: int = 0x02) -> bytes:
    size = max(1, (value.bit_length() + 8) // 8)
    return tlv(tag, value.to_bytes(size, "big", signed=True))


def unsigned(tag: int, value: int) -> bytes:
    size = max(1, (value.bit_length() + 8) // 8)
    return tlv(tag, value.to_bytes(size, "big"))


def octets(value: bytes) -> bytes:
    return tlv(0x04, value)


def oid(text: str) -> bytes:
    arcs = [int(a) for a in text.split(".")]
    body = bytearray((arcs[0] * 40 + arcs[1],))
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, bytes(body))


def seq(*parts: bytes) -> bytes:
    return tlv(0x30, b"".join(parts))


NULL = b"\x05\x00"
SYS = "1.3.6.1.2.1.1"


def varbinds(*pairs: tuple[str, bytes]) -> bytes:
    return seq(*(seq(oid(name), value) for name, value in pairs))


def pdu(tag: int, request_id: int, binds: bytes, status: int = 0, index: int = 0) -> bytes:
    return tlv(tag, integer(request_id) + integer(status) + integer(index) + binds)


def community_message(version: int, body: bytes, community: bytes = COMMUNITY) -> bytes:
    return seq(integer(version), octets(community), body)


def v3_message(
    msg_id: int,
    flags: int,
    engine: bytes,
    boots: int,
    time: int,
    user: bytes,
    scoped: bytes,
    auth: bytes = b"",
    priv: bytes = b"",
) -> bytes:
    header = seq(integer(msg_id), integer(65507), octets(bytes((flags,))), integer(3))
    usm = seq(
        octets(engine), integer(boots), integer(time), octets(user), octets(auth), octets(priv)
    )
    return seq(integer(3), header, octets(usm), scoped)


ENGINE = bytes.fromhex("80001f888059dc486145a26d6400000000")


def snmp_payloads() -> list[tuple[bool, int, int, bytes]]:
    """(sent by the manager, source port, destination port, SNMP message), in order."""
    identity_oids = [f"{SYS}.{i}.0" for i in range(1, 7)]
    get = pdu(0xA0, 0x1A2B3C4D, varbinds(*((o, NULL) for o in identity_oids)))
    answer = varbinds(
        (f"{SYS}.1.0", octets(b"Siemens SIMATIC S7-1500 CPU 1516-3 PN/DP V2.9")),
        (f"{SYS}.2.0", oid("1.3.6.1.4.1.4329.6.1.2513")),
        (f"{SYS}.3.0", unsigned(0x43, 123456789)),
        (f"{SYS}.4.0", octets(b"ot-team@plant.example")),
        (f"{SYS}.5.0", octets(b"plc-line-7")),
        (f"{SYS}.6.0", octets(b"Hall 3, cabinet 12")),
    )
    response = pdu(0xA2, 0x1A2B3C4D, answer)
    getnext = pdu(0xA1, 2, varbinds(("1.3.6.1.2.1.2.2.1.10", NULL)))
    next_answer = pdu(
        0xA2,
        2,
        varbinds(
            ("1.3.6.1.2.1.2.2.1.10.1", unsigned(0x41, 4_000_000_000)),
            ("1.3.6.1.2.1.2.2.1.5.1", unsigned(0x42, 100_000_000)),
            ("1.3.6.1.2.1.4.20.1.1.10.0.0.20", tlv(0x40, ip("10.0.0.20"))),
            ("1.3.6.1.2.1.31.1.1.1.6.1", unsigned(0x46, 2**40 + 5)),
            ("1.3.6.1.2.1.2.2.1.6.1", octets(mac("00:1b:1b:40:50:60"))),
            ("1.3.6.1.4.1.9999.1", tlv(0x44, b"\x9f\x78\x04\x3f\x80\x00\x00")),
            ("1.3.6.1.2.1.2.2.1.8.1", integer(-1)),
        ),
    )
    bulk = pdu(0xA5, 3, varbinds(("1.3.6.1.2.1.2.2.1.2", NULL)), 0, 5)
    bulk_answer = pdu(
        0xA2,
        3,
        varbinds(
            ("1.3.6.1.2.1.2.2.1.2.1", octets(b"eth0")),
            ("1.3.6.1.2.1.99.1", b"\x80\x00"),
            ("1.3.6.1.2.1.99.2", b"\x81\x00"),
            ("1.3.6.1.2.1.99.3", b"\x82\x00"),
        ),
    )
    set_binds = varbinds(
        (f"{SYS}.5.0", octets(b"plc-renamed")), ("1.3.6.1.4.1.4329.6.3.1.0", integer(2))
    )
    set_request = pdu(0xA3, 77, set_binds)
    set_error = pdu(0xA2, 77, set_binds, status=2, index=2)
    trap_v1 = tlv(
        0xA4,
        oid("1.3.6.1.4.1.4329.6")
        + tlv(0x40, ip(AGENT))
        + integer(6)
        + integer(12)
        + unsigned(0x43, 5000)
        + varbinds(("1.3.6.1.4.1.4329.6.2.1.0", octets(b"CPU STOP"))),
    )
    trap_binds = varbinds(
        (f"{SYS}.3.0", unsigned(0x43, 6000)),
        ("1.3.6.1.6.3.1.1.4.1.0", oid("1.3.6.1.6.3.1.1.5.3")),
        ("1.3.6.1.2.1.2.2.1.1.2", integer(2)),
    )
    trap_v2 = pdu(0xA7, 900, trap_binds)
    inform = pdu(0xA6, 901, trap_binds)
    inform_answer = pdu(0xA2, 901, trap_binds)
    discovery = v3_message(
        1001, 0x04, b"", 0, 0, b"", seq(octets(b""), octets(b""), pdu(0xA0, 5001, seq()))
    )
    report = v3_message(
        1001,
        0x00,
        ENGINE,
        3,
        86400,
        b"",
        seq(
            octets(ENGINE),
            octets(b""),
            pdu(0xA8, 5001, varbinds(("1.3.6.1.6.3.15.1.1.4.0", unsigned(0x41, 7)))),
        ),
    )
    auth = bytes.fromhex("5a1c9e0d33b27f4418aa0c21")
    salt = bytes.fromhex("0000000100000002")
    encrypted = octets(bytes.fromhex("3c6f1b2a99e0d4c7b5a8e2f10d6c4b3a29187f6e5d4c3b2a"))
    secret_get = v3_message(1002, 0x07, ENGINE, 3, 86410, b"opsadmin", encrypted, auth, salt)
    secret_answer = v3_message(1002, 0x03, ENGINE, 3, 86410, b"opsadmin", encrypted, auth, salt)
    v1_get = community_message(0, pdu(0xA0, 11, varbinds((f"{SYS}.5.0", NULL))))
    m, a = True, False
    return [
        (m, 40001, 161, community_message(1, get)),
        (a, 161, 40001, community_message(1, response)),
        (m, 40001, 161, community_message(1, getnext)),
        (a, 161, 40001, community_message(1, next_answer)),
        (m, 40001, 161, community_message(1, bulk)),
        (a, 161, 40001, community_message(1, bulk_answer)),
        (m, 40003, 161, community_message(0, set_request)),
        (a, 161, 40003, community_message(0, set_error)),
        (a, 40004, 162, community_message(0, trap_v1)),
        (a, 40005, 162, community_message(1, trap_v2)),
        (a, 40006, 162, community_message(1, inform)),
        (m, 162, 40006, community_message(1, inform_answer)),
        (m, 40007, 161, discovery),
        (a, 161, 40007, report),
        (m, 40007, 161, secret_get),
        (a, 161, 40007, secret_answer),
        (m, 40008, 1161, v1_get),
        (
            a,
            1161,
            40008,
            community_message(0, pdu(0xA2, 11, varbinds((f"{SYS}.5.0", octets(b"plc-line-7"))))),
        ),
        (m, 40009, 161, community_message(1, get)[:40]),
        (m, 40010, 161, _bad_length(community_message(1, get))),
        (m, 40011, 161, bytes((0x30, 0x07)) + integer(1) + b"\x1f\x81\x01\x00"),
    ]


def _bad_length(message: bytes) -> bytes:
    """The first varbind's length claims far more than the message holds."""
    at = message.index(b"\x30\x0c\x06\x08")
    return message[:at] + b"\x30\x82\x7f\xff" + message[at + 2 :]


def snmp_frames() -> list[bytes]:
    frames = []
    for by_manager, sport, dport, message in snmp_payloads():
        if by_manager:
            frames.append(udp(MANAGER_MAC, AGENT_MAC, MANAGER, AGENT, sport, dport, message))
        else:
            frames.append(udp(AGENT_MAC, MANAGER_MAC, AGENT, MANAGER, sport, dport, message))
    return frames

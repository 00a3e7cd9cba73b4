"""Hand-written SNMP and NBNS units: each message kind, anomaly codes, strict probes."""

from __future__ import annotations

import struct

import pytest

from interlock.protocols.nbns.message import parse as parse_nbns
from interlock.protocols.nbns.names import decode
from interlock.protocols.nbns.spec import probe as nbns_probe
from interlock.protocols.snmp.ber import oid_text, read_tlv
from interlock.protocols.snmp.message import parse as parse_snmp
from interlock.protocols.snmp.spec import probe as snmp_probe
from protocols.nbns.frames import nb_name, nbns_payloads
from protocols.snmp.frames import (
    NULL,
    community_message,
    integer,
    octets,
    oid,
    pdu,
    snmp_payloads,
    tlv,
    varbinds,
)

OTHERS = [
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(60),
    b"\x00\x01\x00\x00\x00\x06\x01\x03\x00\x00\x00\x0a",  # Modbus/TCP read request
    bytes(range(256)),
    b"\x81\x0b\x00\x0c\x01\x20\xff\xff\x00\xff\x10\x08",  # BACnet/IP who-is
    b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07example\x03com\x00\x00\x01\x00\x01",
]


def seq_raw(body: bytes) -> bytes:
    return tlv(0x30, body)


def _snmp(message: bytes):  # type: ignore[no-untyped-def]
    return parse_snmp(message, 0, len(message))


def test_a_get_keeps_the_community_length_never_its_value() -> None:
    m = _snmp(community_message(1, pdu(0xA0, 7, varbinds(("1.3.6.1.2.1.1.5.0", NULL))), b"s3cret"))
    assert m.version == 1 and m.community_length == 6
    assert m.pdu is not None and m.pdu.name == "get" and m.pdu.request_id == 7
    assert m.pdu.varbinds[0].oid == "1.3.6.1.2.1.1.5.0" and m.pdu.varbinds[0].type_name == "null"
    assert b"s3cret" not in repr(m).encode() and m.anomalies == ()


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (b"\x30\x05\x02\x01\x01\x04", "snmp.truncated"),
        (b"\x31\x03\x02\x01\x01", "snmp.bad_tag"),
        (b"\x30\x80\x02\x01\x01", "snmp.bad_length"),
        (b"\x30\x03\x02\x01\x02", "snmp.unknown_version"),
        (b"\x30\x03\x02\x01\x01\x00", "snmp.trailing_data"),
        (community_message(1, tlv(0xAF, b"")), "snmp.unknown_pdu"),
        (community_message(0, pdu(0xA5, 1, varbinds())), "snmp.pdu_not_in_v1"),
        (community_message(1, pdu(0xA0, 1, varbinds(("1.3", tlv(0x30, b""))))), "snmp.bad_value"),
        (
            community_message(1, pdu(0xA0, 1, varbinds(("1.3", tlv(0x49, b"x"))))),
            "snmp.unknown_value_type",
        ),
        (
            community_message(1, pdu(0xA0, 1, varbinds(("1.3", tlv(0x02, bytes(10)))))),
            "snmp.bad_integer",
        ),
        (
            community_message(1, pdu(0xA0, 1, seq_raw(tlv(0x30, tlv(0x06, b"\x2b\x81") + NULL)))),
            "snmp.bad_oid",
        ),
    ],
)
def test_anomaly_codes(message: bytes, code: str) -> None:
    assert code in _snmp(message).anomalies


def test_trap_v1_fields() -> None:
    m = _snmp(snmp_payloads()[8][3])
    assert m.pdu is not None and m.pdu.trap is not None
    assert m.pdu.trap.enterprise == "1.3.6.1.4.1.4329.6" and m.pdu.trap.agent_addr == "10.0.0.20"
    assert (m.pdu.trap.generic_trap, m.pdu.trap.specific_trap, m.pdu.trap.time_stamp) == (
        6,
        12,
        5000,
    )


def test_v3_header_user_and_encryption() -> None:
    m = _snmp(snmp_payloads()[14][3])
    assert m.v3 is not None and m.pdu is None
    assert (m.v3.msg_id, m.v3.auth, m.v3.priv, m.v3.reportable) == (1002, True, True, True)
    assert m.v3.user_name == b"opsadmin" and m.v3.encrypted and m.v3.auth_length == 12
    assert m.is_request and m.pairing_id == (3, 1002)


def test_ber_reader_and_oid_edges() -> None:
    assert read_tlv(b"\x04\x84\x00\x00\x00\x02ab", 0, 8).anomaly == ""
    assert read_tlv(b"\x04\x85\x00\x00\x00\x00\x02ab", 0, 9).anomaly == "snmp.bad_length"
    assert read_tlv(b"\x1f\x01\x00", 0, 3).anomaly == "snmp.bad_tag"
    assert oid_text(oid("1.3.6.1.4.1.99999.1")[2:]) == ("1.3.6.1.4.1.99999.1", True)
    assert oid_text(b"\x2b" + b"\xff" * 20)[1] is False


def test_snmp_probe_takes_whole_messages_only() -> None:
    for _, _, _, message in snmp_payloads()[:18]:
        assert snmp_probe(message, 0, len(message))
    get = community_message(1, pdu(0xA0, 1, varbinds(("1.3", NULL))))
    assert not snmp_probe(get[:-1], 0, len(get) - 1)
    assert not snmp_probe(get + b"\0", 0, len(get) + 1)
    assert not snmp_probe(b"\x30\x03\x02\x01\x02", 0, 5)
    for data in OTHERS:
        assert not snmp_probe(data, 0, len(data)), data[:8]


def test_nbns_probe_wants_an_encoded_name() -> None:
    for _, _, message in nbns_payloads():
        if message[5] and message[12] == 32 and message != nbns_payloads()[11][2]:
            assert nbns_probe(message, 0, len(message))
    for data in OTHERS:
        assert not nbns_probe(data, 0, len(data)), data[:8]
    header = struct.pack("!HHHHHH", 1, 0x0110, 1, 0, 0, 0)
    assert not nbns_probe(header + b"\x03www\x00\x00\x20\x00\x01" + bytes(40), 0, 64)


def test_netbios_names_decode_as_wireshark_shows_them() -> None:
    assert decode("FAEMEDCNEMEJEOEFCNDHCACACACACACA").text == "PLC-LINE-7<20>"
    assert decode("EIENEJCNDCCACACACACACACACACACAAA.plant").text == "HMI-2<00>.plant"
    assert decode("abab").suffix == -1
    assert decode("AB").text == "Illegal NetBIOS name (1 bytes long)"
    assert decode("ABA").text == "Illegal NetBIOS name (odd number of bytes)"


def test_nbns_status_response_gives_names_and_mac() -> None:
    message = nbns_payloads()[8][2]
    m = parse_nbns(message, 0, len(message))
    (record,) = m.records
    assert [n.name for n in record.node_names] == ["HMI-2", "WORKGROUP", "HMI-2"]
    assert record.unit_id == bytes.fromhex("001b1b212223")


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (b"\x00\x01\x01", "nbns.truncated"),
        (
            struct.pack("!HHHHHH", 1, 0x0110, 1, 0, 0, 0) + b"\x20" + b"ab" * 16 + b"\0\0\x20\0\1",
            "nbns.illegal_name",
        ),
        (struct.pack("!HHHHHH", 1, 0x5010, 0, 0, 0, 0), "nbns.unknown_opcode"),
        (
            struct.pack("!HHHHHH", 1, 0x8500, 0, 1, 0, 0)
            + nb_name(b"A", 0x20)
            + struct.pack("!HHIH", 0x20, 1, 0, 3)
            + b"\0\0\0",
            "nbns.incomplete_entry",
        ),
        (
            struct.pack("!HHHHHH", 1, 0x0110, 200, 0, 0, 0)
            + (nb_name(b"A", 0) + b"\0\x20\0\1") * 200,
            "nbns.too_many_records",
        ),
        (
            struct.pack("!HHHHHH", 1, 0x0110, 1, 0, 0, 0) + b"\xc0\x0c\0\x20\0\1",
            "nbns.compression_loop",
        ),
    ],
)
def test_nbns_anomaly_codes(message: bytes, code: str) -> None:
    assert code in parse_nbns(message, 0, len(message)).anomalies


def test_octets_helper_is_used() -> None:
    assert octets(b"x") == b"\x04\x01x" and integer(-1) == b"\x02\x01\xff"

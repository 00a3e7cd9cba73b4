"""EtherNet/IP and CIP exchanges as typed transactions: operation classes and details."""

from __future__ import annotations

import struct

import pytest

from interlock.model import Endpoint, OperationClass
from interlock.protocols.cip.epath import encode_logical, encode_port, encode_symbol
from interlock.protocols.cip.message import (
    encode_multiple_service,
    encode_request,
    encode_response,
    encode_unconnected_send,
    parse_message,
)
from interlock.protocols.enip import commands as cmd
from interlock.protocols.enip.cpf import encode_identity, encode_items
from interlock.protocols.enip.encap import EnipPacket, encode, parse
from interlock.protocols.enip.transactions import build, operation_of, pairing_key
from protocols.enip.session_capture import CONTROLLER, PLC, identity_attributes, rr_data

CLIENT, SERVER = Endpoint("10.0.0.1", 50000), Endpoint("10.0.0.2", 44818)
Op = OperationClass


def path(class_id: int, instance: int = 1, attribute: int | None = None) -> bytes:
    raw = encode_logical("class", class_id) + encode_logical("instance", instance)
    return raw + (encode_logical("attribute", attribute) if attribute is not None else b"")


def packet(raw: bytes) -> EnipPacket:
    return parse(raw, 0, len(raw))


def operation(request: bytes) -> OperationClass:
    return operation_of(parse_message(request, 0, len(request)))


@pytest.mark.parametrize(
    ("request_bytes", "expected"),
    [
        (encode_request(0x0E, path(0xF5, 1, 5)), Op.READ),
        (encode_request(0x03, path(0x8E), b"\x01\x00\x09\x00"), Op.READ),
        (encode_request(0x10, path(0xF5, 1, 5), b"\x0a\x00\x00\x02"), Op.WRITE),
        (encode_request(0x02, path(0x04, 100), b"\x00"), Op.WRITE),
        (encode_request(0x05, path(0x01), b"\x00"), Op.RESTART),
        (encode_request(0x06, path(0x8E)), Op.MODE_CHANGE),
        (encode_request(0x07, path(0x8E)), Op.MODE_CHANGE),
        (encode_request(0x01, path(0x01)), Op.IDENTITY),
        (encode_request(0x0E, path(0x01, 1, 7)), Op.IDENTITY),
        (encode_request(0x4C, encode_symbol("Motor_Speed"), b"\x01\x00"), Op.READ),
        (encode_request(0x4D, encode_symbol("Setpoint"), b"\xc4\x00\x01\x00\x00\x00"), Op.WRITE),
        (encode_request(0x4D, path(0xA1), b"\x00" * 8), Op.PROGRAM),
        (encode_request(0x50, path(0x37), b"\x00" * 4), Op.PROGRAM),
        (encode_request(0x54, path(0x06), b""), Op.SESSION),
        (encode_request(0x4E, path(0x06), b""), Op.SESSION),
    ],
)
def test_operation_classes(request_bytes: bytes, expected: OperationClass) -> None:
    assert operation(request_bytes) == expected


def test_an_unconnected_send_is_classified_by_the_request_it_carries() -> None:
    inner = encode_request(0x05, path(0x01), b"\x00")
    ucs = encode_request(0x52, path(0x06), encode_unconnected_send(inner, encode_port(1, 0)))
    assert operation(ucs) == Op.RESTART


def test_a_multiple_service_packet_takes_its_weightiest_operation() -> None:
    services = [encode_request(0x0E, path(0x01, 1, 7)), encode_request(0x07, path(0x8E))]
    msp = encode_request(0x0A, path(0x02), encode_multiple_service(services))
    assert operation(msp) == Op.MODE_CHANGE


def test_list_identity_is_discovery_with_the_identity_in_the_details() -> None:
    reply = encode(cmd.LIST_IDENTITY, encode_items([(0x0C, encode_identity(CONTROLLER, PLC))]))
    txn = build(CLIENT, SERVER, packet(encode(cmd.LIST_IDENTITY)), 1, 1.0, packet(reply), 2, 2.0)
    assert (txn.function_name, txn.operation, txn.status) == ("list_identity", Op.DISCOVERY, "ok")
    (identity,) = txn.details["identity"]  # type: ignore[misc]
    assert identity["product_name"] == "1756-L73/B LOGIX5573" and identity["revision"] == "20.11"


def test_an_identity_read_carries_the_identity() -> None:
    request = packet(rr_data(encode_request(0x01, path(0x01)), 1))
    response = packet(rr_data(encode_response(0x01, 0, identity_attributes()), 1))
    txn = build(CLIENT, SERVER, request, 1, 1.0, response, 2, 2.0)
    assert txn.operation == Op.IDENTITY and txn.function_name == "get_attributes_all"
    assert txn.details["identity"] == [
        {
            "vendor_id": 1,
            "device_type": 14,
            "product_code": 95,
            "revision": "20.11",
            "status": 0x3060,
            "serial_number": "0x60d1e2f3",
            "product_name": "1756-L73/B LOGIX5573",
        }
    ]
    assert [t.space for t in txn.targets] == ["identity"]


def test_a_failed_service_is_an_exception_with_its_status() -> None:
    request = packet(rr_data(encode_request(0x10, path(0xF5, 1, 5), b"\x00"), 1))
    response = packet(rr_data(encode_response(0x10, 0x0E, b"", (0x0001,)), 1))
    txn = build(CLIENT, SERVER, request, 1, 1.0, response, 2, 2.0)
    assert (txn.status, txn.exception_code, txn.operation) == ("exception", 0x0E, Op.WRITE)
    assert txn.details["extended_status"] == [1]


def test_requests_and_responses_share_their_pairing_key() -> None:
    request = packet(rr_data(encode_request(0x0E, path(1, 1, 1)), 5))
    response = packet(rr_data(encode_response(0x0E, 0, b"\x01\x00"), 5))
    assert pairing_key(request) == pairing_key(response)
    assert pairing_key(request) != pairing_key(packet(rr_data(b"\x0e\x00", 6)))


def test_io_data_stands_alone() -> None:
    io = encode_items([(0x8002, struct.pack("<II", 7, 1)), (0x00B1, b"\x01\x00")])
    txn = build(CLIENT, SERVER, packet(io), 1, 1.0, None, None, None)
    assert (txn.function_name, txn.status) == ("io_data", "unsolicited")
    assert txn.details == {"connection_id": 7, "sequence": 1}

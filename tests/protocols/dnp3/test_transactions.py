"""DNP3 transactions: operation classes, status, targets, values and details."""

from __future__ import annotations

import struct

from interlock.model import Endpoint, OperationClass, Target
from interlock.protocols.dnp3.application import encode_apdu, parse_apdu
from interlock.protocols.dnp3.session import Fragment
from interlock.protocols.dnp3.transactions import build, is_request, operation_of
from protocols.dnp3.demo_capture import attribute, crob, obj

CLIENT, SERVER = Endpoint("10.0.0.1", 40001), Endpoint("10.0.0.2", 20000)


def request(function: int, body: bytes = b"", seq: int = 1) -> Fragment:
    return Fragment(1, 10, parse_apdu(encode_apdu(0xC0 | seq, function, body)))


def response(body: bytes = b"", iin: int = 0, seq: int = 1, function: int = 0x81) -> Fragment:
    return Fragment(10, 1, parse_apdu(encode_apdu(0xC0 | seq, function, body, iin=iin)))


def pair(req: Fragment | None, resp: Fragment | None):  # type: ignore[no-untyped-def]
    return build(
        CLIENT,
        SERVER,
        req,
        4 if req else None,
        1.0 if req else None,
        resp,
        5 if resp else None,
        2.0 if resp else None,
    )


def test_operation_classes() -> None:
    assert operation_of(0x01, []) == OperationClass.READ
    assert operation_of(0x05, []) == OperationClass.WRITE
    assert operation_of(0x0D, []) == operation_of(0x0E, []) == OperationClass.RESTART
    assert operation_of(0x12, []) == operation_of(0x15, []) == OperationClass.MODE_CHANGE
    assert operation_of(0x17, []) == OperationClass.DIAGNOSTIC
    assert operation_of(0x99, []) == OperationClass.OTHER
    tx = pair(
        request(0x01, obj(0, 254, 0x06)),
        response(attribute(242, 1, b"2.1") + attribute(240, 2, b"\x00\x08")),
    )
    assert tx.operation == OperationClass.IDENTITY
    assert tx.details["device_attributes"] == {
        "software_version": "2.1",
        "max_transmit_fragment_size": 2048,
    }


def test_crob_control_values_and_target() -> None:
    command = obj(12, 1, 0x28, struct.pack("<HH", 1, 7), crob(0x81, 1, 250, 750))
    tx = pair(request(0x05, command), response(command))
    assert (tx.function_name, tx.operation, tx.status) == (
        "direct_operate",
        OperationClass.WRITE,
        "ok",
    )
    assert tx.targets == (Target(10, "binary_output_commands", 7, 1),)
    assert tx.details["controls"] == [
        {
            "group": 12,
            "variation": 1,
            "index": 7,
            "op_type": "pulse_on",
            "queue": False,
            "clear": False,
            "trip_close": "trip",
            "count": 1,
            "on_time": 250,
            "off_time": 750,
            "status": "success",
        }
    ]
    assert tx.values == (1,)
    refused = obj(12, 1, 0x28, struct.pack("<HH", 1, 7), crob(0x81, 1, 250, 750, status=4))
    assert pair(request(0x05, command), response(refused)).status == "exception"


def test_analog_output_values() -> None:
    command = obj(41, 3, 0x17, b"\x01\x02", struct.pack("<fB", 12.5, 0))
    tx = pair(request(0x03, command), None)
    assert tx.status == "unanswered" and tx.values == (12,)
    assert tx.details["controls"] == [
        {"group": 41, "variation": 3, "index": 2, "value": 12.5, "status": "success"}
    ]


def test_statuses() -> None:
    assert pair(request(0x0D), response(iin=0x0001)).status == "exception"
    assert pair(request(0x0D), response(iin=0x0001)).exception_code == 1
    assert pair(None, response(function=0x82)).status == "unsolicited"
    assert pair(None, response()).status == "unknown"
    assert is_request(request(0x01)) and not is_request(response())


def test_read_values_come_from_the_response() -> None:
    body = obj(30, 2, 0x00, b"\x00\x01", struct.pack("<BhBh", 1, 7, 1, -3)) + obj(
        1, 1, 0x00, b"\x00\x02", b"\x05"
    )
    tx = pair(request(0x01, obj(60, 1, 0x06)), response(body))
    assert tx.values == (7, -3, 1, 0, 1)
    assert tx.targets == (Target(10, "class_data", 0, 0),)

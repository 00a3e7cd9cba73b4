"""BACnet transactions: operation classes, targets, details and status."""

from __future__ import annotations

import struct

from interlock.model import Endpoint, OperationClass, Target, Transaction
from interlock.protocols.bacnet.bvlc import parse
from interlock.protocols.bacnet.session import BacnetSession
from interlock.protocols.bacnet.transactions import build, view

CLIENT, SERVER = Endpoint("10.0.0.1", 47808), Endpoint("10.0.0.2", 47808)


def exchange(*units: tuple[bool, str]) -> Transaction:
    """The transaction built from these datagrams (request first, answer last)."""
    session = BacnetSession()
    viewed = None
    for n, (from_a, hex_text) in enumerate(units):
        body = bytes.fromhex(hex_text.replace(" ", ""))
        data = b"\x81\x0a" + struct.pack(">H", 4 + len(body)) + body
        message = parse(data, 0, len(data))
        viewed = view(message, session.observe(message, from_a, n + 1, float(n)))
    assert viewed is not None
    unit, request = viewed
    if request is None:
        return build(CLIENT, SERVER, None, None, None, unit, len(units), 0.0)
    return build(CLIENT, SERVER, request.adu, request.frame, request.ts, unit, len(units), 0.0)


I_AM = (False, "0100 1000 c4020003e9 2205c4 9103 2201 04")


def test_write_property_targets_the_device_seen_in_i_am() -> None:
    tx = exchange(
        I_AM,
        (True, "0104 0005 02 0f 0c00400001 1955 3e 4442280000 3f 4908"),
        (False, "0100 2002 0f"),
    )
    assert tx.operation == OperationClass.WRITE and tx.status == "ok"
    assert tx.targets == (Target(1001, "analog-output", 1, 1),)
    assert tx.values == (42,)
    assert tx.details["properties"] == [
        {
            "object": "analog-output:1",
            "property": "present-value",
            "property_id": 85,
            "value": 42.0,
            "priority": 8,
        }
    ]


def test_dcc_reinitialize_and_errors() -> None:
    dcc = exchange((True, "0104 0005 04 11 093c 1901 2d0700736563726574"), (False, "0100 6004 09"))
    assert dcc.operation == OperationClass.MODE_CHANGE and dcc.status == "exception"
    assert dcc.details["enable_disable"] == "disable" and dcc.details["password_present"] is True
    assert "secret" not in repr(dcc)
    reinit = exchange((True, "0104 0005 05 14 0901"), (False, "0100 5005 14 9105 911a"))
    assert reinit.operation == OperationClass.RESTART and reinit.exception_code == 26
    assert (
        reinit.details["state"] == "warmstart"
        and reinit.details["error_code"] == "password-failure"
    )


def test_discovery_and_identity_stand_alone() -> None:
    who_is = exchange((True, "0100 1008 0a03e8 1a07d0"))
    assert (who_is.operation, who_is.status, who_is.request_frame) == (
        OperationClass.DISCOVERY,
        "unsolicited",
        1,
    )
    i_am = exchange(I_AM)
    assert i_am.operation == OperationClass.IDENTITY
    assert i_am.details["vendor_id"] == 260 and i_am.targets == (Target(1001, "device", 1001, 1),)


def test_reads_pair_with_their_answer() -> None:
    tx = exchange(
        (True, "0104 0005 01 0c 0c00800001 1955"),
        (False, "0100 3001 0c 0c00800001 1955 3e 4442280000 3f"),
    )
    assert tx.operation == OperationClass.READ and tx.status == "ok" and tx.values == (42,)
    assert (tx.request_frame, tx.response_frame) == (1, 2)

"""Activation pairing, negative confirmations and sequence gaps, through the engine."""

from __future__ import annotations

from interlock.model import OperationClass, Target
from protocols.iec104.conversation import (  # tests/ is on sys.path
    STARTDT_ACT,
    STARTDT_CON,
    asdu,
    i_frame,
    records,
    transactions,
)

SELECT = asdu(45, 6, 10010, b"\x81")
SELECT_CON = asdu(45, 7, 10010, b"\x81")
EXECUTE = asdu(45, 6, 10010, b"\x01")
EXECUTE_CON = asdu(45, 7, 10010, b"\x01")
EXECUTE_TERM = asdu(45, 10, 10010, b"\x01")


def test_select_execute_and_termination() -> None:
    found = transactions(
        [
            (0, STARTDT_ACT),
            (1, STARTDT_CON),
            (0, i_frame(0, 0, SELECT)),
            (1, i_frame(0, 1, SELECT_CON)),
            (0, i_frame(1, 1, EXECUTE)),
            (1, i_frame(1, 2, EXECUTE_CON)),
            (1, i_frame(2, 2, EXECUTE_TERM)),
        ]
    )
    startdt, select, execute, term = found
    assert (startdt.function_name, startdt.operation, startdt.status) == (
        "STARTDT",
        "session",
        "ok",
    )
    assert select.operation == OperationClass.WRITE and select.details["select"] is True
    assert select.targets == (Target(7, "ioa", 10010, 1),) and select.values == (1,)
    assert (execute.details["select"], execute.details["phase"]) == (False, "confirmation")
    assert (term.request_frame, term.response_frame) == (execute.request_frame, 10)
    assert term.details["phase"] == "termination"


def test_negative_confirmation_is_an_exception() -> None:
    negative = bytes((46, 1, 0x47, 0, 7, 0)) + (15000).to_bytes(3, "little") + b"\x82"
    found = transactions(
        [(0, i_frame(0, 0, asdu(46, 6, 15000, b"\x82"))), (1, i_frame(0, 1, negative))]
    )
    assert [t.status for t in found] == ["exception"]
    assert found[0].details["negative"] is True


def test_unknown_ioa_answer_carries_its_cause() -> None:
    found = transactions(
        [
            (0, i_frame(0, 0, asdu(45, 6, 5, b"\x01"))),
            (1, i_frame(0, 1, asdu(45, 0x6F, 5, b"\x01"))),
        ]
    )
    assert (found[0].status, found[0].exception_code) == ("exception", 47)


def test_operation_classes() -> None:
    cases = {
        100: (b"\x14", OperationClass.READ),
        103: (bytes(7), OperationClass.OTHER),
        105: (b"\x01", OperationClass.RESTART),
        50: (b"\x00\x00\x2a\x42\x00", OperationClass.WRITE),
    }
    for type_id, (element, operation) in cases.items():
        (found,) = transactions([(0, i_frame(0, 0, asdu(type_id, 6, 0, element)))])
        assert found.operation == operation and found.status == "unanswered"
    (setpoint,) = transactions([(0, i_frame(0, 0, asdu(50, 6, 0, b"\x00\x00\x2a\x42\x00")))])
    assert setpoint.details["objects"] == [
        {"ioa": 0, "float": 42.5, "select": False, "qualifier": 0}
    ]


def test_monitoring_data_is_unsolicited() -> None:
    (found,) = transactions([(1, i_frame(0, 0, asdu(13, 3, 2001, b"\x00\x00\x48\x41\x00")))])
    assert (found.operation, found.status, found.values) == ("read", "unsolicited", ())
    assert found.details["objects"] == [{"ioa": 2001, "float": 12.5, "quality": []}]


def test_sequence_gap_is_reported_on_the_frame() -> None:
    data = asdu(1, 3, 1, b"\x01")
    found = records([(1, i_frame(0, 0, data)), (1, i_frame(1, 0, data)), (1, i_frame(5, 0, data))])
    assert [r["anomalies"] for r in found] == [[], [], ["iec104.sequence_gap"]]


def test_several_apdus_in_one_segment_are_several_records() -> None:
    data = asdu(1, 3, 1, b"\x01")
    found = records(
        [(1, bytes.fromhex("680401000200") + i_frame(0, 0, data) + i_frame(1, 0, data))]
    )
    assert [r["fields"]["iec60870_104.type"] for r in found] == [1, 0, 0]
    assert {r["frame"] for r in found} == {4}


def test_probe_claims_iec104_on_another_port() -> None:
    found = records([(0, STARTDT_ACT), (1, STARTDT_CON)], port=12404)
    assert [r["proto"] for r in found] == ["iec104", "iec104"]

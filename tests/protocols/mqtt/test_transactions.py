"""MQTT exchanges as transactions: operation classes, targets, statuses, secrets."""

from __future__ import annotations

from interlock.model import OperationClass, Target
from protocols.mqtt.builders import connect, packet, publish, subscribe
from protocols.mqtt.conversation import transactions


def test_a_3_1_1_session() -> None:
    txs = transactions(
        [
            (0, connect(4, "dev-1", "alice", b"Very-Secret-1")),
            (1, b"\x20\x02\x01\x00"),
            (0, subscribe(1, ("plant/#", 1))),
            (1, b"\x90\x03\x00\x01\x01"),
            (0, publish("plant/a", b"1", qos=0)),
            (1, publish("plant/b", b"2", qos=1, packet_id=1)),
            (0, b"\x40\x02\x00\x01"),
            (0, b"\xc0\x00"),
            (1, b"\xd0\x00"),
            (0, b"\xe0\x00"),
        ]
    )
    by_name = {t.function_name: t for t in txs}
    session = by_name["connect"]
    assert session.operation == OperationClass.SESSION and session.status == "ok"
    assert session.details["client_id"] == "dev-1"
    assert session.details["password_present"] is True and session.details["password_len"] == 13
    assert session.details["cleartext_credentials"] is True
    assert session.details["session_present"] is True
    assert "mqtt.cleartext_credentials" in session.anomalies
    assert "Very-Secret-1" not in repr(txs)
    sub = by_name["subscribe"]
    assert sub.operation == OperationClass.READ and sub.status == "ok"
    assert sub.targets == (Target(0, "topic:plant/#", 0, 1),)
    publishes = [t for t in txs if t.function_name == "publish"]
    assert [(t.status, t.details["direction"], t.details["qos"]) for t in publishes] == [
        ("ok", "client_to_server", 0),
        ("ok", "server_to_client", 1),
    ]
    assert publishes[1].request_frame == 9 and publishes[1].response_frame == 10
    assert publishes[0].targets == (Target(0, "topic:plant/a", 0, 1),)
    assert by_name["pingreq"].operation == OperationClass.DIAGNOSTIC
    assert by_name["disconnect"].status == "ok"


def test_refusals_and_failures_are_exceptions() -> None:
    txs = transactions(
        [
            (0, connect(4, "c", "u", b"wrong")),
            (1, b"\x20\x02\x00\x05"),
        ]
    )
    assert (txs[0].status, txs[0].exception_code) == ("exception", 5)
    txs = transactions(
        [
            (0, connect(4)),
            (1, b"\x20\x02\x00\x00"),
            (0, subscribe(2, ("a", 0), ("secret/#", 0))),
            (1, b"\x90\x04\x00\x02\x00\x80"),
        ]
    )
    assert (txs[-1].status, txs[-1].exception_code) == ("exception", 0x80)


def test_5_0_publish_refused_and_unanswered_requests() -> None:
    txs = transactions(
        [
            (0, connect(5)),
            (1, packet(0x20, b"\x00\x00\x00")),
            (0, publish("t", qos=1, packet_id=3, v5=b"")),
            (1, packet(0x40, b"\x00\x03\x87")),
            (0, publish("t", qos=2, packet_id=4, v5=b"")),
        ]
    )
    assert [t.status for t in txs] == ["ok", "exception", "unanswered"]
    assert txs[1].exception_code == 0x87


def test_an_acknowledgement_without_its_request() -> None:
    txs = transactions([(1, b"\x40\x02\x00\x09")])
    assert txs[0].status == "unknown" and txs[0].function_name == "publish"

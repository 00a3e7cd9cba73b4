"""Transactions: the engine's model, built from paired units."""

from __future__ import annotations

from interlock.capture.frames import Frame
from interlock.capture.linktypes import ETHERNET
from interlock.engine import Engine
from interlock.model import Endpoint, OperationClass, Target, Transaction
from interlock.protocols.modbus.mbap import encode_adu, parse_adu
from interlock.protocols.modbus.transactions import build
from interlock.protocols.registry import PROTOCOLS
from interlock.sim.tcp_frames import TcpConversation
from interlock.transactions import TransactionSink

CLIENT, SERVER = Endpoint("10.0.0.1", 40001), Endpoint("10.0.0.2", 502)


def adu(tid: int, pdu: bytes, unit: int = 1):  # type: ignore[no-untyped-def]
    frame = encode_adu(tid, unit, pdu)
    return parse_adu(frame, 0, len(frame))


def pair(request: bytes, response: bytes | None) -> Transaction:
    resp = adu(1, response) if response is not None else None
    return build(
        CLIENT, SERVER, adu(1, request), 4, 1.0, resp, 5 if resp else None, 1.1 if resp else None
    )


def test_read_takes_its_values_from_the_response() -> None:
    tx = pair(bytes.fromhex("0300100002"), bytes.fromhex("030400070008"))
    assert (tx.operation, tx.status, tx.function_name) == (
        OperationClass.READ,
        "ok",
        "read_holding_registers",
    )
    assert tx.targets == (Target(1, "holding_registers", 16, 2),)
    assert tx.values == (7, 8)
    assert (tx.request_frame, tx.response_frame) == (4, 5)


def test_coil_reads_are_unpacked_to_the_requested_count() -> None:
    tx = pair(bytes.fromhex("0100000003"), bytes.fromhex("010105"))
    assert tx.values == (1, 0, 1)


def test_writes_carry_the_written_values() -> None:
    tx = pair(bytes.fromhex("10000a000204000100ff"), bytes.fromhex("10000a0002"))
    assert tx.operation is OperationClass.WRITE
    assert tx.targets == (Target(1, "holding_registers", 10, 2),) and tx.values == (1, 255)


def test_exceptions_and_unanswered_requests() -> None:
    tx = pair(bytes.fromhex("0323280002"), bytes.fromhex("8302"))
    assert (tx.status, tx.exception_code) == ("exception", 2)
    assert pair(bytes.fromhex("0300000001"), None).status == "unanswered"


def test_operation_classes_of_restart_listen_only_and_umas() -> None:
    assert pair(bytes.fromhex("0800010000"), None).operation is OperationClass.RESTART
    assert pair(bytes.fromhex("0800040000"), None).operation is OperationClass.MODE_CHANGE
    assert pair(bytes.fromhex("0800000000"), None).operation is OperationClass.DIAGNOSTIC
    assert pair(bytes.fromhex("5a0041"), None).operation is OperationClass.MODE_CHANGE
    assert pair(bytes.fromhex("5a0031"), None).operation is OperationClass.PROGRAM
    assert pair(bytes.fromhex("2b0e0100"), None).operation is OperationClass.IDENTITY
    assert pair(bytes.fromhex("11"), None).operation is OperationClass.IDENTITY


def test_device_identification_objects_are_named() -> None:
    response = bytes.fromhex("2b0e01010000020003414243010278 79".replace(" ", ""))
    tx = pair(bytes.fromhex("2b0e0100"), response)
    assert tx.details["device_identification"] == {"vendor_name": "ABC", "product_code": "xy"}


def test_sink_emits_pairs_and_unanswered_requests_when_the_flow_closes() -> None:
    c = TcpConversation("10.0.0.1", 40001, "10.0.0.2", 502)
    packets = [
        *c.handshake(),
        c.data(0, encode_adu(1, 1, bytes.fromhex("0300000001"))),
        c.data(0, encode_adu(2, 1, bytes.fromhex("0300000001"))),
        c.data(1, encode_adu(1, 1, bytes.fromhex("03020007"))),
        c.data(1, encode_adu(9, 1, bytes.fromhex("03020001"))),  # answers nothing we saw
        *c.close(),
    ]
    out: list[Transaction] = []
    engine = Engine(PROTOCOLS, TransactionSink(out.append))
    engine.run(Frame(float(i), ETHERNET, p, len(p)) for i, p in enumerate(packets))
    engine.finish()
    assert [(t.status, t.request_frame, t.response_frame) for t in out] == [
        ("ok", 4, 6),
        ("unknown", None, 7),
        ("unanswered", 5, None),
    ]
    assert out[0].client == Endpoint("10.0.0.1", 40001) and out[0].values == (7,)

"""TLS handshakes as SESSION transactions, through the engine and the transaction sink."""

from __future__ import annotations

from interlock.capture.linktypes import ETHERNET
from interlock.engine import Engine
from interlock.model import OperationClass, Transaction
from interlock.protocols.registry import PROTOCOLS
from interlock.sim.tcp_frames import TcpConversation
from interlock.transactions import TransactionSink
from protocols.tls.builders import (
    alpn,
    client_hello,
    groups,
    key_shares,
    record,
    server_hello,
    sni,
    versions,
)

PQ_HELLO = client_hello(
    (0x1A1A, 0x1301, 0x1302),
    (
        sni("historian.plant"),
        alpn(b"h2"),
        groups(0x2A2A, 0x11EC, 0x001D),
        key_shares((0x11EC, 1216), (0x001D, 32)),
        versions(0x0304, 0x0303),
    ),
)


def run(*exchanges: tuple[int, bytes], close: bool = True, port: int = 443) -> list[Transaction]:
    conversation = TcpConversation("10.0.0.1", 40001, "10.0.0.2", port)
    frames = conversation.handshake()
    frames += [conversation.data(direction, payload) for direction, payload in exchanges]
    if close:
        frames += conversation.close()
    out: list[Transaction] = []
    engine = Engine(PROTOCOLS, TransactionSink(out.append))
    engine.run((float(i), ETHERNET, f, len(f)) for i, f in enumerate(frames))
    engine.finish()
    return out


def test_a_tls13_handshake_with_a_hybrid_post_quantum_group() -> None:
    sh = server_hello(0x1301, ((43, b"\x03\x04"), (51, b"\x11\xec\x00\x02ab")))
    (tx,) = run((0, record(22, PQ_HELLO, 0x0301)), (1, record(22, sh)))
    assert tx.protocol == "tls" and tx.operation is OperationClass.SESSION
    assert (tx.status, tx.request_frame, tx.response_frame) == ("ok", 4, 5)
    d = tx.details
    assert d["sni"] == "historian.plant" and d["alpn_offered"] == ["h2"]
    assert d["versions_offered"] == ["TLS 1.3", "TLS 1.2"]
    assert d["version_selected"] == "TLS 1.3"
    assert d["cipher_suites_offered"] == [0x1301, 0x1302] and d["cipher_suite_selected"] == 0x1301
    assert d["supported_groups"] == ["X25519MLKEM768", "x25519"]
    assert d["key_share_groups"] == ["X25519MLKEM768", "x25519"]
    assert d["key_share_group_selected"] == "X25519MLKEM768"
    assert d["hybrid_pq_offered"] and d["hybrid_pq_selected"]
    assert str(d["ja4"]).startswith("t13d0205h2_") and len(str(d["ja3s"])) == 32


def test_a_classical_session_is_not_post_quantum() -> None:
    hello = client_hello(extensions=(groups(0x001D), key_shares((0x6399, 1216))))
    (tx,) = run((0, record(22, hello)), (1, record(22, server_hello(0xC02F))))
    assert tx.details["hybrid_pq_offered"] is True  # the Kyber draft share was offered
    assert tx.details["hybrid_pq_selected"] is False and tx.details["version_selected"] == "TLS 1.2"


def test_a_fatal_alert_makes_an_exception() -> None:
    (tx,) = run(
        (0, record(22, client_hello())),
        (1, record(22, server_hello(0xC02F))),
        (0, record(21, b"\x02\x30")),
    )
    assert (tx.status, tx.exception_code, tx.response_frame) == ("exception", 48, 6)
    assert tx.details["alert"] == {"level": 2, "description": "unknown_ca", "from": "client"}


def test_a_client_hello_never_answered() -> None:
    (tx,) = run((0, record(22, PQ_HELLO)))
    assert (tx.status, tx.request_frame, tx.response_frame) == ("unanswered", 4, None)
    assert tx.details["sni"] == "historian.plant"


def test_a_handshake_the_capture_cut_short_keeps_what_was_seen() -> None:
    (tx,) = run((0, record(22, client_hello())), (1, record(22, server_hello(0xC02F))))
    assert tx.status == "ok" and tx.details["cipher_suite_selected"] == 0xC02F


def test_a_server_hello_without_its_client_hello() -> None:
    (tx,) = run((1, record(22, server_hello(0x1301, ((43, b"\x03\x04"),)))))
    assert tx.request_frame is None and tx.response_frame == 4 and tx.status == "ok"
    assert "sni" not in tx.details and tx.details["version_selected"] == "TLS 1.3"


def test_tls_on_a_port_of_its_own_is_found_by_the_probe() -> None:
    (tx,) = run((0, record(22, PQ_HELLO, 0x0301)), (1, record(22, server_hello(0xC02F))), port=4433)
    assert tx.protocol == "tls" and tx.server.port == 4433 and tx.status == "ok"


def test_other_traffic_on_an_unknown_port_is_not_tls() -> None:
    assert [
        t
        for t in run((0, b"GET / HTTP/1.1\r\nHost: hmi\r\n\r\n"), port=8081)
        if t.protocol == "tls"
    ] == []

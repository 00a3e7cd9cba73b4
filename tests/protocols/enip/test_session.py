"""Request/response pairing and CIP connections for one EtherNet/IP conversation."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from capture.builders import frames_of, run_engine
from interlock.capture.linktypes import ETHERNET
from interlock.engine import Engine
from interlock.protocols.cip.connection import (
    ConnectionRequest,
    ForwardOpenReply,
    Triad,
    encode_forward_close,
    encode_forward_open,
    encode_forward_open_reply,
)
from interlock.protocols.cip.epath import encode_logical, encode_port
from interlock.protocols.cip.message import encode_request, encode_response
from interlock.protocols.enip.connections import ConnectionTable
from interlock.protocols.enip.cpf import encode_items
from interlock.protocols.enip.encap import EnipPacket, parse
from interlock.protocols.enip.session import EnipSession
from interlock.protocols.registry import PROTOCOLS
from interlock.render.dissect import JsonlSink
from interlock.sim.tcp_frames import TcpConversation
from interlock.transactions import TransactionSink
from protocols.enip.session_capture import frames, rr_data, unit_data

CM = encode_logical("class", 6) + encode_logical("instance", 1)
GAS = encode_request(0x0E, encode_logical("class", 1) + encode_logical("instance", 1))
PATH = encode_port(1, 0) + encode_logical("class", 2) + encode_logical("instance", 1)
TRIAD = Triad(7, 1, 9)


def packet(raw: bytes) -> EnipPacket:
    return parse(raw, 0, len(raw))


def open_connection(session: EnipSession, null: bool = False) -> None:
    kind = 0 if null else 2
    ask = ConnectionRequest(0, 0, TRIAD, 1000, 1000, kind, kind, 0xA3)
    session.observe(
        packet(rr_data(encode_request(0x54, CM, encode_forward_open(ask, PATH)), 3)), True, 1, 1.0
    )
    granted = encode_forward_open_reply(ForwardOpenReply(0x11, 0x22, TRIAD, 1, 1))
    session.observe(packet(rr_data(encode_response(0x54, 0, granted), 3)), False, 2, 2.0)


def test_unconnected_messages_pair_by_sender_context() -> None:
    session = EnipSession()
    assert session.observe(packet(rr_data(GAS, 1)), True, 1, 1.0) is None
    assert session.observe(packet(rr_data(GAS, 2)), True, 2, 2.0) is None
    answer = session.observe(
        packet(rr_data(encode_response(0x0E, 0, b"\x01\x00"), 1)), False, 3, 3.0
    )
    assert answer is not None and (answer.frame, answer.ts) == (1, 1.0)
    assert answer.adu is not None and answer.adu.context == 1
    assert session.observe(packet(rr_data(encode_response(0x0E), 99)), False, 4, 4.0) is None


def test_a_forward_open_reply_opens_a_connection_for_both_directions() -> None:
    session = EnipSession()
    open_connection(session)
    request = session.observe(packet(unit_data(0x11, 5, GAS)), True, 3, 3.0)
    assert request is not None and request.adu is None and request.connection is not None
    assert request.connection.reply_frame == 2 and request.connection.open_frame == 1
    reply = session.observe(packet(unit_data(0x22, 5, encode_response(0x0E))), False, 4, 4.0)
    assert reply is not None and reply.frame == 3 and reply.connection is request.connection
    assert session.observe(packet(unit_data(0x33, 6, GAS)), True, 5, 5.0) is None


def test_the_forward_close_names_the_connection_it_ends() -> None:
    session = EnipSession()
    open_connection(session)
    close = rr_data(encode_request(0x4E, CM, encode_forward_close(TRIAD, PATH)), 4)
    context = session.observe(packet(close), True, 5, 5.0)
    assert context is not None and context.connection is None and context.closing is not None
    assert context.closing.request.triad == TRIAD


def test_a_null_forward_open_opens_nothing() -> None:
    session = EnipSession()
    open_connection(session, null=True)
    assert session.by_triad == {}


def test_connected_data_without_a_known_connection_pairs_by_sequence() -> None:
    session = EnipSession()
    session.observe(packet(unit_data(0x100, 9, GAS)), True, 1, 1.0)
    reply = session.observe(packet(unit_data(0x200, 9, encode_response(0x0E))), False, 2, 2.0)
    assert reply is not None and reply.frame == 1 and reply.connection is None


def test_pending_requests_are_bounded() -> None:
    session = EnipSession()
    for context in range(3000):
        session.observe(packet(rr_data(GAS, context)), True, context, float(context))
    assert len(session.requests) == 1024


def test_io_connections_are_shared_by_the_sessions_given_one_table() -> None:
    table = ConnectionTable()
    tcp, udp = EnipSession(table), EnipSession(table)
    ask = ConnectionRequest(0, 0, TRIAD, 1000, 1000, 2, 2, 0x01)  # transport class 1: I/O
    tcp.observe(
        packet(rr_data(encode_request(0x54, CM, encode_forward_open(ask, PATH)), 3)), True, 1, 1.0
    )
    granted = encode_forward_open_reply(ForwardOpenReply(0x11, 0x22, TRIAD, 1, 1))
    tcp.observe(packet(rr_data(encode_response(0x54, 0, granted), 3)), False, 2, 2.0)
    io = encode_items([(0x8002, (0x22).to_bytes(4, "little") + bytes(4)), (0x00B1, b"\x01\x00")])
    context = udp.observe(packet(io), False, 3, 3.0)
    assert context is not None and context.connection is not None
    assert context.connection.request.transport_class == 1
    assert EnipSession().observe(packet(io), False, 3, 3.0) is None  # another engine's table


def test_each_engine_keeps_its_own_connections() -> None:
    everything = frames_of(frames(), ETHERNET)
    units, _ = run_engine(everything)
    io = [u for u in units if u.message.is_io]
    assert [u.answered is not None for u in io] == [True, True, False]
    alone, _ = run_engine(frames_of(frames()[-3:], ETHERNET))  # the I/O without its Forward Open
    assert [u.answered for u in alone] == [None, None, None]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.binary(min_size=1, max_size=90)), max_size=10))
def test_the_pipeline_survives_any_stream(segments: list[tuple[bool, bytes]]) -> None:
    conversation = TcpConversation("10.0.0.1", 50000, "10.0.0.2", 44818)
    packets = conversation.handshake()
    packets += [conversation.data(int(server), payload) for server, payload in segments]
    packets += conversation.close()
    out = io.BytesIO()
    sinks = (JsonlSink(out), TransactionSink(lambda _txn: None))
    for sink in sinks:
        engine = Engine(PROTOCOLS, sink)
        engine.run(frames_of(packets, ETHERNET))
        engine.finish()
    assert all(line.startswith(b"{") for line in out.getvalue().splitlines())

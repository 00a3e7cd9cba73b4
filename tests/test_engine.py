"""The engine's TCP reassembly and flow handling, as the dissect contract describes it:
arrival order, retransmissions not dissected twice, resume at the next valid unit after a
hole, units reported on the frame that completes them, bounded memory."""

from __future__ import annotations

from typing import Any

from interlock.capture.frames import Frame
from interlock.capture.linktypes import ETHERNET
from interlock.engine import Engine
from interlock.protocols.modbus.mbap import encode_adu
from interlock.protocols.registry import PROTOCOLS
from interlock.sim.tcp_frames import TcpConversation


class Collect:
    def __init__(self) -> None:
        self.units: list[tuple[int, int, Any, Any]] = []

    def unit(
        self, frame: int, ts: float, flow: Any, direction: int, message: Any, answered: Any
    ) -> None:
        self.units.append((frame, direction, message, answered))


def request(tid: int, start: int = 0, count: int = 1) -> bytes:
    return encode_adu(tid, 1, bytes([3]) + start.to_bytes(2, "big") + count.to_bytes(2, "big"))


def response(tid: int, values: list[int]) -> bytes:
    body = b"".join(v.to_bytes(2, "big") for v in values)
    return encode_adu(tid, 1, bytes([3, len(body)]) + body)


def run(packets: list[bytes], **kwargs: Any) -> tuple[Engine, Collect]:
    sink = Collect()
    engine = Engine(PROTOCOLS, sink, **kwargs)
    engine.run(Frame(1.0 + i, ETHERNET, p, len(p)) for i, p in enumerate(packets))
    engine.finish()
    return engine, sink


def conversation(port: int = 502) -> TcpConversation:
    return TcpConversation("10.0.0.1", 40001, "10.0.0.2", port)


def test_in_order_session_pairs_responses_with_requests() -> None:
    c = conversation()
    packets = [*c.handshake(), c.data(0, request(1)), c.data(1, response(1, [42])), *c.close()]
    engine, sink = run(packets)
    assert [(f, d, m.trans_id) for f, d, m, _ in sink.units] == [(4, 0, 1), (5, 1, 1)]
    assert sink.units[1][3].frame == 4  # the response answers frame 4
    assert engine.health.units["modbus"] == 2
    assert engine.health.tcp_holes == engine.health.tcp_retransmissions == 0


def test_several_units_in_one_segment_are_reported_in_stream_order() -> None:
    c = conversation()
    packets = [*c.handshake(), c.data(0, request(1) + request(2) + request(3))]
    _, sink = run(packets)
    assert [(f, m.trans_id) for f, _, m, _ in sink.units] == [(4, 1), (4, 2), (4, 3)]


def test_a_unit_split_across_segments_is_reported_on_the_completing_frame() -> None:
    c = conversation()
    whole = request(7) + request(8)
    packets = [*c.handshake(), c.data(0, whole[:9]), c.data(0, whole[9:15]), c.data(0, whole[15:])]
    _, sink = run(packets)
    assert [(f, m.trans_id) for f, _, m, _ in sink.units] == [(5, 7), (6, 8)]


def test_retransmitted_data_is_not_dissected_twice() -> None:
    c = conversation()
    packets = [*c.handshake()]
    first = c.data(0, request(1))
    packets += [first, first, c.data(0, request(2))]
    engine, sink = run(packets)
    assert [m.trans_id for _, _, m, _ in sink.units] == [1, 2]
    assert engine.health.tcp_retransmissions == 1


def test_reordered_segments_follow_arrival_order() -> None:
    c = conversation()
    packets = [*c.handshake()]
    a = c.data(0, request(1))
    b = c.data(0, request(2))
    packets += [b, a]  # b arrives first: a hole, then a is old data
    engine, sink = run(packets)
    assert [m.trans_id for _, _, m, _ in sink.units] == [2]
    assert engine.health.tcp_holes == 1
    assert engine.health.tcp_retransmissions == 1


def test_after_a_hole_dissection_resumes_at_the_next_valid_unit() -> None:
    c = conversation()
    packets = [*c.handshake()]
    long_unit = request(1) + request(2)
    packets.append(c.data(0, long_unit[:10]))  # a unit begins...
    c.data(0, long_unit[10:])  # ...its end is never captured
    packets.append(c.data(0, b"\x99" * 5))  # mid-unit bytes: not a valid start
    packets.append(c.data(0, request(3)))
    engine, sink = run(packets)
    assert [(f, m.trans_id) for f, _, m, _ in sink.units] == [(6, 3)]
    assert engine.health.tcp_holes == 1
    assert engine.health.tcp_segments_skipped == 1


def test_mid_session_pickup_without_a_handshake() -> None:
    c = conversation()
    c.handshake()
    packets = [c.data(0, request(5)[3:]), c.data(0, request(6)), c.data(1, response(6, [1]))]
    _, sink = run(packets)
    assert [(f, m.trans_id) for f, _, m, _ in sink.units] == [(2, 6), (3, 6)]
    assert sink.units[1][3].frame == 2


def test_one_sided_flows_are_counted() -> None:
    c = conversation()
    c.handshake()
    engine, _ = run([c.data(0, request(1)), c.data(0, request(2))])
    assert engine.health.one_sided_flows == 1


def test_a_protocol_is_found_by_content_on_another_port() -> None:
    c = conversation(port=5020)
    packets = [*c.handshake(), c.data(0, request(1)), c.data(1, response(1, [9]))]
    _, sink = run(packets)
    assert [(d, m.trans_id) for _, d, m, _ in sink.units] == [(0, 1), (1, 1)]


def test_decode_as_forces_a_port() -> None:
    c = conversation(port=7777)
    odd = encode_adu(1, 1, b"\x64\x01")  # user-defined function: no probe would claim it
    packets = [*c.handshake(), c.data(0, odd)]
    assert run(packets)[1].units == []
    _, sink = run(packets, decode_as={7777: "modbus"})
    assert len(sink.units) == 1


def test_a_new_syn_on_the_same_ports_starts_a_new_stream() -> None:
    first = conversation()
    packets = [*first.handshake(), first.data(0, request(1)[:9])]
    second = conversation()
    second.seq = [900_000, 5_000]
    packets += [*second.handshake(), second.data(0, request(2))]
    _, sink = run(packets)
    assert [m.trans_id for _, _, m, _ in sink.units] == [2]


def test_flow_table_is_bounded() -> None:
    packets = []
    for i in range(600):
        c = TcpConversation(f"10.1.{i // 250}.{i % 250 + 1}", 30000 + i, "10.0.0.2", 502)
        packets += [*c.handshake(), c.data(0, request(i))]
    engine, sink = run(packets, max_flows=100, idle_seconds=1e9)  # no flow goes quiet
    assert len(engine.flows) == 0  # finish() retires every flow
    assert engine.health.flows_evicted > 0
    assert len(sink.units) == 600


def test_flow_table_never_exceeds_its_bound_while_running() -> None:
    sink = Collect()
    engine = Engine(PROTOCOLS, sink, max_flows=50)
    sizes = []
    for i in range(400):
        c = TcpConversation("10.2.0.1", 20000 + i, "10.0.0.2", 502)
        packets = [*c.handshake(), c.data(0, request(i))]
        engine.run(Frame(float(i), ETHERNET, p, len(p)) for p in packets)
        sizes.append(len(engine.flows))
    assert max(sizes) <= 2 * 50 + 2


def test_reassembly_buffers_are_bounded_across_flows() -> None:
    packets = []
    huge = encode_adu(1, 1, bytes([16]) + bytes(250))
    for i in range(200):
        c = TcpConversation("10.3.0.1", 10000 + i, "10.0.0.2", 502)
        packets += [*c.handshake(), c.data(0, huge[:100])]  # every flow leaves a partial unit
    sink = Collect()
    engine = Engine(PROTOCOLS, sink, max_buffered_bytes=4096)
    engine.run(Frame(1.0, ETHERNET, p, len(p)) for p in packets)
    assert engine.buffered <= 4096
    assert engine.health.reassembly_buffer_overflows > 0


def test_truncated_frames_are_counted_not_fatal() -> None:
    c = conversation()
    packets = [*c.handshake(), c.data(0, request(1) + request(2))]
    packets[-1] = packets[-1][:-5]  # captured with a short snaplen
    engine, sink = run(packets)
    assert engine.health.truncated_frames == 1
    assert [m.trans_id for _, _, m, _ in sink.units] == [1]


def test_a_closed_connection_is_forgotten_and_late_acks_do_not_revive_it() -> None:
    c = conversation()
    packets = [*c.handshake(), c.data(0, request(1)), c.data(1, response(1, [3])), *c.close()]
    packets.append(c.packet(1, 0x10))  # a late bare ACK
    sink = Collect()
    engine = Engine(PROTOCOLS, sink)
    engine.run(Frame(float(i), ETHERNET, p, len(p)) for i, p in enumerate(packets))
    assert engine.flows == {}
    assert engine.health.tcp_flows == 1
    assert engine.finish().units["modbus"] == 2


def test_a_reset_closes_the_flow() -> None:
    c = conversation()
    packets = [*c.handshake(), c.data(0, request(1)), c.packet(1, 0x04 | 0x10)]
    sink = Collect()
    engine = Engine(PROTOCOLS, sink)
    engine.run(Frame(float(i), ETHERNET, p, len(p)) for i, p in enumerate(packets))
    assert engine.flows == {}
    assert len(sink.units) == 1


def test_data_carried_by_a_fin_segment_is_dissected() -> None:
    c = conversation()
    packets = [*c.handshake(), c.packet(0, 0x01 | 0x10 | 0x08, request(4))]
    _, sink = run(packets)
    assert [m.trans_id for _, _, m, _ in sink.units] == [4]


def test_silent_flows_expire_after_five_minutes_of_capture_time() -> None:
    quiet = conversation()
    packets = [*quiet.handshake(), quiet.data(0, request(1))]
    sink = Collect()
    engine = Engine(PROTOCOLS, sink)
    engine.run(Frame(1000.0 + i, ETHERNET, p, len(p)) for i, p in enumerate(packets))
    assert len(engine.flows) == 2
    later = TcpConversation("10.0.0.3", 40002, "10.0.0.2", 502)
    engine.run(Frame(1400.0, ETHERNET, p, len(p)) for p in later.handshake())
    assert engine.health.flows_expired == 1
    assert len(engine.flows) == 2  # only the new conversation is left

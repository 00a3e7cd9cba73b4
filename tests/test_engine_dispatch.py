"""How the engine finds a unit's protocol beyond TCP ports: link-layer ethertypes (and
Cisco SNAP), content probes on UDP, and probes for protocols whose server speaks first."""

from __future__ import annotations

import struct
from typing import Any

from interlock.capture.frames import Frame
from interlock.capture.linktypes import CISCO_SNAP, ETHERNET
from interlock.engine import Engine
from interlock.net.flows import ETHER, UDP
from interlock.protocols.spec import ProtocolSpec
from interlock.render.dissect import TRANSPORT_NAMES
from interlock.sim.tcp_frames import TcpConversation


class Collect:
    def __init__(self) -> None:
        self.units: list[tuple[int, Any, int, Any]] = []

    def unit(
        self, frame: int, ts: float, flow: Any, direction: int, message: Any, answered: Any
    ) -> None:
        self.units.append((frame, flow, direction, message))


class NoSession:
    def observe(self, message: Any, is_request: bool, frame: int, ts: float) -> Any:
        return None


def _whole(buf: bytes, start: int, end: int) -> bytes:
    return bytes(buf[start:end])


def line_spec(name: str, magic: bytes, **overrides: Any) -> ProtocolSpec:
    """A toy protocol: newline-terminated lines, recognized by a magic prefix."""

    def unit_length(buf: bytes, pos: int) -> int:
        stop = buf.find(b"\n", pos)
        return 0 if stop < 0 else stop + 1 - pos

    fields: dict[str, Any] = dict(
        name=name,
        tcp_ports=frozenset({7}),
        udp_ports=frozenset(),
        unit_length=unit_length,
        starts_unit=lambda buf, start, end: True,
        probe=lambda buf, start, end: buf[start : start + len(magic)] == magic,
        parse=_whole,
        parse_exact=lambda buf, start, end: None,
        new_session=NoSession,
        max_unit=4096,
    )
    fields.update(overrides)
    return ProtocolSpec(**fields)


def run(specs: dict[str, ProtocolSpec], packets: list[bytes]) -> tuple[Engine, Collect]:
    sink = Collect()
    engine = Engine(specs, sink)
    engine.run(Frame(1.0 + i, ETHERNET, p, len(p)) for i, p in enumerate(packets))
    engine.finish()
    return engine, sink


def ethernet(dst: bytes, src: bytes, ethertype: int, payload: bytes) -> bytes:
    return dst + src + struct.pack("!H", ethertype) + payload


def udp(sport: int, dport: int, payload: bytes, reply: bool = False) -> bytes:
    header = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    hosts = (b"\n\0\0\2", b"\n\0\0\1") if reply else (b"\n\0\0\1", b"\n\0\0\2")
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(payload), 1, 0, 64, 17, 0, *hosts)
    return ethernet(b"\2" * 6, b"\4" * 6, 0x0800, ip + header + payload)


STATION = bytes.fromhex("001b1b123456")
MULTICAST = bytes.fromhex("0180c200000e")


def test_a_link_layer_protocol_gets_its_frames_by_ethertype() -> None:
    spec = line_spec("lldp-ish", b"", tcp_ports=frozenset(), ethertypes=frozenset({0x88CC}))
    frame = ethernet(MULTICAST, STATION, 0x88CC, b"chassis\n")
    engine, sink = run({"l": spec}, [frame, frame])
    assert [(f, m) for f, _, _, m in sink.units] == [(1, b"chassis\n"), (2, b"chassis\n")]
    flow = sink.units[0][1]
    assert flow.transport == ETHER and TRANSPORT_NAMES[flow.transport] == "ether"
    assert flow.text[0][0] == "00:1b:1b:12:34:56" and flow.text[0][2] == "01:80:c2:00:00:0e"
    assert engine.health.link_flows == 1 and engine.health.non_ip_frames == 0


def test_vlan_tagged_link_layer_frames_are_found_too() -> None:
    spec = line_spec("dcp-ish", b"", tcp_ports=frozenset(), ethertypes=frozenset({0x8892}))
    tagged = ethernet(MULTICAST, STATION, 0x8100, b"\x00\x05\x88\x92fefe\n")
    _, sink = run({"d": spec}, [tagged])
    assert [m for *_, m in sink.units] == [b"fefe\n"]


def test_cisco_snap_frames_are_named_by_their_protocol_id() -> None:
    spec = line_spec(
        "cdp-ish", b"", tcp_ports=frozenset(), ethertypes=frozenset({CISCO_SNAP | 0x2000})
    )
    body = b"\x02\xb4device\n"
    llc = b"\xaa\xaa\x03\x00\x00\x0c\x20\x00" + body
    frame = ethernet(bytes.fromhex("01000ccccccc"), STATION, len(llc), llc)
    other = ethernet(bytes.fromhex("01000ccccccc"), STATION, 5, b"\xaa\xaa\x03\x00\x00")
    engine, sink = run({"c": spec}, [frame, other])
    assert [m for *_, m in sink.units] == [body]
    assert engine.health.non_ip_frames == 1


def test_unknown_ethertypes_are_counted_not_dissected() -> None:
    engine, sink = run({}, [ethernet(MULTICAST, STATION, 0x88B5, b"x")])
    assert sink.units == [] and engine.health.non_ip_frames == 1


def test_a_udp_protocol_is_found_by_content_on_another_port() -> None:
    spec = line_spec("u", b"UQ", tcp_ports=frozenset(), udp_ports=frozenset({9999}))
    packets = [udp(40000, 1234, b"junk\n"), udp(40001, 1234, b"UQ hello\n")]
    engine, sink = run({"u": spec}, [*packets, udp(1234, 40001, b"answer\n", reply=True)])
    assert [(f, d, m) for f, _, d, m in sink.units] == [(2, 0, b"UQ hello\n"), (3, 1, b"answer\n")]
    assert sink.units[0][1].transport == UDP and sink.units[0][1].client_dir == 0
    assert engine.health.flows_probed == 1


def test_a_probe_does_not_claim_what_it_cannot_parse() -> None:
    spec = line_spec("u", b"UQ", tcp_ports=frozenset(), udp_ports=frozenset({9999}))
    engine, sink = run({"u": spec}, [udp(40000, 1234, b"nothing\n") for _ in range(6)])
    assert sink.units == [] and engine.health.flows_probed == 0


def test_a_server_first_protocol_found_by_content_names_the_right_client() -> None:
    spec = line_spec("banner", b"HELLO-", server_first=True)
    c = TcpConversation("10.0.0.1", 40001, "10.0.0.2", 2222)
    # Picked up mid-session (no handshake): the first payload is the server's banner.
    packets = [c.data(1, b"HELLO-1.0 server\n"), c.data(0, b"HELLO-1.0 client\n")]
    _, sink = run({"b": spec}, packets)
    flow = sink.units[0][1]
    assert [d for _, _, d, _ in sink.units] == [0, 1]  # direction 0: the side seen first
    assert flow.client_dir == 1
    assert flow.text[flow.client_dir][0] == "10.0.0.1"

"""The packet engine: frames in, protocol units out, in one straight line.

    frames -> link layer -> IPv4/IPv6 (defragmented) -> TCP/UDP flow -> reassembly
           -> protocol framing and parsing -> session pairing -> sink

TCP reassembly follows Wireshark 4.0's defaults (see ../shared/spec/dissect.md): segments
are used in arrival order, data already seen is not dissected twice, and after a hole
dissection resumes at the next segment that starts a valid unit. A unit is reported on
the frame that completes it. Passive only: nothing here can send a packet.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from typing import Any, Final

from interlock.capture.frames import Frame
from interlock.capture.linktypes import CISCO_SNAP, ETHERNET, SUPPORTED, network_layer
from interlock.health import CaptureHealth
from interlock.net.flow_table import IDLE_SECONDS, MAX_FLOWS, FlowTable
from interlock.net.flows import ETHER, TCP, UDP, Flow
from interlock.net.ip import Defragmenter, ipv4, ipv6
from interlock.protocols.spec import ProtocolSpec
from interlock.sinks import UnitSink, with_shared_state

# Total bytes held in all reassembly buffers; beyond it, the flow that would grow the
# total loses its partial unit (counted) rather than the process growing without bound.
MAX_BUFFERED_BYTES: Final = 64 * 1024 * 1024

_TCP_HEADER = struct.Struct(">HHIIBB")
_SEQ_FLAGS = struct.Struct(">I4xBB")
_UDP_PORTS = struct.Struct(">HH")
_CISCO_LLC = b"\xaa\xaa\x03\x00\x00\x0c"  # 802.2 LLC with a SNAP header naming Cisco's OUI
TCP_FIN: Final = 0x01
TCP_SYN: Final = 0x02
TCP_RST: Final = 0x04
TCP_CONTROL: Final = TCP_FIN | TCP_SYN | TCP_RST
TCP_ACK: Final = 0x10


class Engine:
    def __init__(
        self,
        protocols: Mapping[str, ProtocolSpec],
        sink: UnitSink,
        decode_as: Mapping[int, str] | None = None,
        max_flows: int = MAX_FLOWS,
        max_buffered_bytes: int = MAX_BUFFERED_BYTES,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.sink = sink
        protocols = {name: with_shared_state(spec) for name, spec in protocols.items()}
        # A sink may also want to know when the engine forgets a flow (FlowClosedListener).
        self.on_flow_closed = getattr(sink, "flow_closed", None)
        self.health = CaptureHealth()
        self.defrag = Defragmenter()
        self.table = FlowTable(self.health, self._retire, max_flows, idle_seconds)
        self.flows = self.table.entries  # the packet loop looks flows up here directly
        self.max_buffered_bytes = max_buffered_bytes
        self.buffered = 0
        self.frame_no = 0
        self.tcp_ports: dict[int, ProtocolSpec] = {}
        self.udp_ports: dict[int, ProtocolSpec] = {}
        self.link_types: dict[int, ProtocolSpec] = {}
        for spec in protocols.values():
            self.tcp_ports.update(dict.fromkeys(spec.tcp_ports, spec))
            self.udp_ports.update(dict.fromkeys(spec.udp_ports, spec))
            self.link_types.update(dict.fromkeys(spec.ethertypes, spec))
        for port, name in (decode_as or {}).items():
            self.tcp_ports[port] = self.udp_ports[port] = protocols[name]
        # Content probes, in registry order, for flows on ports no protocol claims.
        self.tcp_probes = [s for s in protocols.values() if s.tcp_ports]
        self.udp_probes = [s for s in protocols.values() if s.udp_ports]
        self.forced_ports = frozenset(decode_as or ())

    # -- the loop --------------------------------------------------------------------

    def run(self, frames: Iterable[Frame]) -> None:
        health = self.health
        flows = self.flows
        seq_flags = _SEQ_FLAGS.unpack_from
        segment = self._segment
        sink = self.sink
        frame_no = self.frame_no
        try:
            for ts, linktype, data, wire_len in frames:
                frame_no += 1
                # Fast path: Ethernet, IPv4 without options or fragmentation, TCP.
                if not (
                    linktype == ETHERNET
                    and data[12:15] == b"\x08\x00\x45"
                    and len(data) >= 54
                    and data[23] == TCP
                    and not (data[20] & 0x3F or data[21])
                ):
                    self._generic(ts, linktype, data, wire_len, frame_no)
                    continue
                end = 14 + ((data[16] << 8) | data[17])
                if end < 54:  # total length 0 (segmentation offload) or too short: general path
                    self._generic(ts, linktype, data, wire_len, frame_no)
                    continue
                truncated = end > len(data)
                if truncated:
                    end = len(data)
                    health.truncated_frames += 1
                seq, off, flags = seq_flags(data, 38)
                if off < 0x50:  # data offset below 5 words: a bogus header, as Wireshark says
                    continue
                start = 34 + (off >> 4) * 4
                key = data[26:38]  # addresses and ports: the flow key, in one slice
                entry = flows.get(key)
                if entry is None:
                    if start >= end and not flags & TCP_SYN:
                        continue  # a bare ACK, FIN or RST of a flow we do not (or no longer) track
                    entry = self._new_flow(
                        TCP, data[26:34], key, ts, frame_no, data[6:12] + data[:6]
                    )
                flow, direction = entry
                flow.last_seen = ts
                flow.packets += 1
                flow.octets += wire_len
                if flags & TCP_CONTROL:
                    self._control(
                        flow, direction, seq, flags, data, start, end, ts, truncated, frame_no
                    )
                    continue
                if start >= end:
                    continue
                spec = flow.spec
                if spec is None:
                    if flow.probes_left:
                        self._probe(flow, direction, seq, data, start, end, ts, truncated, frame_no)
                    continue
                stream = flow.streams[direction]
                # Fastest path: in order, nothing buffered, the segment is exactly one unit.
                if (
                    seq == stream.next_seq
                    and not stream.pending
                    and (message := spec.parse_exact(data, start, end)) is not None
                ):
                    stream.segments += 1
                    stream.next_seq = (seq + end - start) & 0xFFFFFFFF
                    answered = flow.session.observe(
                        message, direction == flow.client_dir, frame_no, ts
                    )
                    flow.units += 1
                    sink.unit(frame_no, ts, flow, direction, message, answered)
                    continue
                segment(flow, direction, seq, data, start, end, ts, truncated, frame_no)
        finally:
            self.frame_no = frame_no
            health.frames = frame_no

    def finish(self) -> CaptureHealth:
        """Close every flow and return the capture-health summary."""
        self.table.close_all()
        self.health.ip_fragments_reassembled = self.defrag.reassembled
        self.health.ip_fragments_dropped = self.defrag.dropped
        return self.health

    def _retire(self, flow: Flow) -> None:
        """Fold a flow's counts into the health summary before it is forgotten."""
        counts = [s.segments for s in flow.streams]
        if flow.transport == TCP and min(counts) == 0 and max(counts) > 0:
            self.health.one_sided_flows += 1
        if flow.spec is not None and flow.units:
            self.health.units[flow.spec.name] += flow.units
        for stream in flow.streams:
            self.buffered -= len(stream.pending)
            stream.pending = b""
        if self.on_flow_closed is not None:
            self.on_flow_closed(flow)

    # -- the general path ----------------------------------------------------------

    def _generic(self, ts: float, linktype: int, data: bytes, wire_len: int, frame_no: int) -> None:
        health = self.health
        if linktype not in SUPPORTED:
            health.unsupported_link_frames += 1
            return
        try:
            ethertype, pos = network_layer(linktype, data)
        except IndexError:
            health.malformed_ip_frames += 1
            return
        if ethertype == 0x0800:
            datagram = ipv4(data, pos, self.defrag)
        elif ethertype == 0x86DD:
            datagram = ipv6(data, pos, self.defrag)
        else:
            self._link_frame(ts, linktype, data, ethertype, pos, wire_len, frame_no)
            return
        if datagram is None:
            return
        addresses, proto, buf, start, end, truncated = datagram
        if truncated:
            health.truncated_frames += 1
        if proto == TCP and end - start >= 20:
            _sport, _dport, seq, _ack, off, flags = _TCP_HEADER.unpack_from(buf, start)
            if off < 0x50:
                return
            payload = start + (off >> 4) * 4
            key = addresses + buf[start : start + 4]
            entry = self.flows.get(key)
            if entry is None:
                if payload >= end and not flags & TCP_SYN:
                    return
                entry = self._new_flow(TCP, addresses, key, ts, frame_no, _macs(linktype, data))
            flow, direction = entry
            flow.last_seen = ts
            flow.packets += 1
            flow.octets += wire_len
            if flags & TCP_CONTROL:
                self._control(
                    flow, direction, seq, flags, buf, payload, end, ts, truncated, frame_no
                )
            else:
                self._payload(flow, direction, seq, buf, payload, end, ts, truncated, frame_no)
        elif proto == UDP and end - start >= 8:
            key = b"u" + addresses + buf[start : start + 4]
            entry = self.flows.get(key) or self._new_flow(
                UDP, addresses, key, ts, frame_no, _macs(linktype, data)
            )
            flow, direction = entry
            flow.last_seen = ts
            flow.packets += 1
            flow.octets += wire_len
            if truncated:
                return
            if flow.spec is None and flow.probes_left:
                self._probe_datagram(flow, direction, buf, start + 8, end)
            if flow.spec is not None:
                self._datagram(flow, direction, buf, start + 8, end, ts, frame_no)

    def _link_frame(
        self,
        ts: float,
        linktype: int,
        data: bytes,
        ethertype: int,
        pos: int,
        wire_len: int,
        frame_no: int,
    ) -> None:
        """A frame that is not IP: a unit of a link-layer protocol (ARP, LLDP, CDP, DCP)."""
        if ethertype <= 1500 and len(data) >= pos + 8 and data[pos : pos + 6] == _CISCO_LLC:
            ethertype, pos = CISCO_SNAP | (data[pos + 6] << 8) | data[pos + 7], pos + 8
        spec = self.link_types.get(ethertype)
        if spec is None:
            self.health.non_ip_frames += 1
            return
        # Ethernet names both ends; other link layers do not: zero addresses stand in.
        macs = _macs(linktype, data) or bytes(12)
        key = b"e" + ethertype.to_bytes(3, "big") + macs + bytes(4)
        entry = self.flows.get(key)
        if entry is None:
            entry = self._new_flow(ETHER, macs, key, ts, frame_no, macs)
            entry[0].use(spec, 0)
        flow, direction = entry
        flow.last_seen = ts
        flow.packets += 1
        flow.octets += wire_len
        flow.streams[direction].segments += 1
        self._unit(flow, direction, data, pos, len(data), ts, frame_no)

    # -- flows ---------------------------------------------------------------------

    def _new_flow(
        self,
        transport: int,
        addresses: bytes,
        key: bytes,
        ts: float,
        frame_no: int,
        macs: bytes = b"",
    ) -> tuple[Flow, int]:
        """A flow for a packet with this key, its protocol chosen by port."""
        flow = self.table.add(transport, addresses, key, ts)
        flow.first_seen = ts
        flow.first_frame = frame_no
        flow.macs = macs
        sport, dport = flow.ports
        ports = self.tcp_ports if transport == TCP else self.udp_ports
        # Wireshark tries the lower port first; a forced (decode-as) port wins outright.
        order = sorted((sport, dport), key=lambda p: (p not in self.forced_ports, p))
        for port in order:
            spec = ports.get(port)
            if spec is not None:
                flow.use(spec, port)
                if port in self.forced_ports:
                    flow.probes_left = 0  # decode-as: never second-guessed by content
                break
        if transport == TCP:
            self.health.tcp_flows += 1
        elif transport == UDP:
            self.health.udp_flows += 1
        else:
            self.health.link_flows += 1
            flow.probes_left = 0
        return flow, 0

    def _payload(
        self,
        flow: Flow,
        direction: int,
        seq: int,
        buf: bytes,
        start: int,
        end: int,
        ts: float,
        truncated: bool,
        frame_no: int,
    ) -> None:
        if start >= end:
            return
        if flow.spec is not None:
            self._segment(flow, direction, seq, buf, start, end, ts, truncated, frame_no)
        elif flow.probes_left:
            self._probe(flow, direction, seq, buf, start, end, ts, truncated, frame_no)

    def _control(
        self,
        flow: Flow,
        direction: int,
        seq: int,
        flags: int,
        buf: bytes,
        start: int,
        end: int,
        ts: float,
        truncated: bool,
        frame_no: int,
    ) -> None:
        """SYN, FIN or RST: open a stream, or close the flow once it is over.

        A flow is forgotten after a reset or after both sides have sent FIN, so that memory
        holds only live conversations; a late bare ACK does not bring it back.
        """
        if flags & TCP_SYN:
            self._syn(flow, direction, seq, flags)
            return
        self._payload(flow, direction, seq, buf, start, end, ts, truncated, frame_no)
        if flags & TCP_FIN:
            flow.streams[direction].fin = True
        if flags & TCP_RST or all(s.fin for s in flow.streams):
            self.table.close(flow)

    def _syn(self, flow: Flow, direction: int, seq: int, flags: int) -> None:
        stream = flow.streams[direction]
        if not flags & TCP_ACK:
            flow.client_dir = direction
        if stream.next_seq != (seq + 1) & 0xFFFFFFFF:
            self.buffered -= len(stream.pending)
            stream.pending = b""
            stream.next_seq = (seq + 1) & 0xFFFFFFFF

    # -- TCP reassembly --------------------------------------------------------------

    def _probe(
        self,
        flow: Flow,
        direction: int,
        seq: int,
        buf: bytes,
        start: int,
        end: int,
        ts: float,
        truncated: bool,
        frame_no: int,
    ) -> None:
        flow.probes_left -= 1
        spec = self._claim(flow, direction, self.tcp_probes, buf, start, end)
        if spec is not None:
            self._segment(flow, direction, seq, buf, start, end, ts, truncated, frame_no)
            return
        stream = flow.streams[direction]
        stream.segments += 1
        stream.next_seq = (seq + end - start) & 0xFFFFFFFF

    def _probe_datagram(self, flow: Flow, direction: int, buf: bytes, start: int, end: int) -> None:
        flow.probes_left -= 1
        if self._claim(flow, direction, self.udp_probes, buf, start, end) is None:
            flow.streams[direction].segments += 1

    def _claim(
        self,
        flow: Flow,
        direction: int,
        probes: list[ProtocolSpec],
        buf: bytes,
        start: int,
        end: int,
    ) -> ProtocolSpec | None:
        """The first protocol whose content probe accepts this payload now owns the flow."""
        for spec in probes:
            if spec.probe(buf, start, end):
                if flow.client_dir < 0:
                    # Who spoke first tells the client apart, unless the server speaks first.
                    flow.client_dir = 1 - direction if spec.server_first else direction
                flow.use(spec, flow.ports[1 - flow.client_dir])
                self.health.flows_probed += 1
                return spec
        return None

    def _segment(
        self,
        flow: Flow,
        direction: int,
        seq: int,
        buf: bytes,
        start: int,
        end: int,
        ts: float,
        truncated: bool,
        frame_no: int,
    ) -> None:
        stream = flow.streams[direction]
        stream.segments += 1
        spec = flow.spec
        assert spec is not None
        if seq == stream.next_seq and not stream.pending:
            # In order with nothing buffered: frame units straight out of the packet.
            stream.next_seq = (seq + end - start) & 0xFFFFFFFF
            data, pos, stop = buf, start, end
        else:
            size = end - start
            expected = stream.next_seq
            if expected >= 0 and seq != expected:
                delta = (seq - expected) & 0xFFFFFFFF
                if delta >= 0x80000000:  # seq is behind what we already have
                    behind = 0x100000000 - delta
                    if behind >= size:
                        self.health.tcp_retransmissions += 1
                        return
                    self.health.tcp_overlaps += 1
                    start += behind
                    seq = expected
                else:
                    self.health.tcp_holes += 1
                    self._drop_pending(stream)
            stream.next_seq = (seq + end - start) & 0xFFFFFFFF
            if stream.pending:
                data = stream.pending + buf[start:end]
                self._drop_pending(stream)
                pos, stop = 0, len(data)
            else:
                data, pos, stop = buf, start, end
        # Like Wireshark, the protocol's start test applies to whatever the dissector is
        # handed, a reassembled buffer included; what fails it is not that protocol. A flow
        # given its protocol by port alone, none of whose data fit it yet, may turn out to
        # be another protocol on that port (MQTT without TLS on 8883): the probes decide.
        if not spec.starts_unit(data, pos, stop):
            other = self._reclaimed(flow, direction, self.tcp_probes, data, pos, stop)
            if other is None:
                self.health.tcp_segments_skipped += 1
                return
            spec = other
        unit_length = spec.unit_length
        while pos < stop:
            length = unit_length(data, pos)
            if length < 0:  # what follows cannot be a unit: drop it (Wireshark's TPKT does)
                self.health.tcp_segments_skipped += 1
                return
            if not length or pos + length > stop:
                break
            self._unit(flow, direction, data, pos, pos + length, ts, frame_no)
            pos += length
        if pos < stop and not truncated:
            rest = data[pos:stop]
            if len(rest) > spec.max_unit or self.buffered + len(rest) > self.max_buffered_bytes:
                self.health.reassembly_buffer_overflows += 1
                return
            stream.pending = rest
            self.buffered += len(rest)

    def _reclaimed(
        self,
        flow: Flow,
        direction: int,
        probes: list[ProtocolSpec],
        buf: bytes,
        start: int,
        end: int,
    ) -> ProtocolSpec | None:
        """The protocol whose probe claims a port-assigned flow that has produced no unit
        yet (its first payloads are what the probes see, as on unknown ports), if any."""
        if flow.units or flow.probes_left <= 0:
            return None
        flow.probes_left -= 1
        others = [p for p in probes if p is not flow.spec]
        return self._claim(flow, direction, others, buf, start, end)

    def _drop_pending(self, stream: Any) -> None:
        self.buffered -= len(stream.pending)
        stream.pending = b""

    def _datagram(
        self, flow: Flow, direction: int, buf: bytes, start: int, end: int, ts: float, frame_no: int
    ) -> None:
        """Units of a UDP datagram, in order. A length of 0, or one that runs past the end,
        makes the rest of the datagram one unit (which then carries the anomaly)."""
        flow.streams[direction].segments += 1
        spec = flow.spec
        assert spec is not None
        if not spec.starts_unit(buf, start, end):
            other = self._reclaimed(flow, direction, self.udp_probes, buf, start, end)
            if other is None:
                self.health.udp_datagrams_skipped += 1
                return
            spec = other
        pos = start
        while pos < end:
            length = spec.unit_length(buf, pos)
            if length <= 0 or pos + length > end:
                length = end - pos
            self._unit(flow, direction, buf, pos, pos + length, ts, frame_no)
            pos += length

    def _unit(
        self, flow: Flow, direction: int, buf: bytes, start: int, end: int, ts: float, frame_no: int
    ) -> None:
        message = flow.spec.parse(buf, start, end)  # type: ignore[union-attr]
        if message is None:  # a frame the protocol does not report (PROFINET cyclic data)
            return
        answered = flow.session.observe(message, direction == flow.client_dir, frame_no, ts)
        flow.units += 1
        self.sink.unit(frame_no, ts, flow, direction, message, answered)


def _macs(linktype: int, data: bytes) -> bytes:
    """Source then destination MAC address of an Ethernet frame; b"" for other link types."""
    return data[6:12] + data[:6] if linktype == ETHERNET and len(data) >= 14 else b""

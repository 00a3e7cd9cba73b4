"""IPv4 and IPv6 headers, extension headers and fragment reassembly (RFC 791, RFC 8200),
alone and through the engine."""

from __future__ import annotations

import random
import struct
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capture import builders as b  # tests/ is on sys.path (tests/conftest.py)
from interlock.capture.frames import Frame
from interlock.net.ip import (
    MAX_DATAGRAM,
    Datagram,
    Defragmenter,
    ipv4,
    ipv6,
)

KEY = (b"\x0a\x00\x00\x09\x0a\x00\x00\x05", 6, 7)


# -- IPv4 ---------------------------------------------------------------------------------


def test_ipv4_header() -> None:
    packet = b.ipv4(b.CLIENT4, b.SERVER4, 17, b"payload")
    got = ipv4(b"pad" + packet, 3, Defragmenter())
    assert got == Datagram(bytes([10, 0, 0, 9, 10, 0, 0, 5]), 17, b"pad" + packet, 23, 30, False)


def test_ipv4_options_and_ethernet_padding() -> None:
    packet = b.ipv4(b.CLIENT4, b.SERVER4, 6, b"data", options=bytes(8))
    got = ipv4(packet + bytes(10), 0, Defragmenter())
    assert got is not None
    assert got.data[got.start : got.end] == b"data"
    assert not got.truncated


def test_ipv4_captured_short_of_its_total_length_is_truncated() -> None:
    packet = b.ipv4(b.CLIENT4, b.SERVER4, 6, b"0123456789")
    got = ipv4(packet[:-4], 0, Defragmenter())
    assert got is not None and got.truncated
    assert got.data[got.start : got.end] == b"012345"


def test_ipv4_total_length_zero_means_segmentation_offload() -> None:
    packet = b.ipv4(b.CLIENT4, b.SERVER4, 6, b"offloaded", total=0)
    got = ipv4(packet, 0, Defragmenter())
    assert got is not None and not got.truncated
    assert got.data[got.start : got.end] == b"offloaded"


@pytest.mark.parametrize(
    "packet",
    [
        b.ipv4(b.CLIENT4, b.SERVER4, 6, b"x")[:19],  # shorter than a header
        bytes([0x44]) + b.ipv4(b.CLIENT4, b.SERVER4, 6, b"x")[1:],  # IHL 16 bytes
        b.ipv4(b.CLIENT4, b.SERVER4, 6, b"x", total=12),  # total below the header
        bytes([0x65]) + b.ipv4(b.CLIENT4, b.SERVER4, 6, b"x")[1:],  # version 6
        b.ipv4(b.CLIENT4, b.SERVER4, 6, b"", options=bytes(40))[:30],  # options cut off
    ],
)
def test_broken_ipv4_headers(packet: bytes) -> None:
    assert ipv4(packet, 0, Defragmenter()) is None


# -- IPv6 ---------------------------------------------------------------------------------


def test_ipv6_header() -> None:
    packet = b.ipv6(b.CLIENT6, b.SERVER6, 17, b"payload")
    got = ipv6(packet, 0, Defragmenter())
    assert got is not None
    assert got.proto == 17 and len(got.addresses) == 32
    assert (got.start, got.end, got.truncated) == (40, 47, False)


def test_ipv6_extension_headers_are_walked() -> None:
    ah = bytes([17, 1]) + bytes(10)  # AH: (1 + 2) * 4 = 12 bytes
    extensions = b.hop_by_hop(60) + bytes([51, 0]) + bytes(6) + ah
    packet = b.ipv6(b.CLIENT6, b.SERVER6, 0, b"udp!", extensions)
    got = ipv6(packet, 0, Defragmenter())
    assert got is not None
    assert (got.proto, got.data[got.start : got.end]) == (17, b"udp!")


@pytest.mark.parametrize(
    "packet",
    [
        b.ipv6(b.CLIENT6, b.SERVER6, 59, b"ignored"),  # no next header
        b.ipv6(b.CLIENT6, b.SERVER6, 0, b"\x06\x00\x01"),  # hop-by-hop cut short
        b.ipv6(b.CLIENT6, b.SERVER6, 0, bytes([6, 4]) + bytes(6)),  # claims 40 bytes
        bytes([0x45]) + b.ipv6(b.CLIENT6, b.SERVER6, 6, b"x")[1:],  # version 4
        b.ipv6(b.CLIENT6, b.SERVER6, 6, b"x")[:39],
    ],
)
def test_broken_ipv6_headers(packet: bytes) -> None:
    assert ipv6(packet, 0, Defragmenter()) is None


def test_ipv6_atomic_fragment_is_not_reassembled() -> None:
    frag = b.ipv6_fragment_header(6, 0, False, 99)
    packet = b.ipv6(b.CLIENT6, b.SERVER6, 44, b"segment", frag)
    defrag = Defragmenter()
    for data in (packet, packet[:-2]):  # even when the capture is cut short
        got = ipv6(data, 0, defrag)
        assert got is not None and got.proto == 6
        assert got.data[got.start : got.end] == b"segment"[: len(data) - 48]
    assert not defrag.pending


# -- reassembly ---------------------------------------------------------------------------


Decoder = Callable[[bytes, int, Defragmenter], Datagram | None]


def _feed(
    fragments: list[bytes], parse: Decoder = ipv4
) -> tuple[list[Datagram | None], Defragmenter]:
    defrag = Defragmenter()
    return [parse(f, 0, defrag) for f in fragments], defrag


PAYLOAD = bytes(range(256)) * 3


@pytest.mark.parametrize("order", ["in order", "reversed", "shuffled", "last first"])
def test_ipv4_fragments_reassemble_in_any_order(order: str) -> None:
    fragments = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, PAYLOAD, 96)
    if order == "reversed":
        fragments.reverse()
    elif order == "shuffled":
        random.Random(3).shuffle(fragments)
    elif order == "last first":
        fragments.insert(0, fragments.pop())
    results, defrag = _feed(fragments)
    assert results[:-1] == [None] * (len(fragments) - 1)
    whole = results[-1]
    assert whole is not None
    assert (whole.proto, whole.data[whole.start : whole.end], whole.truncated) == (
        17,
        PAYLOAD,
        False,
    )
    assert (defrag.reassembled, defrag.dropped, defrag.pending, defrag.held) == (1, 0, {}, 0)


def test_duplicate_and_overlapping_fragments() -> None:
    fragments = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, PAYLOAD, 64)
    # A duplicate of the first, and a fragment overlapping the second and third.
    overlap = b.ipv4(b.CLIENT4, b.SERVER4, 17, PAYLOAD[32:160], 7, 0x2000 | 4)
    results, defrag = _feed([fragments[0], fragments[0], overlap, *fragments[1:]])
    assert results[-1] is not None
    assert results[-1].data == PAYLOAD
    assert [r for r in results if r is not None] == [results[-1]]
    assert defrag.held == 0


def test_a_missing_fragment_leaves_the_datagram_pending() -> None:
    fragments = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, PAYLOAD, 64)
    del fragments[3]
    results, defrag = _feed(fragments)
    assert results == [None] * len(fragments)
    assert len(defrag.pending) == 1 and defrag.reassembled == 0


def test_fragments_of_different_datagrams_do_not_mix() -> None:
    one = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, b"A" * 64, 32, ident=1)
    two = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, b"B" * 64, 32, ident=2)
    other_host = b.ipv4_fragments(b.SERVER4, b.CLIENT4, 17, b"C" * 64, 32, ident=1)
    results, defrag = _feed([one[0], two[0], other_host[0], two[1], other_host[1], one[1]])
    whole = [r.data for r in results if r is not None]
    assert whole == [b"B" * 64, b"C" * 64, b"A" * 64]
    assert defrag.reassembled == 3


def test_a_truncated_fragment_is_not_reassembled() -> None:
    fragments = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, PAYLOAD, 64)
    results, defrag = _feed([fragments[0][:-1]])
    assert results == [None] and not defrag.pending


def test_ipv6_fragments_reassemble_out_of_order() -> None:
    fragments = b.ipv6_fragments(b.CLIENT6, b.SERVER6, 17, PAYLOAD, 200)
    fragments.reverse()
    results, defrag = _feed(fragments, ipv6)
    assert results[:-1] == [None] * (len(fragments) - 1)
    whole = results[-1]
    assert whole is not None
    assert (whole.proto, whole.data[whole.start : whole.end]) == (17, PAYLOAD)
    assert defrag.reassembled == 1


def test_ipv6_extension_headers_after_the_fragment_header() -> None:
    """Destination options in the fragmentable part are walked after reassembly."""
    inner = bytes([17, 0, 1, 4, 0, 0, 0, 0]) + PAYLOAD  # destination options, then UDP
    fragments = b.ipv6_fragments(b.CLIENT6, b.SERVER6, 60, inner, 256)
    results, _ = _feed(fragments, ipv6)
    whole = results[-1]
    assert whole is not None
    assert (whole.proto, whole.data[whole.start : whole.end]) == (17, PAYLOAD)


def test_ipv6_fragment_header_after_a_hop_by_hop_header() -> None:
    fragments = [
        b.ipv6(b.CLIENT6, b.SERVER6, 0, piece[48:], b.hop_by_hop(44) + piece[40:48])
        for piece in b.ipv6_fragments(b.CLIENT6, b.SERVER6, 17, PAYLOAD, 128)
    ]
    results, _ = _feed(fragments, ipv6)
    assert results[-1] is not None and results[-1].data == PAYLOAD


def test_the_fragment_table_is_bounded_in_datagrams() -> None:
    defrag = Defragmenter(limit=16)
    for ident in range(1000):
        first = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, PAYLOAD, 64, ident=ident)[0]
        assert ipv4(first, 0, defrag) is None
        assert len(defrag.pending) <= 16
    assert defrag.dropped == 1000 - 16
    assert defrag.held == 16 * 64
    # The newest datagrams are the ones kept: the last one still completes.
    rest = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, PAYLOAD, 64, ident=999)[1:]
    results = [ipv4(f, 0, defrag) for f in rest]
    assert results[-1] is not None and results[-1].data == PAYLOAD


def test_the_fragment_table_is_bounded_in_bytes() -> None:
    defrag = Defragmenter(limit=1000, max_bytes=10_000)
    for ident in range(100):
        for fragment in b.ipv4_fragments(b.CLIENT4, b.SERVER4, 17, PAYLOAD, 512, ident)[:-1]:
            ipv4(fragment, 0, defrag)
        assert defrag.held <= 10_000
        assert defrag.held == sum(p.size for p in defrag.pending.values())
    assert defrag.dropped > 0


def test_overlapping_fragment_floods_are_bounded() -> None:
    """The same bytes sent at every offset must not accumulate without limit."""
    defrag = Defragmenter()
    chunk = bytes(8000)
    for offset in range(0, 60_000, 8):
        defrag.add(KEY, offset, chunk, True)
        assert defrag.held <= 2 * MAX_DATAGRAM
    assert defrag.dropped >= 1


def test_a_datagram_longer_than_ip_allows_is_dropped() -> None:
    defrag = Defragmenter()
    assert defrag.add(KEY, 0, bytes(1000), True) is None
    assert defrag.add(KEY, 65_000, bytes(1000), False) is None
    assert not defrag.pending and defrag.dropped == 1 and defrag.held == 0


@given(
    payload=st.binary(min_size=1, max_size=2000),
    size=st.integers(1, 64).map(lambda n: n * 8),
    seed=st.integers(0, 2**16),
    duplicates=st.integers(0, 3),
)
@settings(max_examples=200, deadline=None)
def test_reassembly_property(payload: bytes, size: int, seed: int, duplicates: int) -> None:
    """Any order, with duplicates: the payload comes back on the fragment that completes it.

    (A copy arriving after that starts a new datagram, as an unrelated fragment would.)
    """
    rng = random.Random(seed)
    parts = [(o, payload[o : o + size]) for o in range(0, len(payload), size)]
    sent = parts + [rng.choice(parts) for _ in range(duplicates)]
    rng.shuffle(sent)
    defrag = Defragmenter()
    results = [defrag.add(KEY, o, p, o + size < len(payload)) for o, p in sent]
    done = next(i for i, r in enumerate(results) if r is not None)
    assert results[done] == payload
    assert {o for o, _ in sent[: done + 1]} == {o for o, _ in parts}
    assert {o for o, _ in sent[:done]} != {o for o, _ in parts}
    assert defrag.held == sum(p.size for p in defrag.pending.values())


@given(data=st.binary(max_size=120), pos=st.integers(0, 20))
@settings(max_examples=200, deadline=None)
def test_ip_decoders_never_raise(data: bytes, pos: int) -> None:
    defrag = Defragmenter()
    for decode, version in ((ipv4, 0x40), (ipv6, 0x60)):
        for buf in (
            data,
            data[:pos]
            + bytes([version | (data[pos] & 0x0F if pos < len(data) else 5)])
            + data[pos + 1 :],
        ):
            got = decode(buf, pos, defrag)
            if got is not None:
                assert 0 <= got.start <= got.end <= len(got.data)


# -- through the engine -------------------------------------------------------------------


def _engine_fragments(v6: bool, order: str) -> tuple[list[Frame], int]:
    if v6:
        request = b.tcp(b.CLIENT_PORT, b.MODBUS_PORT, b.modbus_request())
        fragments = b.ipv6_fragments(b.CLIENT6, b.SERVER6, 6, request, 8)
        _, response = b.modbus_exchange6()
    else:
        request = b.tcp(b.CLIENT_PORT, b.MODBUS_PORT, b.modbus_request())
        fragments = b.ipv4_fragments(b.CLIENT4, b.SERVER4, 6, request, 8)
        _, response = b.modbus_exchange4()
    if order == "reversed":
        fragments.reverse()
    elif order == "shuffled":
        random.Random(5).shuffle(fragments)
    ethertype = b.ETH_IPV6 if v6 else b.ETH_IPV4
    frames = b.frames_of([b.ethernet(p, ethertype) for p in [*fragments, response]], 1)
    return frames, len(fragments)


@pytest.mark.parametrize("order", ["in order", "reversed", "shuffled"])
@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_fragmented_modbus_request_through_the_engine(v6: bool, order: str) -> None:
    frames, count = _engine_fragments(v6, order)
    assert count == 4
    units, health = b.run_engine(frames)
    assert [(u.frame, u.dport) for u in units] == [(count, 502), (count + 1, b.CLIENT_PORT)]
    assert units[0].message.trans_id == 1
    assert units[1].answered is not None and units[1].answered.frame == count
    assert health.ip_fragments_reassembled == 1
    assert health.ip_fragments_dropped == 0


def test_the_engine_fragment_table_is_bounded() -> None:
    from interlock.engine import Engine
    from interlock.net.ip import MAX_PENDING_DATAGRAMS
    from interlock.protocols.registry import PROTOCOLS

    firsts = [
        b.ethernet(b.ipv4(b.CLIENT4, b.SERVER4, 6, bytes(64), ident, 0x2000), b.ETH_IPV4)
        for ident in range(MAX_PENDING_DATAGRAMS + 500)
    ]
    engine = Engine(PROTOCOLS, b.RecordingSink())
    engine.run(b.frames_of(firsts, 1))
    assert len(engine.defrag.pending) == MAX_PENDING_DATAGRAMS
    health = engine.finish()
    assert health.ip_fragments_dropped == 500
    assert health.ip_fragments_reassembled == 0


def test_ipv4_header_struct_matches_the_builder() -> None:
    """Guard for the builder itself: version, IHL, total length, flags and addresses."""
    packet = b.ipv4(b.CLIENT4, b.SERVER4, 6, b"abc", ident=5, flags_offset=0x2003)
    ver_ihl, _, total, ident, flags, _, proto = struct.unpack_from("!BBHHHBB", packet)
    assert (ver_ihl, total, ident, flags, proto) == (0x45, 23, 5, 0x2003, 6)

"""Every supported link layer, end to end: a Modbus/TCP request and its response inside it
must reach the sink as two paired units. Also: the engine fed arbitrary frames never raises.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.capture import linktypes as lt
from interlock.capture.frames import Frame
from interlock.capture.linktypes import network_layer

from .builders import (
    CLIENT4,
    CLIENT6,
    CLIENT_PORT,
    ETH_IPV4,
    ETH_IPV6,
    MODBUS_PORT,
    SERVER4,
    SERVER6,
    bsd_loop,
    bsd_null,
    cisco_hdlc,
    ethernet,
    frames_of,
    hop_by_hop,
    ipv4,
    modbus_exchange4,
    modbus_exchange6,
    modbus_request,
    run_engine,
    sll,
    sll2,
    tcp,
)

Wrap = Callable[[bytes, int], bytes]  # (IP packet, ethertype) -> frame


def _assert_modbus_exchange(frames: list[Frame], v6: bool = False) -> None:
    units, health = run_engine(frames)
    client, server = (CLIENT6, SERVER6) if v6 else (CLIENT4, SERVER4)
    assert [(u.frame, u.src, u.sport, u.dst, u.dport) for u in units] == [
        (1, client, CLIENT_PORT, server, MODBUS_PORT),
        (2, server, MODBUS_PORT, client, CLIENT_PORT),
    ]
    request, response = units
    assert (request.message.trans_id, request.message.unit_id, request.message.function) == (
        1,
        4,
        3,
    )
    assert request.answered is None
    assert response.answered is not None and response.answered.frame == 1
    assert request.ts == frames[0].ts
    assert health.units["modbus"] == 2
    assert health.unsupported_link_frames == health.non_ip_frames == 0


LINKS: dict[str, tuple[int, Wrap]] = {
    "ethernet": (lt.ETHERNET, lambda p, e: ethernet(p, e)),
    "802.1q": (lt.ETHERNET, lambda p, e: ethernet(p, e, [(0x8100, 10)])),
    "qinq": (lt.ETHERNET, lambda p, e: ethernet(p, e, [(0x88A8, 100), (0x8100, 10)])),
    "qinq-9100": (lt.ETHERNET, lambda p, e: ethernet(p, e, [(0x9100, 100), (0x8100, 10)])),
    "three-tags": (
        lt.ETHERNET,
        lambda p, e: ethernet(p, e, [(0x88A8, 1), (0x8100, 2), (0x8100, 3)]),
    ),
    "linux-sll": (lt.LINUX_SLL, sll),
    "linux-sll-vlan": (
        lt.LINUX_SLL,
        lambda p, e: sll(b"\x00\x0a" + e.to_bytes(2, "big") + p, 0x8100),
    ),
    "linux-sll2": (lt.LINUX_SLL2, sll2),
    "linux-sll2-vlan": (
        lt.LINUX_SLL2,
        lambda p, e: sll2(b"\x00\x0a" + e.to_bytes(2, "big") + p, 0x8100),
    ),
    "raw-101": (lt.RAW, lambda p, e: p),
    "raw-12": (lt.RAW_OPENBSD, lambda p, e: p),
    "raw-14": (lt.RAW_OLD, lambda p, e: p),
    "null-le": (lt.NULL, lambda p, e: bsd_null(p, 2 if e == ETH_IPV4 else 24, "<")),
    "null-be": (lt.NULL, lambda p, e: bsd_null(p, 2 if e == ETH_IPV4 else 30, ">")),
    "loop": (lt.LOOP, lambda p, e: bsd_loop(p, 2 if e == ETH_IPV4 else 28)),
    "cisco-hdlc": (lt.C_HDLC, cisco_hdlc),
}


@pytest.mark.parametrize("link", LINKS)
def test_ipv4_modbus_in_every_link_type(link: str) -> None:
    linktype, wrap = LINKS[link]
    packets = modbus_exchange4()
    _assert_modbus_exchange(frames_of((wrap(p, ETH_IPV4) for p in packets), linktype))


@pytest.mark.parametrize("link", LINKS)
def test_ipv6_modbus_in_every_link_type(link: str) -> None:
    linktype, wrap = LINKS[link]
    packets = modbus_exchange6()
    _assert_modbus_exchange(frames_of((wrap(p, ETH_IPV6) for p in packets), linktype), v6=True)


def test_raw_ipv4_link_type_228() -> None:
    _assert_modbus_exchange(frames_of(modbus_exchange4(), lt.IPV4))


def test_raw_ipv6_link_type_229() -> None:
    _assert_modbus_exchange(frames_of(modbus_exchange6(), lt.IPV6), v6=True)


@pytest.mark.parametrize("family", sorted(lt.AF_INET6_VALUES))
@pytest.mark.parametrize("order", ["<", ">"])
def test_bsd_null_ipv6_families(family: int, order: str) -> None:
    frames = frames_of((bsd_null(p, family, order) for p in modbus_exchange6()), lt.NULL)
    _assert_modbus_exchange(frames, v6=True)


@pytest.mark.parametrize("family", sorted(lt.AF_INET6_VALUES))
def test_bsd_loop_ipv6_families(family: int) -> None:
    frames = frames_of((bsd_loop(p, family) for p in modbus_exchange6()), lt.LOOP)
    _assert_modbus_exchange(frames, v6=True)


def test_ipv6_with_a_hop_by_hop_header() -> None:
    packets = modbus_exchange6(extensions=hop_by_hop(6), nxt=0)
    frames = frames_of((ethernet(p, ETH_IPV6) for p in packets), lt.ETHERNET)
    _assert_modbus_exchange(frames, v6=True)


def test_ipv6_with_several_extension_headers() -> None:
    destination_options = bytes([6, 1]) + bytes([1, 12]) + bytes(12)  # 16 bytes, PadN
    routing = bytes([60, 0, 0, 0]) + bytes(4)  # type 0, no segments left
    extensions = hop_by_hop(43) + routing + destination_options
    packets = modbus_exchange6(extensions=extensions, nxt=0)
    _assert_modbus_exchange(frames_of(packets, lt.RAW), v6=True)


def test_ipv4_with_options_leaves_the_fast_path() -> None:
    options = bytes([0x94, 4, 0, 0])  # router alert
    request = ipv4(
        CLIENT4, SERVER4, 6, tcp(CLIENT_PORT, MODBUS_PORT, modbus_request()), options=options
    )
    _, response = modbus_exchange4()
    _assert_modbus_exchange(
        frames_of([ethernet(request, ETH_IPV4), ethernet(response, ETH_IPV4)], 1)
    )


def test_ethernet_padding_after_a_short_ip_packet_is_not_payload() -> None:
    """Frames under 60 bytes are padded on the wire; the IP total length ends the payload."""
    request, response = modbus_exchange4()
    frames = frames_of([ethernet(request, ETH_IPV4) + bytes(20), ethernet(response, ETH_IPV4)], 1)
    _assert_modbus_exchange(frames)


def test_raw_ip_with_zero_total_length_is_taken_as_segmentation_offload() -> None:
    request, response = modbus_exchange4()
    tso = request[:2] + b"\0\0" + request[4:]
    _assert_modbus_exchange(frames_of([tso, response], lt.RAW))


def test_ethernet_ipv4_with_zero_total_length_is_taken_as_segmentation_offload() -> None:
    request, response = modbus_exchange4()
    tso = request[:2] + b"\0\0" + request[4:]
    _assert_modbus_exchange(frames_of([ethernet(tso, ETH_IPV4), ethernet(response, ETH_IPV4)], 1))


def test_frames_that_are_not_ip_are_counted() -> None:
    experimental = ethernet(bytes(28), 0x88B5)  # IEEE 802 local experimental ethertype
    frames = [
        Frame(1.0, lt.ETHERNET, experimental, len(experimental)),
        Frame(2.0, 147, b"user link type", 14),  # LINKTYPE_USER0
        Frame(3.0, lt.NULL, bsd_null(b"\x45" * 30, 7), 34),  # an unknown family
        Frame(4.0, lt.ETHERNET, b"\x00" * 10, 10),  # shorter than an Ethernet header
    ]
    units, health = run_engine(frames)
    assert units == []
    assert health.frames == 4
    assert health.unsupported_link_frames == 1
    assert health.non_ip_frames == 3


@pytest.mark.parametrize(
    ("linktype", "data", "expected"),
    [
        (lt.ETHERNET, ethernet(b"", 0x8100), (0x8100, 14)),  # a tag with nothing after it
        (lt.ETHERNET, ethernet(b"x", ETH_IPV4, [(0x8100, 5)]), (ETH_IPV4, 18)),
        (lt.LINUX_SLL, sll(b"", ETH_IPV6), (ETH_IPV6, 16)),
        (lt.LINUX_SLL2, sll2(b"", ETH_IPV4), (ETH_IPV4, 20)),
        (lt.LINUX_SLL2, sll2(b"", ETH_IPV4)[:19], (0, 0)),
        (lt.RAW, b"\x60", (ETH_IPV6, 0)),
        (lt.RAW, b"\x20", (0, 0)),
        (lt.RAW, b"", (0, 0)),
        (lt.NULL, b"\x02\0\0", (0, 0)),
        (lt.C_HDLC, cisco_hdlc(b"", ETH_IPV6), (ETH_IPV6, 4)),
        (9999, b"whatever", (0, 0)),
    ],
)
def test_network_layer_offsets(linktype: int, data: bytes, expected: tuple[int, int]) -> None:
    assert network_layer(linktype, data) == expected


# -- the engine never raises on what a capture may hold -----------------------------------

LINKTYPES = [*sorted(lt.SUPPORTED), 2, 147, 0xFFFF]


def _valid_frames() -> list[tuple[int, bytes]]:
    out = []
    for linktype, wrap in LINKS.values():
        out += [(linktype, wrap(p, ETH_IPV4)) for p in modbus_exchange4()]
        out += [
            (linktype, wrap(p, ETH_IPV6)) for p in modbus_exchange6(extensions=hop_by_hop(6), nxt=0)
        ]
    return out


VALID = _valid_frames()


@st.composite
def _mutated(draw: st.DrawFn) -> Frame:
    """A valid frame with some bytes changed, cut short or extended."""
    linktype, data = draw(st.sampled_from(VALID))
    buf = bytearray(data)
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(buf) - 1))
        buf[i] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(buf) + 8))
    buf = buf[:cut] + draw(st.binary(max_size=max(0, cut - len(buf))))
    if draw(st.booleans()):
        linktype = draw(st.sampled_from(LINKTYPES))
    return Frame(draw(st.floats(0, 2e9)), linktype, bytes(buf), len(buf))


_arbitrary = st.builds(
    Frame,
    st.floats(0, 2e9),
    st.sampled_from(LINKTYPES) | st.integers(0, 2**32 - 1),
    st.binary(max_size=120),
    st.integers(0, 2**32 - 1),
)


@given(frames=st.lists(_arbitrary | _mutated(), max_size=12))
@settings(max_examples=200, deadline=None)
def test_the_engine_never_raises_on_arbitrary_frames(frames: list[Frame]) -> None:
    _units, health = run_engine(frames)
    assert health.frames == len(frames)

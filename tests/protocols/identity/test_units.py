"""Hand-written units: each anomaly code of the identity protocols, the DHCP probe's
strictness, DCP pairing across flows, and CDP's link-layer code."""

from __future__ import annotations

import struct

import pytest

from interlock.capture.linktypes import CISCO_SNAP as LINKTYPES_CISCO_SNAP
from interlock.model import OperationClass
from interlock.protocols.arp.packet import parse as parse_arp
from interlock.protocols.cdp.packet import parse as parse_cdp
from interlock.protocols.cdp.spec import CISCO_SNAP
from interlock.protocols.dhcp.message import parse as parse_dhcp
from interlock.protocols.dhcp.spec import probe as dhcp_probe
from interlock.protocols.lldp.tlv import parse as parse_lldp
from interlock.protocols.pn_dcp import transactions as dcp_transactions
from interlock.protocols.pn_dcp.packet import parse as parse_dcp
from interlock.protocols.pn_dcp.session import DcpRequests, DcpSession
from protocols.identity import link_frames, udp_frames


def _p(parse, data: bytes):  # type: ignore[no-untyped-def]
    return parse(data, 0, len(data))


def test_cdp_uses_the_engines_cisco_snap_code() -> None:
    assert CISCO_SNAP == LINKTYPES_CISCO_SNAP


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x00\x01\x08\x00", "arp.truncated"),
        (link_frames.arp(1, bytes(8), bytes(4), bytes(8), bytes(4), hs=8), "arp.bad_hw_size"),
        (link_frames.arp(1, bytes(6), bytes(6), bytes(6), bytes(6), ps=6), "arp.bad_proto_size"),
        (link_frames.arp(77, bytes(6), bytes(4), bytes(6), bytes(4)), "arp.unknown_opcode"),
    ],
)
def test_arp_anomalies(data: bytes, code: str) -> None:
    assert code in _p(parse_arp, data).anomalies


def test_arp_kinds() -> None:
    ip = bytes((10, 0, 0, 1))
    assert _p(parse_arp, link_frames.arp(1, b"\1" * 6, bytes(4), bytes(6), ip)).kind == "probe"
    assert _p(parse_arp, link_frames.arp(1, b"\1" * 6, ip, bytes(6), ip)).kind == "announcement"
    assert _p(parse_arp, link_frames.arp(2, b"\1" * 6, ip, b"\1" * 6, ip)).kind == "gratuitous"


T = link_frames.tlv
MANDATORY = T(1, b"\x04" + bytes(6)) + T(2, b"\x01x") + T(3, b"\x00\x78")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (MANDATORY + b"\x0a\xff", "lldp.tlv_truncated"),
        (MANDATORY + T(0, b""), None),
        (
            T(1, b"\x04" + bytes(6)) + T(2, b"\x01x") + T(3, b"\x00") + T(0, b""),
            "lldp.bad_tlv_length",
        ),
        (T(2, b"\x01x") + T(0, b""), "lldp.missing_mandatory"),
        (MANDATORY, "lldp.missing_end"),
        (MANDATORY + T(9, b"") * 300, "lldp.too_many_tlvs"),
    ],
)
def test_lldp_anomalies(data: bytes, code: str | None) -> None:
    anomalies = _p(parse_lldp, data).anomalies
    assert (code in anomalies) if code else anomalies == ()


C = link_frames.cdp_tlv


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x02\xb4", "cdp.truncated"),
        (b"\x02\xb4\0\0" + b"\x00\x01\x00\x02", "cdp.bad_tlv_length"),
        (b"\x02\xb4\0\0" + b"\x00\x01\x00\x20ab", "cdp.tlv_truncated"),
        (b"\x02\xb4\0\0" + C(2, b"\0\0\0\2\1\1\xcc"), "cdp.bad_address"),
        (b"\x07\xb4\0\0", "cdp.unknown_version"),
        (b"\x02\xb4\0\0" + C(0x99, b"") * 300, "cdp.too_many_tlvs"),
    ],
)
def test_cdp_anomalies(data: bytes, code: str) -> None:
    assert code in _p(parse_cdp, data).anomalies


D, B = link_frames.dcp, link_frames.dcp_block


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xfe\xfe\x05\x00", "pn_dcp.truncated"),
        (D(0xFEFE, 5, 0, 1, B(2, 2, b"abc"))[:-2], "pn_dcp.data_length"),
        (D(0xFEFE, 5, 0, 1, struct.pack("!BBH", 2, 2, 9) + b"ab"), "pn_dcp.block_truncated"),
        (D(0xFEFF, 5, 1, 1, B(2, 2, b"a")), "pn_dcp.block_too_short"),
        (D(0xFEFE, 9, 0, 1, b""), "pn_dcp.unknown_service"),
        (D(0xFEFE, 5, 9, 1, b""), "pn_dcp.unknown_service_type"),
        (D(0xFEFE, 5, 0, 1, B(0xFF, 0xFF, b"") * 70), "pn_dcp.too_many_blocks"),
    ],
)
def test_dcp_anomalies(data: bytes, code: str) -> None:
    packet = _p(parse_dcp, data)
    assert packet is not None and code in packet.anomalies


def test_cyclic_profinet_frames_are_not_dcp() -> None:
    assert _p(parse_dcp, b"\x80\x01" + bytes(40)) is None


def test_dcp_identify_responses_on_other_flows_pair_with_the_request() -> None:
    shared = DcpRequests()
    request = _p(parse_dcp, D(0xFEFE, 5, 0, 7, B(0xFF, 0xFF, b"")))
    response = _p(parse_dcp, D(0xFEFF, 5, 1, 7, link_frames.dcp_identity(b"x", 1, 2, "1.2.3.4")))
    assert DcpSession(shared).observe(request, True, 1, 1.0) is None
    seen = DcpSession(shared).observe(response, False, 2, 2.0)
    assert seen is not None and seen.frame == 1
    assert dcp_transactions.operation_of(request) == OperationClass.DISCOVERY


def test_dcp_set_operations() -> None:
    name = _p(parse_dcp, D(0xFEFD, 4, 0, 1, B(2, 2, b"\0\1plc")))
    reset = _p(parse_dcp, D(0xFEFD, 4, 0, 1, B(5, 6, b"\0\2")))
    signal = _p(parse_dcp, D(0xFEFD, 4, 0, 1, B(5, 3, b"\0\0\1\0")))
    assert dcp_transactions.operation_of(name) == OperationClass.WRITE
    assert dcp_transactions.operation_of(reset) == OperationClass.RESTART
    assert dcp_transactions.operation_of(signal) == OperationClass.DIAGNOSTIC


OPT = udp_frames.opt


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (udp_frames.bootp(1, 1, b"")[:200], "dhcp.truncated"),
        (udp_frames.bootp(1, 1, OPT(53, b"\1") + b"\x0c\x09ab"), "dhcp.option_truncated"),
        (udp_frames.bootp(1, 1, OPT(53, b"\1")), "dhcp.missing_end"),
        (udp_frames.bootp(1, 1, OPT(53, b"\1\2") + b"\xff"), "dhcp.bad_option_length"),
        (udp_frames.bootp(1, 1, OPT(99, b"") * 300), "dhcp.too_many_options"),
        (udp_frames.bootp(7, 1, b"\xff"), "dhcp.unknown_op"),
    ],
)
def test_dhcp_anomalies(data: bytes, code: str) -> None:
    assert code in _p(parse_dhcp, data).anomalies


def test_dhcp_probe_is_strict() -> None:
    good = udp_frames.bootp(1, 1, OPT(53, b"\1") + b"\xff")
    assert dhcp_probe(good, 0, len(good))
    others = [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 10,
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(300),
        b"\x00\x01\x00\x00\x00\x06\x01\x03\x00\x00\x00\x0a" + bytes(300),
        bytes(range(256)) * 2,
        udp_frames.bootp(1, 1, b"", cookie=False) + bytes(10),
    ]
    assert not any(dhcp_probe(o, 0, len(o)) for o in others)

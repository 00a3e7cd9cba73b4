"""TeamViewer magic and AnyDesk TLS recognition, and the flow counters."""

from __future__ import annotations

from interlock.protocols.teamviewer.session import OpaqueSession
from interlock.protocols.teamviewer.units import parse_anydesk, parse_teamviewer


def test_teamviewer_magic() -> None:
    assert parse_teamviewer(b"\x17\x24\x0a\x20" + bytes(33), 0, 37).magic == 0x1724
    assert parse_teamviewer(b"\x11\x30" + bytes(10), 0, 12).magic == 0x1130
    udp = b"\x00" + bytes(10) + b"\x17\x24" + bytes(5)
    assert parse_teamviewer(udp, 0, len(udp)).magic == 0x1724
    assert parse_teamviewer(b"GET /", 0, 5).anomalies == ("teamviewer.unknown_magic",)


def test_anydesk_tls_and_counters() -> None:
    hello = bytes.fromhex("1603010010") + bytes(16)
    assert parse_anydesk(hello, 0, len(hello)).magic == 22
    assert parse_anydesk(b"hello", 0, 5).magic is None
    session = OpaqueSession()
    first = session.observe(parse_anydesk(hello, 0, len(hello)), True, 1, 0.0)
    second = session.observe(parse_anydesk(hello, 0, len(hello)), False, 2, 0.0)
    third = session.observe(parse_anydesk(hello, 0, len(hello)), False, 3, 0.0)
    assert not first.both_sides and second.both_sides and not third.both_sides
    assert third.units == (1, 2) and third.octets == (21, 42)

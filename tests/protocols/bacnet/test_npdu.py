"""NPDU addressing and network-layer messages (ASHRAE 135 clause 6)."""

from __future__ import annotations

from interlock.protocols.bacnet.npdu import parse_npdu


def npdu(hex_text: str):  # type: ignore[no-untyped-def]
    data = bytes.fromhex(hex_text.replace(" ", ""))
    return parse_npdu(data, 0, len(data))


def test_routed_source_and_destination() -> None:
    found = npdu("012c 0005 01 07 000d 06 0a0000010000 fe 10 08")
    assert (found.dnet, found.dadr, found.hop_count) == (5, b"\x07", 254)
    assert (found.snet, found.sadr) == (13, bytes.fromhex("0a0000010000"))
    assert found.apdu_start == 16 and not found.anomalies


def test_network_messages_list_their_networks() -> None:
    assert npdu("0180 01 0005 0006").networks == (5, 6)
    reject = npdu("0180 03 01 0007")
    assert (reject.message_type, reject.reject_reason, reject.networks) == (3, 1, (7,))
    table = npdu("0180 06 02 0001 01 00 0002 02 01 ff")
    assert table.networks == (1, 2)
    vendor = npdu("0180 80 0104 aa")
    assert (vendor.message_type, vendor.vendor) == (0x80, 0x104)


def test_anomalies() -> None:
    assert "bacnet.bad_npdu_version" in npdu("0200").anomalies
    assert "bacnet.reserved_control_bits" in npdu("0140").anomalies
    assert "bacnet.truncated_npdu" in npdu("0120 0005 06 01").anomalies
    assert "bacnet.bad_network_number" in npdu("0120 0000 00 ff").anomalies
    assert "bacnet.bad_source_address" in npdu("0108 ffff 00").anomalies
    assert "bacnet.truncated_npdu" in npdu("0180").anomalies

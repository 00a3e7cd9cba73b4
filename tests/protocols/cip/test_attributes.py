"""Attribute lists walked as far as their encodings are known (and as Wireshark 4.0 walks
them: the layouts were measured against it)."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.cip.attributes import (
    attribute_list_reply,
    attribute_list_request,
    attributes_all_reply,
    set_attribute_list_reply,
    set_attribute_list_request,
)
from interlock.protocols.cip.identity import identity_details

NAME = b"\x141756-L73/B LOGIX5573"
IDENTITY_ALL = struct.pack("<HHHBBHI", 1, 14, 95, 20, 11, 0x3060, 0x60D1E2F3) + NAME


def ids(walk: object) -> list[int]:
    return [v.attribute for v in walk.values]  # type: ignore[attr-defined]


def test_get_attribute_list_reply_walks_known_attributes() -> None:
    data = struct.pack("<HHHH", 4, 1, 0, 1) + struct.pack("<HH", 7, 0) + NAME
    data += struct.pack("<HH", 102, 0x14) + struct.pack("<HHH", 6, 0, 0)
    walk = attribute_list_reply(data, 1, 1)
    assert ids(walk) == [1, 7, 102, 6] and walk.end == "truncated"  # the serial is cut short
    assert [v.status for v in walk.values] == [0, 0, 0x14, 0]
    assert walk.values[1].value == NAME


def test_an_unknown_attribute_leaves_the_rest_opaque() -> None:
    data = struct.pack("<HHHH", 2, 9, 0, 3) + struct.pack("<HHH", 1, 0, 5)
    walk = attribute_list_reply(data, 0x69, 1)
    assert ids(walk) == [9] and walk.end == "opaque" and walk.values[0].value == data[6:]


def test_class_attributes_are_known_for_every_class() -> None:
    data = struct.pack("<HHHH", 2, 1, 0, 3) + struct.pack("<HHH", 4, 0, 1) + b"\x07\x00"
    walk = attribute_list_reply(data, 0x69, 0)
    assert ids(walk) == [1, 4] and walk.end == "complete"


def test_counts_the_data_cannot_hold_make_the_list_malformed() -> None:
    assert attribute_list_reply(b"\x05\x00\x01\x00", 1, 1).end == "truncated"
    assert attribute_list_reply(b"", 1, 1).end == "opaque"  # an error reply: no list at all
    assert attribute_list_request(b"\x03\x00\x01\x00").end == "truncated"
    assert ids(attribute_list_request(b"\x02\x00\x01\x00\x07\x00")) == [1, 7]


def test_set_attribute_list_request_and_reply() -> None:
    request = struct.pack("<HH", 3, 1) + b"\x05\x00" + struct.pack("<H", 8) + b"\x02"
    request += struct.pack("<H", 100) + b"\x00"
    assert ids(set_attribute_list_request(request, 1, 1)) == [1, 8, 100]
    reply = set_attribute_list_reply(struct.pack("<HHHHH", 2, 1, 0, 100, 0x14))
    assert [(v.attribute, v.status) for v in reply.values] == [(1, 0), (100, 0x14)]


def test_get_attributes_all_of_the_identity_object() -> None:
    walk = attributes_all_reply(IDENTITY_ALL, 1, 1)
    assert ids(walk) == [1, 2, 3, 4, 5, 6, 7] and walk.end == "complete"
    assert identity_details(walk.values) == {
        "vendor_id": 1,
        "device_type": 14,
        "product_code": 95,
        "revision": "20.11",
        "status": 0x3060,
        "serial_number": "0x60d1e2f3",
        "product_name": "1756-L73/B LOGIX5573",
    }
    assert ids(attributes_all_reply(IDENTITY_ALL[:3], 1, 1)) == [1, 2]
    assert attributes_all_reply(IDENTITY_ALL, 0x69, 1).values == ()


def test_tcp_ip_interface_strings_are_padded() -> None:
    config = bytes(20) + struct.pack("<H", 3) + b"lan\x00"
    data = struct.pack("<HHH", 2, 5, 0) + config + struct.pack("<HHH", 13, 0, 120)
    assert ids(attribute_list_reply(data, 0xF5, 1)) == [5, 13]


def test_a_value_cut_short_in_a_lenient_attribute_is_not_malformed() -> None:
    assert attributes_all_reply(b"\x01\x00\x00\x00\x02", 0xF5, 1).end == "opaque"
    assert attributes_all_reply(b"\x01\x00\x02", 0x01, 1).end == "truncated"


@settings(max_examples=300)
@given(
    st.binary(max_size=120),
    st.sampled_from([1, 2, 6, 0x43, 0x69, 0xF4, 0xF5, 0xF6]),
    st.integers(0, 2),
)
def test_walks_never_raise(data: bytes, class_id: int, instance: int) -> None:
    for walk in (
        attribute_list_reply(data, class_id, instance),
        set_attribute_list_request(data, class_id, instance),
        attributes_all_reply(data, class_id, instance),
        set_attribute_list_reply(data),
        attribute_list_request(data),
    ):
        assert walk.end in ("complete", "opaque", "truncated")
        assert all(len(v.value) <= len(data) for v in walk.values)


def test_single_values() -> None:
    from interlock.protocols.cip.attributes import single_value

    assert single_value(b"\x01\x00", 1, 1, 1).end == "complete"
    assert single_value(b"\x01", 1, 1, 1).end == "truncated"
    assert single_value(b"\x01", 0xF5, 1, 1).end == "opaque"  # a decoder that checks
    assert single_value(b"", 0x69, 1, 1).end == "opaque"  # unknown: left as it is
    assert single_value(b"\x05ab", 1, 1, 7).end == "opaque"  # a short string cut in its text
    assert single_value(b"", 1, 1, 7).end == "truncated"  # ... or before its length

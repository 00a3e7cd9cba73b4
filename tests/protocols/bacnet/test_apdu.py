"""APDU headers of every PDU type and the service parameters decoded by schema."""

from __future__ import annotations

import pytest

from interlock.protocols.bacnet.apdu import Apdu, parse_apdu
from interlock.protocols.bacnet.body import ObjectId, ServiceBody


def apdu(hex_text: str) -> Apdu:
    data = bytes.fromhex(hex_text.replace(" ", ""))
    return parse_apdu(data, 0, len(data))


def body(hex_text: str) -> ServiceBody:
    found = apdu(hex_text).body
    assert found is not None
    return found


def test_confirmed_request_header_and_segmentation_fields() -> None:
    plain = apdu("0275 11 0c 0c02000001 194d")
    assert (plain.type, plain.max_segments, plain.max_apdu, plain.invoke_id) == (0, 7, 5, 0x11)
    assert plain.service == 12 and not plain.segmented
    segment = apdu("0c05 12 03 04 0f 0c00000001")
    assert (segment.sequence, segment.window, segment.service) == (3, 4, 15)
    assert segment.segmented and segment.more_follows and segment.body is None
    assert segment.segment == bytes.fromhex("0c00000001")


@pytest.mark.parametrize(
    ("hex_text", "expected"),
    [
        ("2007 0f", (2, 7, 15, -1, -1, -1)),
        ("3801 02 03 0c", (3, 1, 12, 2, 3, -1)),
        ("4209 04 05", (4, 9, -1, 4, 5, -1)),
        ("5003 0c 9101 911f", (5, 3, 12, -1, -1, -1)),
        ("6004 09", (6, 4, -1, -1, -1, 9)),
        ("7105 05", (7, 5, -1, -1, -1, 5)),
        ("1008", (1, -1, 8, -1, -1, -1)),
    ],
)
def test_every_pdu_type(hex_text: str, expected: tuple[int, ...]) -> None:
    found = apdu(hex_text)
    got = (found.type, found.invoke_id, found.service, found.sequence, found.window, found.reason)
    assert got == expected


def test_who_is_range_and_i_am_identity() -> None:
    who_is = body("1008 0a03e8 1a07d0")
    assert (who_is.param("low_limit"), who_is.param("high_limit")) == (1000, 2000)
    i_am = body("1000 c4020003e9 2205c4 9103 2201 04")
    assert i_am.values == ((8, 1001), 1476, 3, 260)
    assert i_am.objects == (ObjectId(8, 1001),)


def test_write_property_value_and_priority() -> None:
    found = body("0005 02 0f 0c00400001 1955 3e 4442280000 3f 4908")
    (access,) = found.accesses
    assert (access.object, access.property, access.values, access.priority) == (
        ObjectId(1, 1), 85, (42.0,), 8,
    )  # fmt: skip


def test_write_property_multiple_and_rpm_ack_with_an_error() -> None:
    wpm = body("0005 03 10 0c00c00002 1e 0955 2e 9101 2f 3905 1f 0c00c00003 1e 0955 2e 9100 2f 1f")
    assert [(a.object, a.values, a.priority) for a in wpm.accesses] == [
        (ObjectId(3, 2), (1,), 5), (ObjectId(3, 3), (0,), None),
    ]  # fmt: skip
    ack = body("300a 0e 0c00800001 1e 2955 4e 4442280000 4f 291c 5e 9102 9120 5f 1f")
    assert [(a.property, a.values, a.error) for a in ack.accesses] == [
        (85, (42.0,), None), (28, (), (2, 32)),
    ]  # fmt: skip


def test_passwords_are_flagged_never_kept() -> None:
    dcc = body("0005 04 11 093c 1901 2d0700736563726574")
    assert dcc.params == (("duration", 60), ("enable_disable", 1), ("password", True))
    assert "secret" not in repr(dcc)
    reinit = body("0005 05 14 0901")
    assert reinit.params == (("state", 1),)


def test_error_pdu_class_and_code_and_wpm_first_failure() -> None:
    assert body("5003 0c 9101 911f").values == (1, 31)
    wpm = body("5003 10 0e 9102 9128 0f 1e 0c00c00003 1955 1f")
    assert wpm.param("error_class") == 2 and wpm.param("error_code") == 40
    assert wpm.objects == (ObjectId(3, 3),) and wpm.properties == (85,)


def test_object_list_values_are_listed_objects() -> None:
    found = body("3001 0c 0c02000001 194c 3e c400000001 c400400002 3f")
    assert found.objects == (ObjectId(8, 1), ObjectId(0, 1), ObjectId(1, 2))
    assert found.properties == (76,)


@pytest.mark.parametrize(
    ("hex_text", "code"),
    [
        ("0005", "bacnet.truncated_apdu"),
        ("8000", "bacnet.unknown_apdu_type"),
    ],
)
def test_header_anomalies(hex_text: str, code: str) -> None:
    assert code in apdu(hex_text).anomalies


@pytest.mark.parametrize(
    ("hex_text", "code"),
    [
        ("0005 01 0c 0c020000", "bacnet.truncated_tag"),
        ("0005 01 0f 0c00400001 1955 3e 4442280000", "bacnet.missing_closing_tag"),
        ("0005 01 0c 0c02000001 7955", "bacnet.unexpected_tag"),
    ],
)
def test_body_anomalies(hex_text: str, code: str) -> None:
    assert code in body(hex_text).anomalies

"""The dissect rendering of EtherNet/IP and CIP: Wireshark 4.0's fields and quirks (each
case was checked against tshark 4.0.17 on captures built like these)."""

from __future__ import annotations

import struct
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.cip.connection import (
    ConnectionRequest,
    ForwardOpenReply,
    Triad,
    encode_forward_open,
    encode_forward_open_reply,
)
from interlock.protocols.cip.epath import encode_logical, encode_port, encode_symbol
from interlock.protocols.cip.message import (
    encode_multiple_service,
    encode_request,
    encode_response,
    encode_unconnected_send,
)
from interlock.protocols.enip import commands as cmd
from interlock.protocols.enip.cpf import encode_identity, encode_items
from interlock.protocols.enip.encap import encode, parse
from interlock.protocols.enip.session import EnipSession
from interlock.render.enip_record import enip_record
from protocols.enip.session_capture import CONTROLLER, PLC, identity_attributes, rr_data, unit_data


def path(class_id: int, instance: int = 1, attribute: int | None = None) -> bytes:
    raw = encode_logical("class", class_id) + encode_logical("instance", instance)
    return raw + (encode_logical("attribute", attribute) if attribute is not None else b"")


def exchange(*packets: tuple[bytes, bool]) -> list[dict[str, Any]]:
    """The fields of each packet, observed in order by one session (True: a request)."""
    session = EnipSession()
    fields = []
    for frame, (raw, is_request) in enumerate(packets, 1):
        packet = parse(raw, 0, len(raw))
        context = session.observe(packet, is_request, frame, float(frame))
        _, f, _ = enip_record(packet, int(is_request), context)
        fields.append(f)
    return fields


def cip(f: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in f.items() if k.startswith("cip.") or k == "enip.response_to"}


def test_a_request_and_its_response() -> None:
    request, response = exchange(
        (rr_data(encode_request(0x03, path(1), b"\x02\x00\x01\x00\x07\x00"), 9), True),
        (
            rr_data(
                encode_response(0x03, 0, b"\x02\x00\x01\x00\x00\x00\x01\x00\x07\x00\x00\x00\x00"), 9
            ),
            False,
        ),
    )
    assert request["enip.command"] == 0x6F and request["enip.status"] == 0
    assert cip(request) == {
        "cip.service": 0x03, "cip.sc": 0x03, "cip.class": 1, "cip.instance": 1, "cip.attribute": [1, 7],
    }  # fmt: skip
    assert cip(response) == {
        "enip.response_to": 1, "cip.service": 0x83, "cip.sc": 0x03, "cip.genstat": 0,
        "cip.class": 1, "cip.instance": 1, "cip.attribute": [1, 7],
    }  # fmt: skip


def test_an_unconnected_send_reply_repeats_both_paths() -> None:
    inner = encode_request(0x01, path(1))
    ucs = encode_request(0x52, path(6), encode_unconnected_send(inner, encode_port(1, 0)))
    request, reply = exchange(
        (rr_data(ucs, 1), True),
        (rr_data(encode_response(0x01, 0, identity_attributes()), 1), False),
    )
    assert request["cip.service"] == [0x52, 0x01] and request["cip.class"] == [6, 1]
    assert reply["cip.service"] == 0x81 and reply["cip.class"] == [6, 1]
    assert reply["cip.attribute"] == [1, 2, 3, 4, 5, 6, 7]
    _, failed = exchange(
        (rr_data(ucs, 2), True),
        (rr_data(encode_response(0x52, 1, b"\x01\x00", (0x0204,)), 2), False),
    )
    assert failed["cip.class"] == 6 and "cip.attribute" not in failed


def test_multiple_service_replies_pair_only_one_to_one() -> None:
    asked = encode_multiple_service([encode_request(0x0E, path(1, 1, 1))])
    request = rr_data(encode_request(0x0A, path(2), asked), 3)
    one = encode_multiple_service([encode_response(0x0E, 0, b"\x01\x00")])
    two = encode_multiple_service([encode_response(0x0E, 0, b"\x01\x00")] * 2)
    _, paired = exchange((request, True), (rr_data(encode_response(0x0A, 0, one), 3), False))
    assert paired["cip.class"] == [2, 1] and paired["cip.attribute"] == 1
    _, unpaired = exchange((request, True), (rr_data(encode_response(0x0A, 0, two), 3), False))
    assert unpaired["cip.class"] == 2 and unpaired["cip.service"] == [0x8A, 0x8E, 0x8E]


def test_a_malformed_list_stops_the_rest_of_the_packet() -> None:
    asked = encode_multiple_service(
        [encode_request(0x03, path(1), b"\x01\x00\x06\x00"), encode_request(0x0E, path(1, 1, 1))]
    )
    answers = encode_multiple_service(
        [
            encode_response(0x03, 0, b"\x01\x00\x06\x00\x00\x00\x01"),
            encode_response(0x0E, 0, b"\x01\x00"),
        ]
    )
    _, reply = exchange(
        (rr_data(encode_request(0x0A, path(2), asked), 4), True),
        (rr_data(encode_response(0x0A, 0, answers), 4), False),
    )
    assert reply["cip.service"] == [0x8A, 0x83]  # the second service is never reached
    assert reply["cip.attribute"] == 6


def connection(class_id: int) -> list[tuple[bytes, bool]]:
    ask = ConnectionRequest(0, 0, Triad(7, 1, 9), 1000, 1000, 2, 2, 0xA3)
    conn_path = encode_port(1, 0) + path(class_id)
    granted = ForwardOpenReply(0x11, 0x22, Triad(7, 1, 9), 1, 1)
    return [
        (rr_data(encode_request(0x54, path(6), encode_forward_open(ask, conn_path)), 5), True),
        (rr_data(encode_response(0x54, 0, encode_forward_open_reply(granted)), 5), False),
    ]


def test_connected_data_repeats_the_forward_open_connection_path() -> None:
    fields = exchange(
        *connection(2), (unit_data(0x11, 1, encode_request(0x0E, path(1, 1, 7))), True)
    )
    assert fields[0]["cip.class"] == [6, 2] and fields[1]["cip.class"] == [6, 2]
    assert fields[2]["cip.class"] == [2, 1] and fields[2]["cip.attribute"] == 7
    on_assembly = exchange(
        *connection(4), (unit_data(0x11, 1, encode_request(0x0E, path(1, 1, 7))), True)
    )
    assert cip(on_assembly[2]) == {"cip.class": 4, "cip.instance": 1}  # not read as a request


def test_list_identity_reply_fields() -> None:
    reply = encode(cmd.LIST_IDENTITY, encode_items([(0x0C, encode_identity(CONTROLLER, PLC))]))
    (f,) = exchange((reply, False))
    assert {k: v for k, v in f.items() if k.startswith("enip.lir.")} == {
        "enip.lir.vendor": 1,
        "enip.lir.devtype": 14,
        "enip.lir.prodcode": 95,
        "enip.lir.revision": "20.11",
        "enip.lir.serial": 0x60D1E2F3,
        "enip.lir.name": "1756-L73/B LOGIX5573",
    }


def test_symbols_and_io() -> None:
    (f,) = exchange(
        (rr_data(encode_request(0x4C, encode_symbol("A") + encode_symbol("B"), b"\x01\x00")), True)
    )
    assert f["cip.symbol"] == ["A", "B"] and "cip.class" not in f
    io = encode_items([(0x8002, struct.pack("<II", 7, 3)), (0x00B1, b"\x01\x00")])
    (g,) = exchange((io, True))
    assert g == {"enip.cpf.sai.connid": 7, "enip.cpf.sai.seq": 3}


def test_a_value_cut_short_throws_unless_its_decoder_checks_the_length() -> None:
    def second_service_after(reply: bytes, asked: bytes) -> list[int]:
        requests = encode_multiple_service([asked, encode_request(0x0E, path(1, 1, 1))])
        replies = encode_multiple_service([reply, encode_response(0x0E, 0, b"\x01\x00")])
        _, f = exchange(
            (rr_data(encode_request(0x0A, path(2), requests), 6), True),
            (rr_data(encode_response(0x0A, 0, replies), 6), False),
        )
        return f["cip.service"]  # type: ignore[no-any-return]

    serial = encode_request(0x0E, path(1, 1, 6))  # Identity serial number: a plain UDINT
    assert second_service_after(encode_response(0x0E, 0, b"\x01\x02"), serial) == [0x8A, 0x8E]
    status = encode_request(0x0E, path(0xF5, 1, 1))  # TCP/IP status: its decoder checks
    assert second_service_after(encode_response(0x0E, 0, b"\x01\x02"), status) == [0x8A, 0x8E, 0x8E]
    refused = encode_response(0x0E, 0x14)  # an error reply carries no value to decode
    assert second_service_after(refused, serial) == [0x8A, 0x8E, 0x8E]


def test_the_connection_path_is_lost_with_a_malformed_message() -> None:
    bad = encode_request(0x10, path(1, 1, 6), b"\x01")  # Set_Attribute_Single, serial cut
    fields = exchange(*connection(2), (unit_data(0x11, 2, bad), True))
    assert fields[2]["cip.class"] == 1  # the message's own path only


def test_connection_configuration_status_in_get_attributes_all() -> None:
    _, reply = exchange(
        (rr_data(encode_request(0x01, path(0xF3)), 7), True),
        (rr_data(encode_response(0x01, 0, b"\x01\x00\x00\x00\x00\x00"), 7), False),
    )
    assert reply["cip.genstat"] == [0, 1]


_PACKETS = st.one_of(
    st.binary(max_size=80),
    st.builds(lambda cip, ctx: rr_data(cip, ctx), st.binary(max_size=60), st.integers(0, 3)),
    st.builds(
        lambda cip, seq: unit_data(0x11, seq, cip), st.binary(max_size=60), st.integers(0, 3)
    ),
)


@settings(max_examples=300)
@given(st.lists(st.tuples(_PACKETS, st.booleans()), max_size=8))
def test_any_exchange_renders_without_raising(packets: list[tuple[bytes, bool]]) -> None:
    for f in exchange(*connection(2), *packets):
        assert all(isinstance(k, str) for k in f)

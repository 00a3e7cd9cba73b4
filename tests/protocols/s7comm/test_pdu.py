"""S7 PDU decoding: header, Job and Ack_Data parameters, items and userdata heads, checked
against PDUs built by python-snap7 (a real S7 stack)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from snap7.s7protocol import S7Protocol
from snap7.type import Area, WordLen

from interlock.protocols.s7comm.header import (
    ACK_DATA,
    JOB,
    USERDATA,
    encode_pdu,
    is_s7,
    parse_header,
)
from interlock.protocols.s7comm.job import parse_block_name
from interlock.protocols.s7comm.pdu import decode_pdu
from interlock.protocols.s7comm.variables import (
    encode_data_item,
    encode_var_spec,
    parse_data_items,
    value_length,
)


def decoded(p: bytes):  # type: ignore[no-untyped-def]
    pdu = decode_pdu(p)
    assert pdu is not None
    return pdu


def test_read_var_request_built_by_snap7() -> None:
    p = S7Protocol().build_read_request(Area.DB, 1, 10, WordLen.Byte, 4)
    pdu = decoded(p)
    assert (pdu.header.rosctr, pdu.function, pdu.item_count, pdu.anomalies) == (JOB, 4, 1, ())
    (spec,) = pdu.var_specs
    assert (spec.area, spec.db_number, spec.byte_address, spec.bit_address) == (0x84, 1, 10, 0)
    assert (spec.transport_size, spec.quantity) == (0x02, 4)


def test_write_var_request_carries_its_values() -> None:
    p = S7Protocol().build_write_request(Area.MK, 0, 3, WordLen.Byte, b"\x01\x02\x03")
    pdu = decoded(p)
    assert pdu.function == 5 and pdu.var_specs[0].area == 0x83
    (item,) = pdu.data_items
    assert (item.transport_size, item.length, item.value) == (0x04, 24, b"\x01\x02\x03")


def test_read_var_response_with_a_fill_byte_and_an_error_item() -> None:
    data = encode_data_item(b"\x07", 0x04) + b"\x00" + bytes((0x0A, 0, 0, 0))
    data += encode_data_item(b"\x01\x02", 0x09)
    p = encode_pdu(ACK_DATA, 9, b"\x04\x03", data)
    pdu = decoded(p)
    assert [i.return_code for i in pdu.data_items] == [0xFF, 0x0A, 0xFF]
    assert [i.value for i in pdu.data_items] == [b"\x07", b"", b"\x01\x02"]
    assert pdu.anomalies == ()


def test_write_var_response_return_codes_and_header_errors() -> None:
    pdu = decoded(encode_pdu(ACK_DATA, 2, b"\x05\x02", b"\xff\x05"))
    assert pdu.write_results == (0xFF, 0x05)
    ack = decoded(encode_pdu(2, 3, b"", error=(0xD2, 0x41)))
    assert (ack.header.error_class, ack.header.error_code, ack.function) == (0xD2, 0x41, -1)


def test_setup_communication_and_plc_control_built_by_snap7() -> None:
    proto = S7Protocol()
    setup = decoded(proto.build_setup_communication_request(pdu_length=960))
    assert setup.setup is not None and setup.setup.pdu_length == 960
    stop = decoded(proto.build_plc_control_request("stop"))
    assert stop.function == 0x29 and stop.pi is not None and stop.pi.name == "P_PROGRAM"
    cold = decoded(proto.build_plc_control_request("cold_start"))
    assert cold.pi is not None and (cold.pi.name, cold.pi.arguments) == ("P_PROGRAM", ("C ",))
    hot = decoded(proto.build_plc_control_request("hot_start"))
    assert hot.pi is not None and hot.pi.arguments == ()


def test_upload_and_pi_block_names() -> None:
    start = decoded(S7Protocol().build_start_upload_request(0x41, 5))
    assert start.transfer is not None and start.transfer.block is not None
    assert (start.transfer.block.block_type, start.transfer.block.number) == ("DB", 5)
    inse = bytes.fromhex("28000000000000fd000a01003038303030303150055f494e5345")
    pdu = decoded(encode_pdu(JOB, 1, inse))
    assert pdu.pi is not None and pdu.pi.name == "_INSE"
    assert [(b.block_type, b.number, b.file_system) for b in pdu.pi.blocks] == [("OB", 1, "P")]
    assert parse_block_name(b"0X0000AP") is not None and parse_block_name(b"short") is None


def test_userdata_heads_built_by_snap7() -> None:
    pdu = decoded(S7Protocol().build_read_szl_request(0x0011, 0))
    assert pdu.header.rosctr == USERDATA and pdu.userdata is not None
    u = pdu.userdata
    assert (u.type, u.group, u.subfunc, u.error_code) == (4, 4, 1, -1)
    assert pdu.userdata_data is not None and pdu.userdata_data.fragment == b"\x00\x11\x00\x00"


def test_the_heuristic_and_short_pdus() -> None:
    assert not is_s7(b"\x32\x01" + bytes(7)) and not is_s7(b"\x32\x08" + bytes(8))
    assert parse_header(b"\x72\x01" + bytes(8)) is None
    cut = decoded(b"\x32\x03" + bytes(9))  # an Ack_Data cut inside its error fields
    assert (cut.header.error_class, cut.header.error_code) == (0, -1)
    assert "s7comm.truncated" in decoded(encode_pdu(JOB, 1, b"\x04\x01")[:-1]).anomalies
    assert (
        "s7comm.item_truncated"
        in decoded(encode_pdu(JOB, 1, b"\x04\x02" + encode_var_spec(0x84, 0, 1))).anomalies
    )
    assert "s7comm.function_unknown" in decoded(encode_pdu(JOB, 1, b"\x77")).anomalies


def test_value_lengths_count_bits_for_the_bit_sizes() -> None:
    assert [value_length(t, 9) for t in (0x03, 0x04, 0x05, 0x07, 0x09)] == [2, 2, 2, 9, 9]
    items, complete = parse_data_items(encode_data_item(b"\x01\x02", 0x04)[:-1], 0, 1)
    assert not complete and items[0].value == b"\x01"


@settings(max_examples=400)
@given(
    st.binary(max_size=120),
    st.sampled_from([1, 2, 3, 7]),
    st.sampled_from([0, 4, 5, 0x28, 0x29, 0xF0, 0x1D]),
)
def test_decoding_never_raises(body: bytes, rosctr: int, function: int) -> None:
    for p in (
        b"\x32" + body,
        bytes((0x32, rosctr)) + body,
        encode_pdu(rosctr, 1, bytes((function,)) + body[:40], body[40:]),
    ):
        pdu = decode_pdu(p)
        assert pdu is None or pdu.header.rosctr == p[1]

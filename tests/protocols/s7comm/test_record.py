"""The dissect records of S7comm units: which fields Wireshark 4.0 shows for which PDU.

The expected values were checked with tshark 4.0.17 on the same bytes.
"""

from __future__ import annotations

from snap7.s7protocol import S7Protocol
from snap7.type import Area, WordLen

from interlock.protocols.s7comm.header import ACK, ACK_DATA, JOB, USERDATA, encode_pdu
from protocols.s7comm.conversation import dt, records  # tests/ is on sys.path


def fields_of(*pdus: bytes, direction: int = 0) -> list[dict[str, object]]:
    return [r["fields"] for r in records([(direction, dt(p)) for p in pdus])]


def test_job_and_ack_data_fields() -> None:
    job = S7Protocol().build_read_request(Area.DB, 1, 0, WordLen.Byte, 2)
    ack = encode_pdu(ACK_DATA, 1, b"\x04\x01", b"\xff\x04\x00\x10\x01\x02")
    assert fields_of(job, ack) == [
        {
            "s7comm.header.rosctr": JOB,
            "s7comm.header.pduref": 1,
            "s7comm.param.func": 4,
            "s7comm.param.itemcount": 1,
        },
        {
            "s7comm.header.rosctr": ACK_DATA,
            "s7comm.header.pduref": 1,
            "s7comm.header.errcls": 0,
            "s7comm.header.errcod": 0,
            "s7comm.param.func": 4,
            "s7comm.param.itemcount": 1,
        },
    ]


def test_an_ack_has_only_its_header_and_other_functions_no_item_count() -> None:
    (ack,) = fields_of(encode_pdu(ACK, 5, b"", error=(0xD2, 0x41)))
    assert ack == {
        "s7comm.header.rosctr": ACK,
        "s7comm.header.pduref": 5,
        "s7comm.header.errcls": 0xD2,
        "s7comm.header.errcod": 0x41,
    }
    (stop,) = fields_of(S7Protocol().build_plc_control_request("stop"))
    assert stop["s7comm.param.func"] == 0x29 and "s7comm.param.itemcount" not in stop


def test_userdata_fields_and_the_szl_id() -> None:
    request = S7Protocol().build_read_szl_request(0x0424, 0)
    (f,) = fields_of(request)
    assert f == {
        "s7comm.header.rosctr": USERDATA,
        "s7comm.header.pduref": 1,
        "s7comm.param.userdata.type": 4,
        "s7comm.param.userdata.funcgroup": 4,
        "s7comm.param.userdata.subfunc": 1,
        "s7comm.data.userdata.szl_id": 0x0424,
    }
    param = bytes.fromhex("000112081284010100000000")
    ok = encode_pdu(USERDATA, 1, param, bytes.fromhex("ff09000404240000"))
    error = encode_pdu(USERDATA, 1, param, bytes.fromhex("0a000000"))
    ok_fields, error_fields = fields_of(ok, error, direction=1)
    assert ok_fields["s7comm.data.userdata.szl_id"] == 0x0424
    assert "s7comm.data.userdata.szl_id" not in error_fields


def test_cyclic_pushes_show_their_item_count_and_mode_transitions_their_own_subfunction() -> None:
    push = encode_pdu(
        USERDATA,
        0,
        bytes.fromhex("000112081202070100000000"),
        bytes.fromhex("ff09000a000101ff0400082a"),
    )
    mode = encode_pdu(USERDATA, 0, bytes.fromhex("00011204110002000000"), b"")
    push_fields, mode_fields = fields_of(push, mode, direction=1)
    assert push_fields["s7comm.param.itemcount"] == 1
    assert (
        push_fields["s7comm.param.userdata.type"],
        push_fields["s7comm.param.userdata.funcgroup"],
    ) == (0, 2)
    assert mode_fields["s7comm.param.modetrans.subfunc"] == 2
    assert "s7comm.param.userdata.subfunc" not in mode_fields


def test_a_pdu_cut_short_shows_what_its_bytes_hold() -> None:
    (cut,) = fields_of(encode_pdu(ACK_DATA, 3, b"\x04\x01")[:11])
    assert cut == {"s7comm.header.rosctr": 3, "s7comm.header.pduref": 3}  # errcls needs errcod
    recs = records([(0, dt(encode_pdu(JOB, 1, b"\x04\x01")[:-1]))])
    assert "s7comm.truncated" in recs[0]["anomalies"]

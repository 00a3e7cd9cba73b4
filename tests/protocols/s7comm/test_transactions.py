"""S7 exchanges as transactions: operation classes, status, targets, values, identity."""

from __future__ import annotations

from snap7.s7protocol import S7Protocol
from snap7.type import Area, WordLen

from interlock.model import OperationClass as Op
from interlock.model import Target, Transaction
from interlock.protocols.s7comm.header import ACK, ACK_DATA, JOB, USERDATA, encode_pdu
from interlock.protocols.s7comm.transactions import tsap_text
from protocols.s7comm.conversation import dt, transactions  # tests/ is on sys.path
from protocols.s7comm.test_szl import component_identification, module_identification

PROTO = S7Protocol()


def exchange(request: bytes, response: bytes | None) -> Transaction:
    segments = [(0, dt(request))] + ([(1, dt(response))] if response is not None else [])
    (tx,) = transactions(segments)
    return tx


def ref(request: bytes) -> int:
    return (request[4] << 8) | request[5]


def ack_data(request: bytes, param: bytes, data: bytes = b"") -> bytes:
    return encode_pdu(ACK_DATA, ref(request), param, data)


def test_reads_and_writes_carry_targets_and_values() -> None:
    read = PROTO.build_read_request(Area.DB, 3, 10, WordLen.Byte, 2)
    tx = exchange(read, ack_data(read, b"\x04\x01", b"\xff\x04\x00\x10\x07\x08"))
    assert (tx.operation, tx.status, tx.function_name) == (Op.READ, "ok", "read_var")
    assert tx.targets == (Target(3, "data_blocks", 10, 2),) and tx.values == (7, 8)
    write = PROTO.build_write_request(Area.MK, 0, 4, WordLen.Byte, b"\x2a")
    tx = exchange(write, ack_data(write, b"\x05\x01", b"\xff"))
    assert (tx.operation, tx.targets, tx.values) == (Op.WRITE, (Target(0, "flags", 4, 1),), (42,))
    assert tx.details["items"] == [
        {
            "area": "flags",
            "byte": 4,
            "bit": 0,
            "transport_size": "byte",
            "count": 1,
            "return_code": "success",
            "value": "2a",
        }
    ]


def test_stop_start_and_restarts() -> None:
    request = PROTO.build_plc_control_request("stop")
    stop = exchange(request, ack_data(request, b"\x29"))
    assert (stop.operation, stop.function_name) == (Op.MODE_CHANGE, "plc_stop")
    hot = exchange(PROTO.build_plc_control_request("hot_start"), None)
    assert (hot.operation, hot.status) == (Op.MODE_CHANGE, "unanswered")
    cold = exchange(PROTO.build_plc_control_request("cold_start"), None)
    assert cold.operation is Op.RESTART and cold.details["restart"] == "cold"


def test_program_changes_and_header_errors() -> None:
    upload = PROTO.build_start_upload_request(0x38, 1)
    tx = exchange(upload, encode_pdu(ACK, ref(upload), b"", error=(0xD2, 0x0C)))
    assert (tx.operation, tx.status, tx.exception_code) == (Op.PROGRAM, "exception", 0xD20C)
    assert tx.details["block"] == "OB1"
    inse = bytes.fromhex("28000000000000fd000a01003038303030303150055f494e5345")
    tx = exchange(encode_pdu(JOB, 2, inse), None)
    assert tx.operation is Op.PROGRAM and tx.details["blocks"] == ["OB1"]


def test_a_download_pairs_although_the_plc_sends_the_jobs() -> None:
    block = encode_pdu(JOB, 9, bytes.fromhex("1b00000000000000095f3038303030303150"))
    answer = encode_pdu(ACK_DATA, 9, b"\x1b\x00", b"\x00\x04\x00\xfb\x70\x70")
    (tx,) = transactions([(1, dt(block)), (0, dt(answer))])
    assert (tx.function_name, tx.status, tx.request_frame, tx.response_frame) == (
        "download_block",
        "ok",
        4,
        5,
    )


def szl_read(szl_id: int, records: bytes) -> Transaction:
    request = PROTO.build_read_szl_request(szl_id, 0)
    param = bytes.fromhex("000112081284010100000000")
    data = bytes.fromhex("ff09") + len(records).to_bytes(2, "big") + records
    return exchange(request, encode_pdu(USERDATA, ref(request), param, data))


def test_identity_reads_carry_the_identity_records() -> None:
    tx = szl_read(0x0011, module_identification())
    assert (tx.operation, tx.function, tx.sub_function) == (Op.IDENTITY, 0x0401, 1)
    assert tx.details["identity"]["firmware"] == "V3.2.7"  # type: ignore[index]
    tx = szl_read(0x001C, component_identification())
    assert tx.details["identity"]["serial_number"] == "S C-B1U393142011"  # type: ignore[index]
    tx = exchange(PROTO.build_read_szl_request(0x0424, 0), None)
    assert tx.operation is Op.DIAGNOSTIC and tx.details["szl_name"] == "operating_mode_extract_4"


def test_userdata_services_and_pushes() -> None:
    assert exchange(PROTO.build_list_blocks_request(), None).operation is Op.DISCOVERY
    assert (
        exchange(PROTO.build_set_session_password_request(b"12345678"), None).operation
        is Op.SESSION
    )
    assert exchange(PROTO.build_get_clock_request(), None).function_name == "read_clock"
    push = encode_pdu(
        USERDATA, 0, bytes.fromhex("000112081202070100000000"), bytes.fromhex("ff0900020001")
    )
    (tx,) = transactions([(1, dt(push))])
    assert (tx.status, tx.operation, tx.function_name) == (
        "unsolicited",
        Op.READ,
        "change_driven_transfer_modify",
    )


def test_the_connection_names_rack_and_slot() -> None:
    cr = bytes.fromhex("0300001611e00000000100c1020100c2020102c0010a")
    cc = bytes.fromhex("0300001611d00001000100c0010ac1020100c2020102")
    disconnect = bytes.fromhex("0300000c0680000100010000")
    connect, close = transactions([(0, cr), (1, cc), (0, disconnect)])
    assert (connect.function_name, connect.operation, connect.status) == (
        "cotp_connect",
        Op.SESSION,
        "ok",
    )
    assert (connect.details["rack"], connect.details["slot"], connect.details["tpdu_size"]) == (
        0,
        2,
        1024,
    )
    assert (close.function_name, close.status) == ("cotp_disconnect", "unanswered")
    assert connect.details["dst_tsap"] == "0102"
    assert tsap_text(b"SIMATIC-ROOT-HMI") == "SIMATIC-ROOT-HMI"


def test_s7comm_plus_requests_are_transactions_with_their_session() -> None:
    request = (
        bytes.fromhex("72020044310000054c00000003000003be34")
        + bytes(50)
        + bytes.fromhex("72020000")
    )
    request = request[:2] + (len(request) - 8).to_bytes(2, "big") + request[4:]
    response = bytes.fromhex(
        "7202001d320000054c00000003340001000801020008320300083200000000000072020000"
    )
    (tx,) = transactions([(0, dt(request)), (1, dt(response))])
    assert (tx.protocol, tx.function_name, tx.operation, tx.status) == (
        "s7comm-plus",
        "get_multi_variables",
        Op.READ,
        "ok",
    )
    assert tx.details["session_id"] == 0x3BE and tx.details["integrity_protected"] is False

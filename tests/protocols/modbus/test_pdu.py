"""PDU decoding per function code, checked against PDUs encoded by pymodbus."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pymodbus.pdu import ExceptionResponse, ModbusPDU
from pymodbus.pdu.bit_message import (
    ReadCoilsResponse,
    WriteMultipleCoilsRequest,
    WriteSingleCoilRequest,
)
from pymodbus.pdu.diag_message import ForceListenOnlyModeRequest, RestartCommunicationsOptionRequest
from pymodbus.pdu.file_message import FileRecord, ReadFifoQueueResponse, ReadFileRecordRequest
from pymodbus.pdu.mei_message import ReadDeviceInformationRequest
from pymodbus.pdu.register_message import (
    MaskWriteRegisterRequest,
    ReadHoldingRegistersResponse,
    ReadInputRegistersRequest,
    ReadWriteMultipleRegistersRequest,
    WriteMultipleRegistersRequest,
)

from interlock.protocols.modbus.pdu import decode_pdu, pdu_anomalies


def wire(pdu: ModbusPDU) -> bytes:
    """The PDU as pymodbus puts it on the wire: function code then data."""
    return bytes([pdu.function_code]) + pdu.encode()


def test_read_request_and_register_response() -> None:
    req = decode_pdu(wire(ReadInputRegistersRequest(address=30, count=4)), True)
    assert (req.function, req.start, req.count, req.anomalies) == (4, 30, 4, ())
    resp = decode_pdu(wire(ReadHoldingRegistersResponse(registers=[1, 500, 65535])), False)
    assert resp.byte_count == 6 and resp.values == (1, 500, 65535)


def test_coils() -> None:
    single = decode_pdu(wire(WriteSingleCoilRequest(address=3, bits=[True])), True)
    assert (single.start, single.values) == (3, (0xFF00,))
    multiple = decode_pdu(
        wire(WriteMultipleCoilsRequest(address=0, bits=[True, False, True])), True
    )
    assert (multiple.start, multiple.count, multiple.values) == (0, 3, (1, 0, 1))
    response = decode_pdu(
        wire(ReadCoilsResponse(bits=[True, True, False, True] + [False] * 4)), False
    )
    assert response.byte_count == 1 and response.data == b"\x0b"


def test_writes_masks_and_read_write() -> None:
    regs = decode_pdu(wire(WriteMultipleRegistersRequest(address=10, registers=[7, 8, 9])), True)
    assert (regs.start, regs.count, regs.byte_count, regs.values) == (10, 3, 6, (7, 8, 9))
    mask = decode_pdu(wire(MaskWriteRegisterRequest(address=2, and_mask=0xF2, or_mask=0x25)), True)
    assert (mask.start, mask.and_mask, mask.or_mask) == (2, 0xF2, 0x25)
    rw = decode_pdu(
        wire(
            ReadWriteMultipleRegistersRequest(
                read_address=1, read_count=2, write_address=20, write_registers=[5]
            )
        ),
        True,
    )
    assert (rw.start, rw.count, rw.write_start, rw.write_count, rw.values) == (1, 2, 20, 1, (5,))


def test_diagnostics_sub_functions() -> None:
    assert decode_pdu(wire(RestartCommunicationsOptionRequest()), True).sub_function == 1
    assert decode_pdu(wire(ForceListenOnlyModeRequest()), True).sub_function == 4


def test_device_identification_request_and_response() -> None:
    req = decode_pdu(wire(ReadDeviceInformationRequest(read_code=1, object_id=0)), True)
    assert (req.mei_type, req.device_id_code, req.object_id) == (14, 1, 0)
    response = bytes.fromhex("2b0e01830000020003414243010278 79".replace(" ", ""))
    resp = decode_pdu(response, False)
    assert [(o.object_id, o.value) for o in resp.objects] == [(0, b"ABC"), (1, b"xy")]
    assert resp.anomalies == ()
    cut = decode_pdu(response[:-1], False)
    assert cut.anomalies == ("modbus.device_id_truncated",)


def test_file_records_and_fifo() -> None:
    req = decode_pdu(
        wire(
            ReadFileRecordRequest(
                records=[FileRecord(file_number=4, record_number=1, record_data=bytes(4))]
            )
        ),
        True,
    )
    assert [(r.file_number, r.record_number, r.record_length) for r in req.file_records] == [
        (4, 1, 2)
    ]
    fifo = decode_pdu(wire(ReadFifoQueueResponse(values=[3, 4])), False)
    assert fifo.values == (3, 4)


def test_exceptions_and_umas() -> None:
    exc = ExceptionResponse(3, exception_code=2)
    assert decode_pdu(bytes([0x83, 2]), False).exception_code == 2
    assert exc.exception_code == 2
    assert decode_pdu(bytes([0x83, 0x42]), False).anomalies == ("modbus.exception_code_unknown",)
    umas = decode_pdu(bytes([0x5A, 0x00, 0x41]), True)
    assert (umas.function, umas.umas_session, umas.umas_function) == (90, 0, 0x41)


def test_out_of_range_quantity_is_an_anomaly() -> None:
    assert "modbus.quantity_out_of_range" in decode_pdu(bytes.fromhex("0300000000"), True).anomalies
    assert "modbus.quantity_out_of_range" in decode_pdu(bytes.fromhex("0100000fa1"), True).anomalies


@settings(max_examples=400)
@given(st.binary(max_size=80), st.booleans())
def test_decoding_never_raises_and_the_shortcut_agrees(pdu: bytes, is_request: bool) -> None:
    decoded = decode_pdu(pdu, is_request)
    assert pdu_anomalies(pdu, is_request) == decoded.anomalies
    assert len(decoded.data) <= len(pdu)


@settings(max_examples=200)
@given(
    st.sampled_from([1, 2, 3, 4, 5, 6, 15, 16, 23, 43, 8]), st.binary(max_size=20), st.booleans()
)
def test_shortcut_agrees_on_common_functions(fc: int, body: bytes, is_request: bool) -> None:
    pdu = bytes([fc]) + body
    assert pdu_anomalies(pdu, is_request) == decode_pdu(pdu, is_request).anomalies

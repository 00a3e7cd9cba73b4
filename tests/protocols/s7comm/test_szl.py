"""SZL reads and the identity records 0x0011 and 0x001C."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from interlock.protocols.s7comm.szl import identity, is_identity, parse_request, parse_response
from interlock.protocols.s7comm.szl_ids import szl_name

ORDER = b"6ES7 315-2EH14-0AB0 "


def module_identification() -> bytes:
    records = [
        struct.pack(">H", 1) + ORDER + struct.pack(">HHH", 0xC0, 3, 1),
        struct.pack(">H", 6) + ORDER + struct.pack(">HHH", 0xC0, 3, 5),
        struct.pack(">H", 7) + b" " * 20 + struct.pack(">HHH", 0xC0, 0x5603, 0x0207),
        struct.pack(">H", 0x81) + b"Boot Loader".ljust(20) + struct.pack(">HHH", 0, 0x4120, 0x0909),
    ]
    return struct.pack(">HHHH", 0x0011, 0, 28, len(records)) + b"".join(records)


def component_identification() -> bytes:
    texts = {
        1: b"Station 1",
        2: b"PLC_1",
        5: b"S C-B1U393142011",
        7: b"CPU 315-2 PN/DP",
        9: b"\x00\x2a\xf6",
    }
    records = [struct.pack(">H", i) + t.ljust(32, b"\x00") for i, t in texts.items()]
    return struct.pack(">HHHH", 0x001C, 0, 34, len(records)) + b"".join(records)


def test_module_identification_gives_order_number_hardware_and_firmware() -> None:
    response = parse_response(module_identification())
    assert response is not None and (response.szl_id, response.record_count) == (0x11, 4)
    assert identity(response) == {
        "order_number": "6ES7 315-2EH14-0AB0",
        "hardware": "6ES7 315-2EH14-0AB0",
        "hardware_version": "5",
        "firmware": "V3.2.7",
        "firmware_extension": "Boot Loader A32.9.9",
    }


def test_component_identification_gives_names_and_serial() -> None:
    response = parse_response(component_identification())
    assert response is not None
    assert identity(response) == {
        "as_name": "Station 1",
        "module_name": "PLC_1",
        "serial_number": "S C-B1U393142011",
        "module_type": "CPU 315-2 PN/DP",
    }


def test_requests_ids_and_names() -> None:
    request = parse_request(bytes.fromhex("0424 0000"))
    assert request is not None and (request.szl_id, request.szl_index) == (0x0424, 0)
    assert is_identity(0x0011) and is_identity(0x011C) and not is_identity(0x0424)
    assert (
        szl_name(0x0424) == "operating_mode_extract_4" and szl_name(0x00A0) == "diagnostic_buffer"
    )
    assert parse_request(b"\x00") is None and parse_response(b"\x00\x11") is None


def test_a_response_cut_short_keeps_the_records_that_fit() -> None:
    response = parse_response(module_identification()[:-10])
    assert response is not None and len(response.records) == 3


@given(st.binary(max_size=200))
def test_parsing_never_raises(payload: bytes) -> None:
    response = parse_response(payload)
    if response is not None:
        identity(response)
        identity(response._replace(szl_id=0x1C))
    parse_request(payload)

"""The Modbus/TCP adapter: every function code becomes the same protocol-neutral request
the passive engine would describe, responses feed the state, refusals are exception PDUs
(Modbus Application Protocol v1.1b3, sections 6 and 7)."""

from __future__ import annotations

import struct

import pytest

from interlock.model import OperationClass as Op
from interlock.policy import PolicyRequest, compile_policy, parse_policy
from interlock.policy.modbus import (
    exception_response,
    observe_response,
    request_from_pdu,
    response_values,
)
from interlock.policy.model import Policy


def adapt(pdu: bytes) -> PolicyRequest:
    return request_from_pdu(pdu, 1, "10.20.0.10", 100.0, "10.10.0.5")


def u16(*words: int) -> bytes:
    return b"".join(struct.pack(">H", w) for w in words)


@pytest.mark.parametrize(
    ("pdu", "operation", "space", "address", "quantity", "values"),
    [
        (bytes([1]) + u16(0, 16), Op.READ, "coils", 0, 16, ()),
        (bytes([2]) + u16(8, 2), Op.READ, "discrete_inputs", 8, 2, ()),
        (bytes([3]) + u16(100, 4), Op.READ, "holding_registers", 100, 4, ()),
        (bytes([4]) + u16(0, 3), Op.READ, "input_registers", 0, 3, ()),
        (bytes([5]) + u16(3, 0xFF00), Op.WRITE, "coils", 3, 1, (1,)),
        (bytes([5]) + u16(3, 0x0000), Op.WRITE, "coils", 3, 1, (0,)),
        (bytes([6]) + u16(1, 500), Op.WRITE, "holding_registers", 1, 1, (500,)),
        (bytes([15]) + u16(0, 3) + bytes([1, 0b101]), Op.WRITE, "coils", 0, 3, (1, 0, 1)),
        (bytes([16]) + u16(2, 2) + bytes([4]) + u16(0x4148, 0), Op.WRITE, "holding_registers", 2, 2,
         (0x4148, 0)),
        (bytes([24]) + u16(7), Op.READ, "holding_registers", 7, 1, ()),
    ],
)  # fmt: skip
def test_reads_and_writes_name_their_space_addresses_and_values(
    pdu: bytes, operation: Op, space: str, address: int, quantity: int, values: tuple[int, ...]
) -> None:
    request = adapt(pdu)
    assert (request.operation, request.space, request.address) == (operation, space, address)
    assert (request.quantity, request.values, request.anomalies) == (quantity, values, ())
    assert (request.protocol, request.unit, request.client, request.server, request.time) == (
        "modbus", 1, "10.20.0.10", "10.10.0.5", 100.0,
    )  # fmt: skip
    assert request.function == pdu[0]


def test_mask_write_and_read_write_multiple() -> None:
    masked = adapt(bytes([22]) + u16(4, 0x00F2, 0x0025))
    assert (masked.address, masked.quantity, masked.mask, masked.values) == (
        4, 1, (0x00F2, 0x0025), (),
    )  # fmt: skip
    both = adapt(bytes([23]) + u16(0, 4, 20, 2) + bytes([4]) + u16(7, 8))
    assert (both.operation, both.address, both.quantity, both.values) == (Op.WRITE, 20, 2, (7, 8))
    assert (both.read_address, both.read_quantity) == (0, 4)


@pytest.mark.parametrize(
    ("pdu", "operation", "function", "sub_function"),
    [
        (bytes([8]) + u16(0, 0x1234), Op.DIAGNOSTIC, 8, 0),
        (bytes([8]) + u16(1, 0), Op.RESTART, 8, 1),
        (bytes([8]) + u16(4, 0), Op.MODE_CHANGE, 8, 4),
        (bytes([17]), Op.IDENTITY, 17, None),
        (bytes([43, 14, 1, 0]), Op.IDENTITY, 43, 14),
        (bytes([43, 13, 0]), Op.OTHER, 43, 13),
        (bytes([0x5A, 0, 0x41]), Op.MODE_CHANGE, 90, 0x41),  # UMAS stop PLC
        (bytes([0x5A, 0, 0x31, 1, 2]), Op.PROGRAM, 90, 0x31),  # UMAS download block
        (bytes([0x5A, 0, 0x02]), Op.IDENTITY, 90, 0x02),
        (bytes([0x41, 1, 2]), Op.OTHER, 65, None),  # user-defined
        (bytes([0x7D]), Op.PROGRAM, 125, None),
        (bytes([0x30]), Op.OTHER, 48, None),  # not a Modbus function at all
        (bytes([20, 7, 6, 0, 1, 0, 0, 0, 2]), Op.READ, 20, None),  # file records: no address
    ],
)
def test_functions_without_an_address_carry_their_operation_class(
    pdu: bytes, operation: Op, function: int, sub_function: int | None
) -> None:
    request = adapt(pdu)
    assert (request.operation, request.function, request.sub_function) == (
        operation, function, sub_function,
    )  # fmt: skip
    assert (request.address, request.space, request.values) == (None, "", ())


def test_malformed_requests_carry_the_engines_anomaly_codes() -> None:
    assert adapt(b"").anomalies == ("modbus.pdu_empty",)
    assert adapt(b"").function == -1 and adapt(b"").function_name == "empty"
    assert adapt(bytes([3, 0])).anomalies == ("modbus.pdu_too_short",)
    assert "modbus.quantity_out_of_range" in adapt(bytes([3]) + u16(0, 0)).anomalies
    assert "modbus.coil_value_invalid" in adapt(bytes([5]) + u16(0, 0x1234)).anomalies
    short = adapt(bytes([16]) + u16(0, 3) + bytes([2]) + u16(1))
    assert "modbus.values_count_mismatch" in short.anomalies


def test_response_values_and_refusals() -> None:
    coils = adapt(bytes([1]) + u16(0, 3))
    assert response_values(coils, bytes([1, 1, 0b101])) == (True, (1, 0, 1))
    registers = adapt(bytes([3]) + u16(0, 2))
    assert response_values(registers, bytes([3, 4]) + u16(500, 600)) == (True, (500, 600))
    assert response_values(registers, bytes([0x83, 2])) == (False, None)
    assert response_values(registers, bytes([4, 4]) + u16(1, 2)) == (False, None)
    assert response_values(registers, bytes([3, 4, 1])) == (False, None)  # truncated
    write = adapt(bytes([6]) + u16(1, 500))
    assert response_values(write, bytes([6]) + u16(1, 500)) == (True, None)
    assert exception_response(bytes([6]) + u16(1, 500), 3) == bytes([0x86, 3])
    assert exception_response(bytes([0x5A, 0, 0x41]), 1) == bytes([0xDA, 1])
    assert exception_response(b"", 1) == bytes([0x80, 1])


def test_responses_feed_the_core() -> None:
    text = """\
default: allow
assets: [{name: plc, protocol: modbus, unit: 1}]
tags:
  - {name: pump_run, space: coils, address: 1}
  - {name: level_sp, space: holding_registers, address: 0, scale: 0.1}
"""
    loaded = parse_policy(text, "p.yaml")
    assert isinstance(loaded, Policy)
    core = compile_policy(loaded)
    read = adapt(bytes([3]) + u16(0, 2))
    observe_response(core, read, bytes([3, 4]) + u16(512, 7))
    assert core.value_of("level_sp") == 51.2
    coils = adapt(bytes([1]) + u16(0, 3))
    observe_response(core, coils, bytes([1, 1, 0b010]))
    assert core.value_of("pump_run") is True
    stop = adapt(bytes([5]) + u16(1, 0))
    observe_response(core, stop, bytes([0x85, 4]))  # refused by the PLC: nothing changed
    assert core.value_of("pump_run") is True
    observe_response(core, stop, bytes([5]) + u16(1, 0))
    assert core.value_of("pump_run") is False


def test_an_answer_never_teaches_more_than_was_asked() -> None:
    registers = adapt(bytes([3]) + u16(0, 2))
    assert response_values(registers, bytes([3, 6]) + u16(500, 600, 700)) == (True, (500, 600))
    assert response_values(registers, bytes([3, 2]) + u16(500)) == (True, (500,))
    both = adapt(bytes([23]) + u16(10, 1, 0, 1) + bytes([2]) + u16(9))
    assert response_values(both, bytes([23, 4]) + u16(1, 2)) == (True, (1,))
    coils = adapt(bytes([1]) + u16(0, 3))
    assert response_values(coils, bytes([1, 2, 0xFF, 0xFF])) == (True, (1, 1, 1))
    diagnostics = adapt(bytes([8]) + u16(0, 0x1234))
    assert response_values(diagnostics, bytes([8]) + u16(0, 0x1234)) == (True, None)
    assert response_values(diagnostics, bytes([8])) == (False, None)  # truncated

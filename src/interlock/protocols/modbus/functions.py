"""Modbus vocabularies as data: function codes, sub-functions, exception codes, MEI objects.

Sources: Modbus Application Protocol Specification v1.1b3 (sections 6 and 7), and for
UMAS the public descriptions of Schneider Electric's function 0x5A.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.model import OperationClass as Op


class FunctionInfo(NamedTuple):
    name: str
    operation: Op
    space: str | None
    """Address space a request acts on, when it has a start address and a quantity."""


FUNCTIONS: Final[dict[int, FunctionInfo]] = {
    1: FunctionInfo("read_coils", Op.READ, "coils"),
    2: FunctionInfo("read_discrete_inputs", Op.READ, "discrete_inputs"),
    3: FunctionInfo("read_holding_registers", Op.READ, "holding_registers"),
    4: FunctionInfo("read_input_registers", Op.READ, "input_registers"),
    5: FunctionInfo("write_single_coil", Op.WRITE, "coils"),
    6: FunctionInfo("write_single_register", Op.WRITE, "holding_registers"),
    7: FunctionInfo("read_exception_status", Op.DIAGNOSTIC, None),
    8: FunctionInfo("diagnostics", Op.DIAGNOSTIC, None),
    11: FunctionInfo("get_comm_event_counter", Op.DIAGNOSTIC, None),
    12: FunctionInfo("get_comm_event_log", Op.DIAGNOSTIC, None),
    15: FunctionInfo("write_multiple_coils", Op.WRITE, "coils"),
    16: FunctionInfo("write_multiple_registers", Op.WRITE, "holding_registers"),
    17: FunctionInfo("report_server_id", Op.IDENTITY, None),
    20: FunctionInfo("read_file_record", Op.READ, "file_records"),
    21: FunctionInfo("write_file_record", Op.WRITE, "file_records"),
    22: FunctionInfo("mask_write_register", Op.WRITE, "holding_registers"),
    23: FunctionInfo("read_write_multiple_registers", Op.WRITE, "holding_registers"),
    24: FunctionInfo("read_fifo_queue", Op.READ, "holding_registers"),
    40: FunctionInfo("program_concept", Op.PROGRAM, None),
    43: FunctionInfo("encapsulated_interface_transport", Op.IDENTITY, None),
    90: FunctionInfo("umas", Op.OTHER, None),
    # Schneider/Modicon engineering functions, named as Zeek's Modbus analyzer names them.
    125: FunctionInfo("firmware_replacement", Op.PROGRAM, None),
    126: FunctionInfo("program_584_984", Op.PROGRAM, None),
}

PUBLIC_FUNCTIONS: Final = frozenset(f for f in FUNCTIONS if f < 65)
USER_DEFINED_RANGES: Final = (range(65, 73), range(100, 111))

DIAGNOSTIC_SUB_FUNCTIONS: Final[dict[int, str]] = {
    0: "return_query_data",
    1: "restart_communications_option",
    2: "return_diagnostic_register",
    3: "change_ascii_input_delimiter",
    4: "force_listen_only_mode",
    10: "clear_counters_and_diagnostic_register",
    11: "return_bus_message_count",
    12: "return_bus_communication_error_count",
    13: "return_bus_exception_error_count",
    14: "return_server_message_count",
    15: "return_server_no_response_count",
    16: "return_server_nak_count",
    17: "return_server_busy_count",
    18: "return_bus_character_overrun_count",
    20: "clear_overrun_counter_and_flag",
}
DIAGNOSTIC_OPERATIONS: Final[dict[int, Op]] = {1: Op.RESTART, 4: Op.MODE_CHANGE}

EXCEPTION_CODES: Final[dict[int, str]] = {
    1: "illegal_function",
    2: "illegal_data_address",
    3: "illegal_data_value",
    4: "server_device_failure",
    5: "acknowledge",
    6: "server_device_busy",
    7: "negative_acknowledge",
    8: "memory_parity_error",
    10: "gateway_path_unavailable",
    11: "gateway_target_device_failed_to_respond",
}

MEI_READ_DEVICE_ID: Final = 14
MEI_CANOPEN: Final = 13
DEVICE_ID_CODES: Final[dict[int, str]] = {1: "basic", 2: "regular", 3: "extended", 4: "specific"}
DEVICE_ID_OBJECTS: Final[dict[int, str]] = {
    0: "vendor_name",
    1: "product_code",
    2: "major_minor_revision",
    3: "vendor_url",
    4: "product_name",
    5: "model_name",
    6: "user_application_name",
}

UMAS_FUNCTIONS: Final[dict[int, tuple[str, Op]]] = {
    0x01: ("init_comm", Op.SESSION),
    0x02: ("read_id", Op.IDENTITY),
    0x03: ("read_project_info", Op.IDENTITY),
    0x04: ("read_plc_info", Op.IDENTITY),
    0x06: ("read_card_info", Op.IDENTITY),
    0x0A: ("repeat", Op.DIAGNOSTIC),
    0x10: ("take_plc_reservation", Op.SESSION),
    0x11: ("release_plc_reservation", Op.SESSION),
    0x12: ("keep_alive", Op.SESSION),
    0x20: ("read_memory_block", Op.READ),
    0x22: ("read_variables", Op.READ),
    0x23: ("write_variables", Op.WRITE),
    0x24: ("read_coils_registers", Op.READ),
    0x25: ("write_coils_registers", Op.WRITE),
    0x30: ("initialize_download", Op.PROGRAM),
    0x31: ("download_block", Op.PROGRAM),
    0x32: ("end_download", Op.PROGRAM),
    0x33: ("initialize_upload", Op.PROGRAM),
    0x34: ("upload_block", Op.PROGRAM),
    0x35: ("end_upload", Op.PROGRAM),
    0x36: ("backup", Op.PROGRAM),
    0x37: ("restore", Op.PROGRAM),
    0x38: ("read_ethernet_master_data", Op.READ),
    0x39: ("read_ethernet_master_data", Op.READ),
    0x40: ("start_plc", Op.MODE_CHANGE),
    0x41: ("stop_plc", Op.MODE_CHANGE),
    0x50: ("monitor_plc", Op.DIAGNOSTIC),
    0x58: ("check_plc", Op.DIAGNOSTIC),
    0x70: ("read_io_object", Op.READ),
    0x71: ("write_io_object", Op.WRITE),
    0x73: ("get_status_module", Op.DIAGNOSTIC),
    0xFE: ("response_ok", Op.OTHER),
    0xFD: ("response_error", Op.OTHER),
}


def function_name(code: int) -> str:
    info = FUNCTIONS.get(code)
    if info is not None:
        return info.name
    if any(code in r for r in USER_DEFINED_RANGES):
        return f"user_defined_{code}"
    return f"unknown_{code}"

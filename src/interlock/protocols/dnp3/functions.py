"""DNP3 vocabularies as data: link-layer function codes, application function codes with
their operation class, internal indication (IIN) bits.

Sources: IEEE 1815-2012, sections 9.2.4.1.3 (link functions), 4.2.2.5 (application
function codes, Table 4-1) and 4.2.2.7.3 (internal indications).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.model import OperationClass as Op

LINK_PRIMARY_FUNCTIONS: Final[dict[int, str]] = {
    0: "reset_link_states",
    1: "reset_user_process",
    2: "test_link_states",
    3: "confirmed_user_data",
    4: "unconfirmed_user_data",
    9: "request_link_status",
}
LINK_SECONDARY_FUNCTIONS: Final[dict[int, str]] = {
    0: "ack",
    1: "nack",
    11: "link_status",
    14: "link_not_functioning",
    15: "link_not_used",
}


class FunctionInfo(NamedTuple):
    name: str
    operation: Op
    header_only: bool = False
    """The request's object headers carry no object data (a READ, a FREEZE)."""


FUNCTIONS: Final[dict[int, FunctionInfo]] = {
    0x00: FunctionInfo("confirm", Op.SESSION),
    0x01: FunctionInfo("read", Op.READ, True),
    0x02: FunctionInfo("write", Op.WRITE),
    0x03: FunctionInfo("select", Op.WRITE),
    0x04: FunctionInfo("operate", Op.WRITE),
    0x05: FunctionInfo("direct_operate", Op.WRITE),
    0x06: FunctionInfo("direct_operate_no_ack", Op.WRITE),
    0x07: FunctionInfo("immediate_freeze", Op.WRITE, True),
    0x08: FunctionInfo("immediate_freeze_no_ack", Op.WRITE, True),
    0x09: FunctionInfo("freeze_and_clear", Op.WRITE, True),
    0x0A: FunctionInfo("freeze_and_clear_no_ack", Op.WRITE, True),
    0x0B: FunctionInfo("freeze_at_time", Op.WRITE),
    0x0C: FunctionInfo("freeze_at_time_no_ack", Op.WRITE),
    0x0D: FunctionInfo("cold_restart", Op.RESTART),
    0x0E: FunctionInfo("warm_restart", Op.RESTART),
    0x0F: FunctionInfo("initialize_data", Op.WRITE),
    0x10: FunctionInfo("initialize_application", Op.MODE_CHANGE),
    0x11: FunctionInfo("start_application", Op.MODE_CHANGE),
    0x12: FunctionInfo("stop_application", Op.MODE_CHANGE),
    0x13: FunctionInfo("save_configuration", Op.PROGRAM),
    0x14: FunctionInfo("enable_unsolicited", Op.MODE_CHANGE, True),
    0x15: FunctionInfo("disable_unsolicited", Op.MODE_CHANGE, True),
    0x16: FunctionInfo("assign_class", Op.WRITE, True),
    0x17: FunctionInfo("delay_measure", Op.DIAGNOSTIC),
    0x18: FunctionInfo("record_current_time", Op.WRITE),
    0x19: FunctionInfo("open_file", Op.READ),
    0x1A: FunctionInfo("close_file", Op.SESSION),
    0x1B: FunctionInfo("delete_file", Op.PROGRAM),
    0x1C: FunctionInfo("get_file_info", Op.READ),
    0x1D: FunctionInfo("authenticate_file", Op.SESSION),
    0x1E: FunctionInfo("abort_file", Op.SESSION),
    0x1F: FunctionInfo("activate_config", Op.PROGRAM),
    0x20: FunctionInfo("authenticate_request", Op.SESSION),
    0x21: FunctionInfo("authenticate_error", Op.SESSION),
    0x81: FunctionInfo("response", Op.OTHER),
    0x82: FunctionInfo("unsolicited_response", Op.OTHER),
    0x83: FunctionInfo("authenticate_response", Op.SESSION),
}

CONFIRM: Final = 0x00
READ: Final = 0x01
WRITE: Final = 0x02
OPEN_FILE: Final = 0x19
RESPONSE: Final = 0x81
UNSOLICITED_RESPONSE: Final = 0x82
AUTHENTICATE_RESPONSE: Final = 0x83
RESPONSES: Final = frozenset({RESPONSE, UNSOLICITED_RESPONSE, AUTHENTICATE_RESPONSE})
NO_RESPONSE_EXPECTED: Final = frozenset({0x00, 0x06, 0x08, 0x0A, 0x0C})

AC_FIR: Final = 0x80
AC_FIN: Final = 0x40
AC_CON: Final = 0x20
AC_UNS: Final = 0x10
AC_SEQ: Final = 0x0F

IIN_BITS: Final[dict[int, str]] = {
    0x0100: "all_stations",
    0x0200: "class_1_events",
    0x0400: "class_2_events",
    0x0800: "class_3_events",
    0x1000: "need_time",
    0x2000: "local_control",
    0x4000: "device_trouble",
    0x8000: "device_restart",
    0x0001: "no_func_code_support",
    0x0002: "object_unknown",
    0x0004: "parameter_error",
    0x0008: "event_buffer_overflow",
    0x0010: "already_executing",
    0x0020: "config_corrupt",
    0x0040: "reserved_2",
    0x0080: "reserved_1",
}
IIN_ERRORS: Final = 0x0001 | 0x0002 | 0x0004 | 0x0010
"""IIN2 bits saying the outstation refused or could not parse the request."""


def function_name(code: int) -> str:
    info = FUNCTIONS.get(code)
    return info.name if info is not None else f"unknown_{code}"


def iin_names(iin: int) -> list[str]:
    return [name for bit, name in IIN_BITS.items() if iin & bit]

"""S7comm vocabularies as data: PDU types, Job functions, error classes, item return codes,
memory areas, transport sizes, block types and PI services.

Sources: Wireshark's S7comm dissector (packet-s7comm.c, Thomas Wiens) and the Snap7
project's protocol notes; Siemens' names where they are public (STEP 7 system software
manual, "System and Standard Functions", SFC 51 RDSYSST).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.model import OperationClass as Op

ROSCTR_NAMES: Final[dict[int, str]] = {
    1: "job",
    2: "ack",
    3: "ack_data",
    7: "userdata",
}


class JobFunction(NamedTuple):
    name: str
    operation: Op


READ_VAR: Final = 0x04
WRITE_VAR: Final = 0x05
SETUP_COMMUNICATION: Final = 0xF0
PI_SERVICE: Final = 0x28
PLC_STOP: Final = 0x29
UPDOWNLOAD: Final = frozenset({0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F})

JOB_FUNCTIONS: Final[dict[int, JobFunction]] = {
    0x00: JobFunction("cpu_services", Op.OTHER),
    READ_VAR: JobFunction("read_var", Op.READ),
    WRITE_VAR: JobFunction("write_var", Op.WRITE),
    0x1A: JobFunction("request_download", Op.PROGRAM),
    0x1B: JobFunction("download_block", Op.PROGRAM),
    0x1C: JobFunction("download_ended", Op.PROGRAM),
    0x1D: JobFunction("start_upload", Op.PROGRAM),
    0x1E: JobFunction("upload", Op.PROGRAM),
    0x1F: JobFunction("end_upload", Op.PROGRAM),
    PI_SERVICE: JobFunction("pi_service", Op.OTHER),
    PLC_STOP: JobFunction("plc_stop", Op.MODE_CHANGE),
    SETUP_COMMUNICATION: JobFunction("setup_communication", Op.SESSION),
}

ERROR_CLASSES: Final[dict[int, str]] = {
    0x00: "no_error",
    0x81: "application_relationship",
    0x82: "object_definition",
    0x83: "no_resources",
    0x84: "service_processing",
    0x85: "supplies",
    0x87: "access",
}

RETURN_CODES: Final[dict[int, str]] = {
    0x00: "reserved",
    0x01: "hardware_fault",
    0x03: "access_not_allowed",
    0x05: "invalid_address",
    0x06: "data_type_not_supported",
    0x07: "data_type_inconsistent",
    0x0A: "object_does_not_exist",
    0xFF: "success",
}
RETURN_OK: Final = 0xFF

AREAS: Final[dict[int, str]] = {
    0x03: "system_info",
    0x05: "system_flags",
    0x06: "analog_inputs",
    0x07: "analog_outputs",
    0x1C: "counters",
    0x1D: "timers",
    0x1E: "iec_counters",
    0x1F: "iec_timers",
    0x80: "peripheral",
    0x81: "inputs",
    0x82: "outputs",
    0x83: "flags",
    0x84: "data_blocks",
    0x85: "instance_data_blocks",
    0x86: "local_data",
    0x87: "previous_local_data",
}
AREA_DB: Final = 0x84

TRANSPORT_SIZES: Final[dict[int, str]] = {
    0x01: "bit",
    0x02: "byte",
    0x03: "char",
    0x04: "word",
    0x05: "int",
    0x06: "dword",
    0x07: "dint",
    0x08: "real",
    0x09: "date",
    0x0A: "time_of_day",
    0x0B: "time",
    0x0C: "s5time",
    0x0F: "date_and_time",
    0x1C: "counter",
    0x1D: "timer",
    0x1E: "iec_timer",
    0x1F: "iec_counter",
    0x20: "hs_counter",
}

DATA_TRANSPORT_SIZES: Final[dict[int, str]] = {
    0x00: "null",
    0x03: "bit",
    0x04: "byte_word_dword",
    0x05: "integer",
    0x06: "dinteger",
    0x07: "real",
    0x09: "octet_string",
}
LENGTH_IN_BITS: Final = frozenset({0x03, 0x04, 0x05})
"""Data transport sizes whose item length counts bits rather than bytes."""

SYNTAX_S7ANY: Final = 0x10

BLOCK_TYPES: Final[dict[str, str]] = {
    "08": "OB",
    "0A": "DB",
    "0B": "SDB",
    "0C": "FC",
    "0D": "SFC",
    "0E": "FB",
    "0F": "SFB",
}
BLOCK_TYPE_CODES: Final[dict[int, str]] = {
    0x3038: "OB",
    0x3041: "DB",
    0x3042: "SDB",
    0x3043: "FC",
    0x3044: "SFC",
    0x3045: "FB",
    0x3046: "SFB",
}

PI_SERVICES: Final[dict[str, tuple[str, Op]]] = {
    "P_PROGRAM": ("start_program", Op.MODE_CHANGE),
    "_INSE": ("activate_blocks", Op.PROGRAM),
    "_DELE": ("delete_blocks", Op.PROGRAM),
    "_MODU": ("copy_ram_to_rom", Op.PROGRAM),
    "_GARB": ("compress_memory", Op.PROGRAM),
    "_N_LOGOUT": ("logout", Op.SESSION),
    "_N_LOGIN_": ("login", Op.SESSION),
}
COLD_RESTART_ARGUMENT: Final = "C"
"""P_PROGRAM's argument for a cold restart (Snap7's PlcColdStart sends "C ")."""

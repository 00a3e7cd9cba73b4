"""S7comm userdata vocabularies as data: parameter types, function groups and, per group,
the sub-functions with the operation class each request is.

Names follow Wireshark's S7comm dissector (packet-s7comm.c); the groups are the "test and
installation" (TIS), cyclic, block, CPU, security, PBC, time and NC services of the S7
userdata PDU.
"""

from __future__ import annotations

from typing import Final

from interlock.model import OperationClass as Op

TYPE_PUSH: Final = 0x0
TYPE_REQUEST: Final = 0x4
TYPE_RESPONSE: Final = 0x8
TYPE_NAMES: Final[dict[int, str]] = {
    TYPE_PUSH: "push",
    TYPE_REQUEST: "request",
    TYPE_RESPONSE: "response",
    0x3: "nc_push",
    0x7: "nc_request",
    0xB: "nc_response",
}

GROUP_MODE_TRANSITION: Final = 0x0
GROUP_PROGRAMMER: Final = 0x1
GROUP_CYCLIC: Final = 0x2
GROUP_BLOCK: Final = 0x3
GROUP_CPU: Final = 0x4
GROUP_SECURITY: Final = 0x5
GROUP_PBC: Final = 0x6
GROUP_TIME: Final = 0x7
GROUP_NC: Final = 0xF

GROUP_NAMES: Final[dict[int, str]] = {
    GROUP_MODE_TRANSITION: "mode_transition",
    GROUP_PROGRAMMER: "programmer_commands",
    GROUP_CYCLIC: "cyclic_services",
    GROUP_BLOCK: "block_functions",
    GROUP_CPU: "cpu_functions",
    GROUP_SECURITY: "security",
    GROUP_PBC: "pbc_bsend_brecv",
    GROUP_TIME: "time_functions",
    GROUP_NC: "nc_programming",
}

SUBF_READ_SZL: Final = 0x01
CYCLIC_WITH_ITEMS: Final = frozenset({0x01, 0x05, 0x07})
"""Cyclic sub-functions whose data part starts with an item count (Wireshark shows it)."""
CYCLIC_RDREC: Final = 0x08

SUBFUNCTIONS: Final[dict[int, dict[int, tuple[str, Op]]]] = {
    GROUP_MODE_TRANSITION: {
        0x00: ("stop", Op.DIAGNOSTIC),
        0x01: ("warm_restart", Op.DIAGNOSTIC),
        0x02: ("run", Op.DIAGNOSTIC),
        0x03: ("hot_restart", Op.DIAGNOSTIC),
        0x04: ("hold", Op.DIAGNOSTIC),
        0x06: ("cold_restart", Op.DIAGNOSTIC),
        0x09: ("run_redundant", Op.DIAGNOSTIC),
        0x0B: ("link_up", Op.DIAGNOSTIC),
        0x0C: ("update", Op.DIAGNOSTIC),
    },
    GROUP_PROGRAMMER: {
        0x01: ("block_status", Op.DIAGNOSTIC),
        0x02: ("variable_status", Op.DIAGNOSTIC),
        0x03: ("output_istack", Op.DIAGNOSTIC),
        0x04: ("output_bstack", Op.DIAGNOSTIC),
        0x05: ("output_lstack", Op.DIAGNOSTIC),
        0x06: ("time_measurement", Op.DIAGNOSTIC),
        0x07: ("force_selection", Op.DIAGNOSTIC),
        0x08: ("modify_variable", Op.WRITE),
        0x09: ("force", Op.WRITE),
        0x0A: ("breakpoint", Op.MODE_CHANGE),
        0x0B: ("exit_hold", Op.MODE_CHANGE),
        0x0C: ("memory_reset", Op.PROGRAM),
        0x0D: ("disable_job", Op.DIAGNOSTIC),
        0x0E: ("enable_job", Op.DIAGNOSTIC),
        0x0F: ("delete_job", Op.DIAGNOSTIC),
        0x10: ("read_job_list", Op.DIAGNOSTIC),
        0x11: ("read_job", Op.DIAGNOSTIC),
        0x12: ("replace_job", Op.DIAGNOSTIC),
        0x13: ("block_status_v2", Op.DIAGNOSTIC),
        0x16: ("flash_led", Op.DIAGNOSTIC),
    },
    GROUP_CYCLIC: {
        0x01: ("cyclic_transfer", Op.READ),
        0x04: ("unsubscribe", Op.READ),
        0x05: ("change_driven_transfer", Op.READ),
        0x07: ("change_driven_transfer_modify", Op.READ),
        0x08: ("read_record", Op.READ),
    },
    GROUP_BLOCK: {
        0x01: ("list_blocks", Op.DISCOVERY),
        0x02: ("list_blocks_of_type", Op.DISCOVERY),
        0x03: ("get_block_info", Op.DISCOVERY),
    },
    GROUP_CPU: {
        0x01: ("read_szl", Op.DIAGNOSTIC),
        0x02: ("message_service", Op.DIAGNOSTIC),
        0x03: ("diagnostic_message", Op.DIAGNOSTIC),
        0x05: ("alarm8_indication", Op.DIAGNOSTIC),
        0x06: ("notify_indication", Op.DIAGNOSTIC),
        0x07: ("alarm8_lock", Op.DIAGNOSTIC),
        0x08: ("alarm8_unlock", Op.DIAGNOSTIC),
        0x09: ("scan_indication", Op.DIAGNOSTIC),
        0x0B: ("alarm_ack", Op.DIAGNOSTIC),
        0x0C: ("alarm_ack_indication", Op.DIAGNOSTIC),
        0x0D: ("alarm8_lock_indication", Op.DIAGNOSTIC),
        0x0E: ("alarm8_unlock_indication", Op.DIAGNOSTIC),
        0x11: ("alarm_sq_indication", Op.DIAGNOSTIC),
        0x12: ("alarm_s_indication", Op.DIAGNOSTIC),
        0x13: ("alarm_query", Op.DIAGNOSTIC),
        0x16: ("notify8_indication", Op.DIAGNOSTIC),
    },
    GROUP_SECURITY: {
        0x01: ("set_password", Op.SESSION),
        0x02: ("clear_password", Op.SESSION),
    },
    GROUP_PBC: {
        0x01: ("bsend_brecv", Op.OTHER),
    },
    GROUP_TIME: {
        0x01: ("read_clock", Op.DIAGNOSTIC),
        0x02: ("set_clock", Op.WRITE),
        0x03: ("read_clock_following", Op.DIAGNOSTIC),
        0x04: ("set_clock_2", Op.WRITE),
    },
    GROUP_NC: {
        0x01: ("request_download", Op.PROGRAM),
        0x02: ("download_block", Op.PROGRAM),
        0x03: ("continue_download", Op.PROGRAM),
        0x04: ("download_ended", Op.PROGRAM),
        0x06: ("start_upload", Op.PROGRAM),
        0x07: ("upload", Op.PROGRAM),
        0x08: ("continue_upload", Op.PROGRAM),
    },
}


def subfunction(group: int, subfunc: int) -> tuple[str, Op]:
    """Name and operation class of a userdata sub-function (unknown ones are "other")."""
    known = SUBFUNCTIONS.get(group, {}).get(subfunc)
    if known is not None:
        return known
    group_name = GROUP_NAMES.get(group, f"group_{group}")
    return f"{group_name}_{subfunc}", Op.OTHER

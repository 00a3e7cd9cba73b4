"""S7comm-plus function codes as data, with the operation class each request is.

Names from the S7comm-plus Wireshark plugin (Thomas Wiens). S7comm-plus names objects
rather than functions: downloads and uploads are CreateObject/SetVarSubStreamed and
GetVarSubStreamed on program objects, so without decoding the object model a function
says what kind of access it is, not whether the program changes.
"""

from __future__ import annotations

from typing import Final

from interlock.model import OperationClass as Op

FUNCTIONS: Final[dict[int, tuple[str, Op]]] = {
    0x04B1: ("error", Op.OTHER),
    0x04BB: ("explore", Op.DISCOVERY),
    0x04CA: ("create_object", Op.SESSION),
    0x04D4: ("delete_object", Op.SESSION),
    0x04F2: ("set_variable", Op.WRITE),
    0x04FC: ("get_variable", Op.READ),
    0x0506: ("add_link", Op.OTHER),
    0x051A: ("remove_link", Op.OTHER),
    0x0524: ("get_link", Op.READ),
    0x0542: ("set_multi_variables", Op.WRITE),
    0x054C: ("get_multi_variables", Op.READ),
    0x0556: ("begin_sequence", Op.SESSION),
    0x0560: ("end_sequence", Op.SESSION),
    0x056B: ("invoke", Op.OTHER),
    0x057C: ("set_var_sub_streamed", Op.WRITE),
    0x0586: ("get_var_sub_streamed", Op.READ),
    0x0590: ("get_variables_address", Op.READ),
    0x059A: ("abort", Op.SESSION),
    0x05A9: ("error2", Op.OTHER),
    0x05B3: ("init_ssl", Op.SESSION),
}


def function_info(code: int) -> tuple[str, Op]:
    return FUNCTIONS.get(code, (f"function_{code:#06x}", Op.OTHER))

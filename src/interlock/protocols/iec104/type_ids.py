"""ASDU type identifications (IEC 60870-5-101 section 7.2.1, IEC 60870-5-104 section 8):
names, what each is for, and how Wireshark 4.0 sizes its information elements.

Data, not logic: one row per type id. ``size`` is the element length without the IOA as
packet-iec104.c's asdu_length table gives it; ``walked`` says whether Wireshark 4.0 walks
the information objects of that type (every other type shows its first IOA and raw bytes).
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

Kind = Literal["monitor", "command", "system", "parameter", "file", "security"]


class TypeInfo(NamedTuple):
    name: str
    kind: Kind
    size: int
    walked: bool


def _t(name: str, kind: Kind, size: int, walked: bool = True) -> TypeInfo:
    return TypeInfo(name, kind, size, walked)


TYPES: Final[dict[int, TypeInfo]] = {
    1: _t("M_SP_NA_1", "monitor", 1),
    2: _t("M_SP_TA_1", "monitor", 4),
    3: _t("M_DP_NA_1", "monitor", 1),
    4: _t("M_DP_TA_1", "monitor", 4),
    5: _t("M_ST_NA_1", "monitor", 2),
    6: _t("M_ST_TA_1", "monitor", 5),
    7: _t("M_BO_NA_1", "monitor", 5),
    8: _t("M_BO_TA_1", "monitor", 8),
    9: _t("M_ME_NA_1", "monitor", 3),
    10: _t("M_ME_TA_1", "monitor", 6),
    11: _t("M_ME_NB_1", "monitor", 3),
    12: _t("M_ME_TB_1", "monitor", 6),
    13: _t("M_ME_NC_1", "monitor", 5),
    14: _t("M_ME_TC_1", "monitor", 8),
    15: _t("M_IT_NA_1", "monitor", 5),
    16: _t("M_IT_TA_1", "monitor", 8),
    20: _t("M_PS_NA_1", "monitor", 5, walked=False),
    21: _t("M_ME_ND_1", "monitor", 2),
    30: _t("M_SP_TB_1", "monitor", 8),
    31: _t("M_DP_TB_1", "monitor", 8),
    32: _t("M_ST_TB_1", "monitor", 9),
    33: _t("M_BO_TB_1", "monitor", 12),
    34: _t("M_ME_TD_1", "monitor", 10),
    35: _t("M_ME_TE_1", "monitor", 10),
    36: _t("M_ME_TF_1", "monitor", 12),
    37: _t("M_IT_TB_1", "monitor", 12),
    38: _t("M_EP_TD_1", "monitor", 10, walked=False),
    39: _t("M_EP_TE_1", "monitor", 11, walked=False),
    40: _t("M_EP_TF_1", "monitor", 11, walked=False),
    41: _t("S_IT_TC_1", "security", 0, walked=False),
    45: _t("C_SC_NA_1", "command", 1),
    46: _t("C_DC_NA_1", "command", 1),
    47: _t("C_RC_NA_1", "command", 1),
    48: _t("C_SE_NA_1", "command", 3),
    49: _t("C_SE_NB_1", "command", 3),
    50: _t("C_SE_NC_1", "command", 5),
    51: _t("C_BO_NA_1", "command", 4),
    58: _t("C_SC_TA_1", "command", 8),
    59: _t("C_DC_TA_1", "command", 8),
    60: _t("C_RC_TA_1", "command", 8),
    61: _t("C_SE_TA_1", "command", 10),
    62: _t("C_SE_TB_1", "command", 10),
    63: _t("C_SE_TC_1", "command", 12),
    64: _t("C_BO_TA_1", "command", 11),
    70: _t("M_EI_NA_1", "monitor", 1),
    81: _t("S_CH_NA_1", "security", 0, walked=False),
    82: _t("S_RP_NA_1", "security", 0, walked=False),
    83: _t("S_AR_NA_1", "security", 0, walked=False),
    84: _t("S_KR_NA_1", "security", 0, walked=False),
    85: _t("S_KS_NA_1", "security", 0, walked=False),
    86: _t("S_KC_NA_1", "security", 0, walked=False),
    87: _t("S_ER_NA_1", "security", 0, walked=False),
    90: _t("S_US_NA_1", "security", 0, walked=False),
    91: _t("S_UQ_NA_1", "security", 0, walked=False),
    92: _t("S_UR_NA_1", "security", 0, walked=False),
    93: _t("S_UK_NA_1", "security", 0, walked=False),
    94: _t("S_UA_NA_1", "security", 0, walked=False),
    95: _t("S_UC_NA_1", "security", 0, walked=False),
    100: _t("C_IC_NA_1", "system", 1),
    101: _t("C_CI_NA_1", "system", 1),
    102: _t("C_RD_NA_1", "system", 0, walked=False),
    103: _t("C_CS_NA_1", "system", 7),
    104: _t("C_TS_NA_1", "system", 2, walked=False),
    105: _t("C_RP_NA_1", "system", 1),
    106: _t("C_CD_NA_1", "system", 2, walked=False),
    107: _t("C_TS_TA_1", "system", 9, walked=False),
    110: _t("P_ME_NA_1", "parameter", 3),
    111: _t("P_ME_NB_1", "parameter", 3),
    112: _t("P_ME_NC_1", "parameter", 5),
    113: _t("P_AC_NA_1", "parameter", 1, walked=False),
    120: _t("F_FR_NA_1", "file", 6, walked=False),
    121: _t("F_SR_NA_1", "file", 7, walked=False),
    122: _t("F_SC_NA_1", "file", 4, walked=False),
    123: _t("F_LS_NA_1", "file", 5, walked=False),
    124: _t("F_AF_NA_1", "file", 4, walked=False),
    125: _t("F_SG_NA_1", "file", 0, walked=False),
    126: _t("F_DR_TA_1", "file", 13, walked=False),
    127: _t("F_SC_NB_1", "file", 16, walked=False),
}

CAUSES: Final[dict[int, str]] = {
    1: "periodic",
    2: "background",
    3: "spontaneous",
    4: "initialized",
    5: "request",
    6: "activation",
    7: "activation_confirmation",
    8: "deactivation",
    9: "deactivation_confirmation",
    10: "activation_termination",
    11: "return_remote",
    12: "return_local",
    13: "file_transfer",
    14: "authentication",
    15: "session_key",
    16: "user_role_key",
    **{20 + g: ("station_interrogation" if not g else f"group_{g}_interrogation") for g in range(17)},
    **{37 + g: ("counter_interrogation" if not g else f"group_{g}_counter_interrogation")
       for g in range(5)},
    44: "unknown_type_id",
    45: "unknown_cause",
    46: "unknown_common_address",
    47: "unknown_ioa",
}  # fmt: skip

ACTIVATION: Final = 6
ACTIVATION_CON: Final = 7
DEACTIVATION: Final = 8
DEACTIVATION_CON: Final = 9
ACTIVATION_TERM: Final = 10
UNKNOWN_CAUSES: Final = frozenset({44, 45, 46, 47})
"""Negative answers naming what the station did not know (type, cause, address, IOA)."""


def type_name(type_id: int) -> str:
    info = TYPES.get(type_id)
    return info.name if info is not None else f"type_{type_id}"


def cause_name(cause: int) -> str:
    return CAUSES.get(cause, f"cause_{cause}")


def is_control_direction(type_id: int) -> bool:
    """Types a controlling station sends as activations (commands, system, parameters)."""
    info = TYPES.get(type_id)
    return info is not None and info.kind in ("command", "system", "parameter")

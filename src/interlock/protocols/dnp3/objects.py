"""DNP3 object library as data (IEEE 1815-2012, Annex A): groups, their variations and the
layout of one object (one point) of each, so that sizes and values come from one table.

A layout is a string of field codes, read in order (all little-endian):

    f flags (1)    s control status (1)   c control code (1)   n count (1)   b uint8 (1)
    h int16 (2)    H uint16 (2)           r relative ms (2)
    i int32 (4)    I uint32 (4)           F float32 (4)
    D float64 (8)  T DNP3 time, ms since 1970 (6)

and four special layouts: "" (no data: a default variation or a class), BITS (points
packed one bit each), DOUBLE_BITS (two bits each), and VARIABLE (size given by an object
size prefix, by the variation itself for octet strings, or self-described for group 0).
"""

from __future__ import annotations

from typing import Final

BITS: Final = "1"
DOUBLE_BITS: Final = "2"
VARIABLE: Final = "*"

FIELD_SIZES: Final[dict[str, int]] = {
    "f": 1,
    "s": 1,
    "c": 1,
    "n": 1,
    "b": 1,
    "h": 2,
    "H": 2,
    "r": 2,
    "i": 4,
    "I": 4,
    "F": 4,
    "D": 8,
    "T": 6,
}

_COUNTER_EVENTS: Final = {
    0: "",
    1: "fI",
    2: "fH",
    3: "fI",
    4: "fH",
    5: "fIT",
    6: "fHT",
    7: "fIT",
    8: "fHT",
}
_ANALOG_EVENTS: Final = {
    0: "",
    1: "fi",
    2: "fh",
    3: "fiT",
    4: "fhT",
    5: "fF",
    6: "fD",
    7: "fFT",
    8: "fDT",
}

GROUPS: Final[dict[int, tuple[str, dict[int, str]]]] = {
    0: ("device_attributes", {v: VARIABLE for v in range(256)}),
    1: ("binary_inputs", {0: "", 1: BITS, 2: "f"}),
    2: ("binary_input_events", {0: "", 1: "f", 2: "fT", 3: "fr"}),
    3: ("double_bit_inputs", {0: "", 1: DOUBLE_BITS, 2: "f"}),
    4: ("double_bit_input_events", {0: "", 1: "f", 2: "fT", 3: "fr"}),
    10: ("binary_outputs", {0: "", 1: BITS, 2: "f"}),
    11: ("binary_output_events", {0: "", 1: "f", 2: "fT"}),
    12: ("binary_output_commands", {0: "", 1: "cnIIs", 2: "cnIIs", 3: BITS}),
    13: ("binary_output_command_events", {0: "", 1: "s", 2: "sT"}),
    20: ("counters", {0: "", 1: "fI", 2: "fH", 3: "fI", 4: "fH", 5: "I", 6: "H", 7: "I", 8: "H"}),
    21: (
        "frozen_counters",
        {0: "", 1: "fI", 2: "fH", 3: "fI", 4: "fH", 5: "fIT", 6: "fHT", 7: "fIT", 8: "fHT"}
        | {9: "I", 10: "H", 11: "I", 12: "H"},
    ),
    22: ("counter_events", _COUNTER_EVENTS),
    23: ("frozen_counter_events", _COUNTER_EVENTS),
    30: ("analog_inputs", {0: "", 1: "fi", 2: "fh", 3: "i", 4: "h", 5: "fF", 6: "fD"}),
    31: (
        "frozen_analog_inputs",
        {0: "", 1: "fi", 2: "fh", 3: "fiT", 4: "fhT", 5: "i", 6: "h", 7: "fF", 8: "fD"},
    ),
    32: ("analog_input_events", _ANALOG_EVENTS),
    33: ("frozen_analog_input_events", _ANALOG_EVENTS),
    34: ("analog_input_deadbands", {0: "", 1: "H", 2: "I", 3: "F"}),
    40: ("analog_outputs", {0: "", 1: "fi", 2: "fh", 3: "fF", 4: "fD"}),
    41: ("analog_output_commands", {0: "", 1: "is", 2: "hs", 3: "Fs", 4: "Ds"}),
    42: ("analog_output_events", _ANALOG_EVENTS),
    43: (
        "analog_output_command_events",
        {0: "", 1: "si", 2: "sh", 3: "siT", 4: "shT", 5: "sF", 6: "sD", 7: "sFT", 8: "sDT"},
    ),
    50: ("time", {0: "", 1: "T", 2: "TI", 3: "T", 4: "TIb"}),
    51: ("common_time_of_occurrence", {1: "T", 2: "T"}),
    52: ("time_delay", {1: "H", 2: "H"}),
    60: ("class_data", {1: "", 2: "", 3: "", 4: ""}),
    70: ("files", {v: VARIABLE for v in range(1, 9)}),
    80: ("internal_indications", {1: BITS}),
    81: ("device_storage", {1: "bbb"}),
    82: ("device_profile", {1: VARIABLE}),
    83: ("private_registration", {1: VARIABLE, 2: VARIABLE}),
    85: ("data_set_prototypes", {1: VARIABLE}),
    86: ("data_set_descriptors", {1: VARIABLE, 2: VARIABLE, 3: VARIABLE}),
    87: ("data_sets", {1: VARIABLE}),
    88: ("data_set_events", {1: VARIABLE}),
    90: ("applications", {1: VARIABLE}),
    91: ("operation_status", {1: VARIABLE}),
    101: ("bcd_integers", {1: "H", 2: "I", 3: "II"}),
    102: ("unsigned_integers", {1: "b"}),
    110: ("octet_strings", {v: VARIABLE for v in range(256)}),
    111: ("octet_string_events", {v: VARIABLE for v in range(256)}),
    112: ("virtual_terminal_output", {v: VARIABLE for v in range(256)}),
    113: ("virtual_terminal_events", {v: VARIABLE for v in range(256)}),
    120: ("authentication", {v: VARIABLE for v in range(1, 16)}),
    121: ("security_statistics", {1: "fHI"}),
    122: ("security_statistic_events", {1: "fHI", 2: "fHIT"}),
}
"""group -> (address space name, {variation: layout})."""

LENGTH_IN_VARIATION: Final = frozenset({110, 111, 112, 113})
"""Groups whose variation is the length of each object (octet strings, terminal data)."""


def layout(group: int, variation: int) -> str | None:
    """The layout of one object, or None when the object is not in the library."""
    entry = GROUPS.get(group)
    return entry[1].get(variation) if entry is not None else None


def layout_size(fields: str) -> int:
    """Bytes of a fixed layout."""
    return sum(FIELD_SIZES[c] for c in fields)


def space_name(group: int) -> str:
    entry = GROUPS.get(group)
    return entry[0] if entry is not None else f"group_{group}"

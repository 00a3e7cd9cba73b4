"""Data: how long each known object attribute's value is on the wire, and which attributes a
Get_Attributes_All reply carries. Hand-maintained; measured against Wireshark 4.0.17 with
crafted Get_Attribute_List and Get_Attributes_All replies, so that a reply is walked as
far as Wireshark walks it (no further, no less).

A layout is (base, count_at, count_width, element, pad): the value takes
base + element * count bytes, count being the little-endian number of count_width bytes
at count_at (count_width 0: a fixed size of base bytes). element -8 counts bits (one
byte per eight); pad rounds the counted part up to an even length (padded STRING).
REST takes whatever is left. Sources for the meanings: CIP Volume 1 (Identity 5-2,
Message Router 5-3, Connection Manager 3-5, class attributes 4-4.1, Port 3-7, Time Sync
5-35, DLR 5-50, QoS 5-51, security objects 5-55 to 5-57) and Volume 2 (TCP/IP Interface
5-4, Ethernet Link 5-5), Volume 5 (safety supervisor and validator).
"""

from __future__ import annotations

from typing import Final, Literal

Layout = tuple[int, int, int, int, bool]

F1: Final[Layout] = (1, 0, 0, 0, False)
F2: Final[Layout] = (2, 0, 0, 0, False)
F4: Final[Layout] = (4, 0, 0, 0, False)
F6: Final[Layout] = (6, 0, 0, 0, False)
F8: Final[Layout] = (8, 0, 0, 0, False)
F10: Final[Layout] = (10, 0, 0, 0, False)
SHORT_STRING: Final[Layout] = (1, 0, 1, 1, False)
UINT_ARRAY: Final[Layout] = (2, 0, 2, 2, False)
"""A UINT count then that many UINTs; a padded EPATH (size in words) has the same length."""
USINT_COUNTED_UINTS: Final[Layout] = (1, 0, 1, 2, False)
PADDED_STRING: Final[Layout] = (2, 0, 2, 1, True)
REST: Final[Layout] = (-1, 0, 0, 0, False)


def _fixed(size: int) -> Layout:
    return (size, 0, 0, 0, False)


CLASS_ATTRIBUTES: Final[dict[int, Layout]] = {
    1: F2,  # revision
    2: F2,  # max instance
    3: F2,  # number of instances
    4: UINT_ARRAY,  # optional attribute list
    5: UINT_ARRAY,  # optional service list
    6: F2,  # maximum id of class attributes
    7: F2,  # maximum id of instance attributes
}
"""Class attributes (instance 0) every class has."""

CLASS_LEVEL: Final[dict[int, dict[int, Layout]]] = {
    0x3A: {8: F2},
    0x42: {14: F1, 15: F1, 31: F1, 34: F4, 36: F1},
    0x5F: {8: F4, 9: USINT_COUNTED_UINTS},
    0xF3: {2: F4, 3: F4, 8: F2, 9: F4},
    0xF4: {8: F2, 9: REST},
}
"""Class attributes particular to a class (overriding the common ones)."""

INSTANCE_LEVEL: Final[dict[int, dict[int, Layout]]] = {
    0x01: {  # Identity
        1: F2, 2: F2, 3: F2, 4: F2, 5: F2, 6: F4, 7: SHORT_STRING, 8: F1, 9: F2, 10: F1,
    },
    0x02: {1: UINT_ARRAY, 2: F2, 3: F2, 4: REST},  # Message Router
    0x06: {  # Connection Manager
        **{a: F2 for a in range(1, 9)}, 9: (2, 0, 2, -8, False), 11: F2, 12: F4, 13: F4,
    },
    0x39: {  # Safety Supervisor
        1: F1, **{a: SHORT_STRING for a in range(5, 11)}, 11: F1, 12: F1, 15: F1, 16: F1,
        17: F6, 18: F1, 19: F2, 20: F2, 21: F2, 22: F1, 23: F4, 24: F1, 25: F10, 26: F10,
        27: F10, 28: (2, 0, 2, 11, False), 29: F10,
    },
    0x3A: {  # Safety Validator
        1: F1, 2: F1, 3: F2, 4: USINT_COUNTED_UINTS, 5: USINT_COUNTED_UINTS,
        6: SHORT_STRING, 7: F1, 8: F2, 9: USINT_COUNTED_UINTS, 10: F2, 11: F2, 12: F2,
        13: REST, 14: F2, 15: SHORT_STRING,
    },
    0x42: {40: F1},  # Motion Axis
    0x43: {  # Time Sync
        1: F1, 2: F1, 3: F8, 4: F8, 5: F8, 6: F8, 7: F8, 8: _fixed(24), 9: _fixed(16),
        10: _fixed(20), 11: F2, 12: (2, 0, 2, 4, False), 13: (2, 0, 2, 4, False),
        14: (2, 0, 2, 4, False), 15: (2, 0, 2, 4, False), 16: F1, 17: F1, 18: F1, 19: F2,
        20: F4, 21: (4, 0, 4, 1, False), 22: (4, 0, 4, 1, False), 23: (4, 0, 4, 1, False),
        24: (2, 0, 2, 10, False), 25: (2, 0, 2, 36, False), 26: (2, 0, 2, 22, False),
        27: F2, 28: _fixed(16),
    },
    0x47: {  # Device Level Ring
        1: F1, 2: F1, 3: F1, 4: _fixed(12), 5: F2, 6: F10, 7: F10, 8: F2, 10: F10, 11: F1,
        12: F4, 13: _fixed(11), 14: F1, 15: F10, 16: F1,
    },
    0x48: {a: F1 for a in range(1, 9)},  # QoS
    0x4C: {1: F6, 2: F4, 3: F2, 4: F2, 5: F4, 6: F2},  # Sercos III link
    0x5D: {1: F1, 2: F2},  # CIP Security
    0x5E: {  # EtherNet/IP Security
        1: F1, 2: F4, 3: USINT_COUNTED_UINTS, 4: USINT_COUNTED_UINTS,
        5: USINT_COUNTED_UINTS, 6: SHORT_STRING, 7: SHORT_STRING, 8: USINT_COUNTED_UINTS,
        9: F1, 10: F1, 11: F1,
    },
    0x5F: {1: SHORT_STRING, 2: F1, 3: (2, 1, 1, 2, False), 4: (2, 1, 1, 2, False), 5: F1},
    0xF4: {  # Port
        1: F2, 2: F2, 3: UINT_ARRAY, 4: SHORT_STRING, 7: F2, 8: F4, 9: F2,
        11: SHORT_STRING,
    },
    0xF5: {  # TCP/IP Interface
        1: F4, 2: F4, 3: F4, 4: UINT_ARRAY, 5: (22, 20, 2, 1, True), 6: PADDED_STRING,
        7: F6, 8: F1, 9: F8, 10: F1, 11: _fixed(35), 12: F1, 13: F2,
        14: (1, 0, 1, 6, False),
    },
    0xF6: {  # Ethernet Link
        1: F4, 2: F4, 3: F6, 4: _fixed(44), 5: _fixed(48), 6: F4, 7: F1, 8: F1, 9: F1,
        10: SHORT_STRING, 11: (5, 4, 1, 3, False), 12: _fixed(64), 13: _fixed(48),
    },
}  # fmt: skip
"""Instance attributes (any instance but 0) Wireshark decodes, by class."""

GET_ALL_INSTANCE: Final[dict[int, tuple[int, ...]]] = {
    0x01: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    0x02: (1, 2, 3, 4),
    0x06: (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13),
    0x3A: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
    0x47: (1, 2),
    0x5D: (1, 2),
    0x5E: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
    0x5F: (1, 2, 3, 4, 5),
    0xF4: (1, 2, 3, 4, 7),
    0xF5: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
    0xF6: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
}
"""Attributes a Get_Attributes_All reply for an instance carries, in order."""

_ALL_CLASS_ATTRIBUTES: Final = (1, 2, 3, 4, 5, 6, 7)
GET_ALL_CLASS: Final[dict[int, tuple[int, ...]]] = {
    0x01: (1, 2, 6, 7),
    0x02: (1, 4, 5, 6, 7),
    0x06: (1, 2, 6, 7),
    0x43: _ALL_CLASS_ATTRIBUTES,
    0x47: _ALL_CLASS_ATTRIBUTES,
    0x48: _ALL_CLASS_ATTRIBUTES,
    0x5F: (1, 2, 6, 7, 8, 9),
    0xF3: (1, 2, 3, 8, 9),
    0xF4: (1, 2, 3, 8, 9),
    0xF5: _ALL_CLASS_ATTRIBUTES,
    0xF6: _ALL_CLASS_ATTRIBUTES,
}
"""Attributes a Get_Attributes_All reply for the class (instance 0) carries, in order."""


Leniency = Literal["any", "elements", "fixed_part"]

LENIENT: Final[dict[tuple[int, bool, int], Leniency]] = {
    **dict.fromkeys(
        [
            (0x01, False, 4), (0x01, False, 5), (0x4C, False, 5), (0x5E, False, 2),
            (0x5F, True, 8), (0x39, False, 28),
            *((0x39, False, a) for a in (25, 26, 27, 29)),
            *((0x43, False, a) for a in (8, 9, 10, 12, 13, 14, 15, 19, 20)),
            *((0x43, False, a) for a in (21, 22, 23, 24, 25, 26, 28)),
            *((0x47, False, a) for a in (4, 6, 7, 10, 12, 13, 15)),
            *((0xF5, False, a) for a in (1, 2, 3, 7, 9, 11)),
            *((0xF6, False, a) for a in (2, 3, 4, 5, 6)),
        ],
        "any",
    ),
    **dict.fromkeys(
        [
            (0x01, False, 7), (0x02, False, 1), (0x5E, False, 8), (0xF6, False, 10),
            *((0x39, False, a) for a in range(5, 11)),
            *((0x3A, False, a) for a in (4, 5, 6, 9, 15)),
            *((0x5F, False, a) for a in (1, 3, 4)),
            (0xF4, False, 3), (0xF4, False, 4), (0xF5, False, 4), (0xF5, False, 6),
        ],
        "elements",
    ),
    (0xF5, False, 5): "fixed_part",  # interface configuration: its domain name throws
}  # fmt: skip
"""Attributes whose Wireshark decoder checks the length, so that a value cut short is
reported rather than thrown on (the rest of the message is still dissected): "any" cut,
only a cut in the counted elements (a count cut short still throws), or only a cut in
the fixed part before the count ("fixed_part"). Every class's
optional attribute and service lists (class attributes 4 and 5) are "elements" too.
Measured against Wireshark 4.0.17 like the layouts."""


def lenient(class_id: int | None, instance: int | None, attribute: int, counted: bool) -> bool:
    """Whether a value cut short is only reported (counted: its count could be read)."""
    kind = LENIENT.get((class_id or 0, instance == 0, attribute))
    if kind is None and instance == 0 and attribute in (4, 5):
        kind = "elements"
    if kind == "fixed_part":
        return not counted
    return kind == "any" or (kind == "elements" and counted)


def layout(class_id: int, instance: int, attribute: int) -> Layout | None:
    """The layout of an attribute's value, or None when it is not known."""
    if instance == 0:
        special = CLASS_LEVEL.get(class_id)
        if special is not None and attribute in special:
            return special[attribute]
        return CLASS_ATTRIBUTES.get(attribute)
    return INSTANCE_LEVEL.get(class_id, {}).get(attribute)


def get_all_order(class_id: int, instance: int) -> tuple[int, ...] | None:
    return (GET_ALL_CLASS if instance == 0 else GET_ALL_INSTANCE).get(class_id)

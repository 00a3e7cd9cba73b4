"""The baseline's rules: ids, titles, severities and ATT&CK for ICS techniques (v18.1,
../shared/reference/attack-ics.md).

A rule keeps one id whatever it saw; its techniques and severity follow what the deviating
traffic does (a new client that only reads is Monitor Process State, one that stops the
PLC is Change Operating Mode), so each rule has one RuleInfo per kind of operation.
"""

from __future__ import annotations

from typing import Final

from interlock.detect.alert import Severity
from interlock.detect.hits import RuleInfo

NEW_TALKER: Final = "baseline.new_talker"
NEW_FUNCTION: Final = "baseline.new_function"
NEW_ADDRESS_RANGE: Final = "baseline.new_address_range"
VALUE_OUT_OF_RANGE: Final = "baseline.value_out_of_range"
RATE_CHANGE: Final = "baseline.rate_change"
UNKNOWN_CLIENT_COMMAND: Final = "baseline.unknown_client_command"
RULE_IDS: Final = (
    NEW_TALKER,
    NEW_FUNCTION,
    NEW_ADDRESS_RANGE,
    VALUE_OUT_OF_RANGE,
    RATE_CHANGE,
    UNKNOWN_CLIENT_COMMAND,
)
EVERY_RULE: Final = frozenset(RULE_IDS)

TITLES: Final = {
    NEW_TALKER: "Client not in the baseline",
    NEW_FUNCTION: "Function not in the baseline",
    NEW_ADDRESS_RANGE: "Addresses outside the learned ranges",
    VALUE_OUT_OF_RANGE: "Value outside the learned range",
    RATE_CHANGE: "Message rate outside the learned range",
    UNKNOWN_CLIENT_COMMAND: "Command from a client the baseline never saw commanding",
}
DESCRIPTIONS: Final = {
    NEW_TALKER: "A client talks to a server over a protocol the baseline never saw them use.",
    NEW_FUNCTION: "A known client uses a function on a server the baseline never saw it use.",
    NEW_ADDRESS_RANGE: "A read or write reaches addresses outside the ranges learned for "
    "that space of that unit.",
    VALUE_OUT_OF_RANGE: "A written or reported value lies outside the range learned for "
    "that point.",
    RATE_CHANGE: "In a full capture minute, a function between two hosts ran more than "
    "the learned maximum times the rate factor, or fewer than the learned minimum divided "
    "by it.",
    UNKNOWN_CLIENT_COMMAND: "A write or command (program, mode change, restart) from a "
    "client the baseline never saw commanding that server.",
}

BY_OPERATION: Final[dict[str, tuple[str, ...]]] = {
    "read": ("T0801",),  # Monitor Process State
    "write": ("T0855",),  # Unauthorized Command Message
    "program": ("T0843",),  # Program Download
    "mode_change": ("T0858",),  # Change Operating Mode
    "restart": ("T0816",),  # Device Restart/Shutdown
    "diagnostic": ("T0888",),  # Remote System Information Discovery
    "discovery": ("T0846",),  # Remote System Discovery
    "identity": ("T0888",),
    "session": (),
    "other": (),
}
SEVERITY_BY_OPERATION: Final[dict[str, Severity]] = {
    "write": "high",
    "program": "high",
    "mode_change": "high",
    "restart": "high",
}


def _info(rule: str, severity: Severity, techniques: tuple[str, ...]) -> RuleInfo:
    return RuleInfo(rule, TITLES[rule], severity, techniques, DESCRIPTIONS[rule])


def _per_operation(rule: str, default: Severity) -> dict[str, RuleInfo]:
    return {
        op: _info(rule, SEVERITY_BY_OPERATION.get(op, default), techniques)
        for op, techniques in BY_OPERATION.items()
    }


_NEW_TALKER = _per_operation(NEW_TALKER, "medium")
_NEW_FUNCTION = _per_operation(NEW_FUNCTION, "medium")
UPLOAD: Final = _info(NEW_FUNCTION, "high", ("T0845",))  # Program Upload
UPLOAD_FROM_NEW_TALKER: Final = _info(NEW_TALKER, "high", ("T0845",))
NEW_READ_RANGE: Final = _info(NEW_ADDRESS_RANGE, "medium", ("T0861",))  # Point & Tag Identification
NEW_WRITE_RANGE: Final = _info(NEW_ADDRESS_RANGE, "high", ("T0836",))  # Modify Parameter
WRITTEN_VALUE: Final = _info(VALUE_OUT_OF_RANGE, "high", ("T0836",))
REPORTED_VALUE: Final = _info(VALUE_OUT_OF_RANGE, "low", ())
"""A reported process value outside its range is a process fact, not an attack step."""
RATE_UP_WRITES: Final = _info(RATE_CHANGE, "high", ("T0806",))  # Brute Force I/O
RATE_UP: Final = _info(RATE_CHANGE, "medium", ("T0814",))  # Denial of Service
RATE_DOWN: Final = _info(RATE_CHANGE, "medium", ())
ROGUE_MASTER: Final = _info(UNKNOWN_CLIENT_COMMAND, "critical", ("T0848", "T0855"))
UNAUTHORIZED_COMMAND: Final = _info(UNKNOWN_CLIENT_COMMAND, "high", ("T0855",))


def new_talker(operation: str, function_name: str) -> RuleInfo:
    if operation == "program" and "upload" in function_name.lower():
        return UPLOAD_FROM_NEW_TALKER
    return _NEW_TALKER.get(operation, _NEW_TALKER["other"])


def new_function(operation: str, function_name: str) -> RuleInfo:
    if operation == "program" and "upload" in function_name.lower():
        return UPLOAD
    return _NEW_FUNCTION.get(operation, _NEW_FUNCTION["other"])


def all_rules() -> list[RuleInfo]:
    """One RuleInfo per rule id, for listings (`interlock rules`, docs)."""
    return [
        _NEW_TALKER["read"],
        _NEW_FUNCTION["read"],
        NEW_READ_RANGE,
        WRITTEN_VALUE,
        RATE_UP,
        UNAUTHORIZED_COMMAND,
    ]

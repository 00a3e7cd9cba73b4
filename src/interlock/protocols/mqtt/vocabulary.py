"""MQTT vocabularies as data: control packet types, v5 properties, return and reason codes.

Sources: MQTT Version 3.1 (IBM, 2010), MQTT Version 3.1.1 (OASIS Standard, 2014), section
2.2.1 (packet types), 2.2.2 (flags), 3.2.2.3 (CONNACK return codes), 3.9.3 (SUBACK); MQTT
Version 5.0 (OASIS Standard, 2019), section 2.2.2.2 (properties) and 2.4 (reason codes).
"""

from __future__ import annotations

from typing import Final

CONNECT: Final = 1
CONNACK: Final = 2
PUBLISH: Final = 3
PUBACK: Final = 4
PUBREC: Final = 5
PUBREL: Final = 6
PUBCOMP: Final = 7
SUBSCRIBE: Final = 8
SUBACK: Final = 9
UNSUBSCRIBE: Final = 10
UNSUBACK: Final = 11
PINGREQ: Final = 12
PINGRESP: Final = 13
DISCONNECT: Final = 14
AUTH: Final = 15

PACKET_NAMES: Final[dict[int, str]] = {
    0: "reserved",
    CONNECT: "connect",
    CONNACK: "connack",
    PUBLISH: "publish",
    PUBACK: "puback",
    PUBREC: "pubrec",
    PUBREL: "pubrel",
    PUBCOMP: "pubcomp",
    SUBSCRIBE: "subscribe",
    SUBACK: "suback",
    UNSUBSCRIBE: "unsubscribe",
    UNSUBACK: "unsuback",
    PINGREQ: "pingreq",
    PINGRESP: "pingresp",
    DISCONNECT: "disconnect",
    AUTH: "auth",
}

REQUIRED_FLAGS: Final[dict[int, int]] = {
    CONNECT: 0,
    CONNACK: 0,
    PUBACK: 0,
    PUBREC: 0,
    PUBREL: 2,
    PUBCOMP: 0,
    SUBSCRIBE: 2,
    SUBACK: 0,
    UNSUBSCRIBE: 2,
    UNSUBACK: 0,
    PINGREQ: 0,
    PINGRESP: 0,
    DISCONNECT: 0,
    AUTH: 0,
}
"""Fixed header flags every packet type but PUBLISH must carry (3.1.1 section 2.2.2)."""

PROTOCOL_LEVELS: Final[dict[str, frozenset[int]]] = {
    "MQIsdp": frozenset({3}),
    "MQTT": frozenset({4, 5}),
}
"""Protocol name and the levels it goes with: 3 = 3.1, 4 = 3.1.1, 5 = 5.0."""
BRIDGE_BIT: Final = 0x80
"""Set on the level by brokers that connect as bridges (mosquitto's try_private)."""

# v5 property value types (section 2.2.2.2)
BYTE: Final = "byte"
TWO_BYTE: Final = "two_byte_int"
FOUR_BYTE: Final = "four_byte_int"
VARINT: Final = "varint"
UTF8: Final = "utf8"
BINARY: Final = "binary"
STRING_PAIR: Final = "string_pair"

PROPERTIES: Final[dict[int, tuple[str, str]]] = {
    0x01: ("payload_format_indicator", BYTE),
    0x02: ("message_expiry_interval", FOUR_BYTE),
    0x03: ("content_type", UTF8),
    0x08: ("response_topic", UTF8),
    0x09: ("correlation_data", BINARY),
    0x0B: ("subscription_identifier", VARINT),
    0x11: ("session_expiry_interval", FOUR_BYTE),
    0x12: ("assigned_client_identifier", UTF8),
    0x13: ("server_keep_alive", TWO_BYTE),
    0x15: ("authentication_method", UTF8),
    0x16: ("authentication_data", BINARY),
    0x17: ("request_problem_information", BYTE),
    0x18: ("will_delay_interval", FOUR_BYTE),
    0x19: ("request_response_information", BYTE),
    0x1A: ("response_information", UTF8),
    0x1C: ("server_reference", UTF8),
    0x1F: ("reason_string", UTF8),
    0x21: ("receive_maximum", TWO_BYTE),
    0x22: ("topic_alias_maximum", TWO_BYTE),
    0x23: ("topic_alias", TWO_BYTE),
    0x24: ("maximum_qos", BYTE),
    0x25: ("retain_available", BYTE),
    0x26: ("user_property", STRING_PAIR),
    0x27: ("maximum_packet_size", FOUR_BYTE),
    0x28: ("wildcard_subscription_available", BYTE),
    0x29: ("subscription_identifier_available", BYTE),
    0x2A: ("shared_subscription_available", BYTE),
}
TOPIC_ALIAS: Final = 0x23
AUTHENTICATION_DATA: Final = 0x16
SECRET_PROPERTIES: Final = frozenset({AUTHENTICATION_DATA})
"""Properties whose value may be a credential: only their length is kept."""

CONNECT_RETURN_CODES: Final[dict[int, str]] = {
    0: "accepted",
    1: "unacceptable_protocol_version",
    2: "identifier_rejected",
    3: "server_unavailable",
    4: "bad_user_name_or_password",
    5: "not_authorized",
}
"""CONNACK return codes of 3.1 and 3.1.1."""

REASON_CODES: Final[dict[int, str]] = {
    0x00: "success",
    0x01: "granted_qos_1",
    0x02: "granted_qos_2",
    0x04: "disconnect_with_will_message",
    0x10: "no_matching_subscribers",
    0x11: "no_subscription_existed",
    0x18: "continue_authentication",
    0x19: "re_authenticate",
    0x80: "unspecified_error",
    0x81: "malformed_packet",
    0x82: "protocol_error",
    0x83: "implementation_specific_error",
    0x84: "unsupported_protocol_version",
    0x85: "client_identifier_not_valid",
    0x86: "bad_user_name_or_password",
    0x87: "not_authorized",
    0x88: "server_unavailable",
    0x89: "server_busy",
    0x8A: "banned",
    0x8B: "server_shutting_down",
    0x8C: "bad_authentication_method",
    0x8D: "keep_alive_timeout",
    0x8E: "session_taken_over",
    0x8F: "topic_filter_invalid",
    0x90: "topic_name_invalid",
    0x91: "packet_identifier_in_use",
    0x92: "packet_identifier_not_found",
    0x93: "receive_maximum_exceeded",
    0x94: "topic_alias_invalid",
    0x95: "packet_too_large",
    0x96: "message_rate_too_high",
    0x97: "quota_exceeded",
    0x98: "administrative_action",
    0x99: "payload_format_invalid",
    0x9A: "retain_not_supported",
    0x9B: "qos_not_supported",
    0x9C: "use_another_server",
    0x9D: "server_moved",
    0x9E: "shared_subscriptions_not_supported",
    0x9F: "connection_rate_exceeded",
    0xA0: "maximum_connect_time",
    0xA1: "subscription_identifiers_not_supported",
    0xA2: "wildcard_subscriptions_not_supported",
}
"""v5 reason codes (section 2.4); which packet may carry which is in REASONS_BY_PACKET."""

_ACK_ERRORS: Final = frozenset({0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99})
REASONS_BY_PACKET: Final[dict[int, frozenset[int]]] = {
    CONNACK: frozenset({0x00, *range(0x80, 0x8D), 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C})
    | frozenset({0x9D, 0x9F}),
    PUBACK: frozenset({0x00, 0x10}) | _ACK_ERRORS,
    PUBREC: frozenset({0x00, 0x10}) | _ACK_ERRORS,
    PUBREL: frozenset({0x00, 0x92}),
    PUBCOMP: frozenset({0x00, 0x92}),
    SUBACK: frozenset({0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2}),
    UNSUBACK: frozenset({0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91}),
    DISCONNECT: frozenset({0x00, 0x04, *range(0x80, 0x84), 0x87, 0x89, 0x8B, 0x8D, 0x8E})
    | frozenset(range(0x8F, 0xA3)),
    AUTH: frozenset({0x00, 0x18, 0x19}),
}
V3_SUBACK_CODES: Final = frozenset({0x00, 0x01, 0x02, 0x80})
FAILURE: Final = 0x80
"""Reason and SUBACK codes from 0x80 on report a failure."""


def packet_name(packet_type: int) -> str:
    return PACKET_NAMES.get(packet_type, f"unknown_{packet_type}")


def reason_name(packet_type: int, code: int, version: int) -> str:
    """A CONNACK return code (3.x) or a reason code (5.0) by name."""
    if packet_type == CONNACK and version != 5:
        return CONNECT_RETURN_CODES.get(code, f"unknown_{code}")
    if code == 0 and packet_type in _ZERO_NAMES:
        return _ZERO_NAMES[packet_type]
    return REASON_CODES.get(code, f"unknown_{code}")


_ZERO_NAMES: Final[dict[int, str]] = {SUBACK: "granted_qos_0", DISCONNECT: "normal_disconnection"}

"""EtherNet/IP encapsulation vocabularies as data: commands, status codes, CPF item types.

Source: CIP Volume 2 (EtherNet/IP Adaptation of CIP), 2-3 (encapsulation commands),
2-3.3 (status codes) and 2-6.1 (Common Packet Format item type ids).
"""

from __future__ import annotations

from typing import Final

from interlock.model import OperationClass as Op

NOP: Final = 0x0000
LIST_SERVICES: Final = 0x0004
LIST_IDENTITY: Final = 0x0063
LIST_INTERFACES: Final = 0x0064
REGISTER_SESSION: Final = 0x0065
UNREGISTER_SESSION: Final = 0x0066
SEND_RR_DATA: Final = 0x006F
SEND_UNIT_DATA: Final = 0x0070
START_DTLS: Final = 0x00C8
IO_DATAGRAM: Final = -1
"""Not a command: a class 0/1 I/O datagram (UDP 2222) is Common Packet Format alone."""

COMMANDS: Final[dict[int, tuple[str, Op]]] = {
    NOP: ("nop", Op.OTHER),
    LIST_SERVICES: ("list_services", Op.DISCOVERY),
    LIST_IDENTITY: ("list_identity", Op.DISCOVERY),
    LIST_INTERFACES: ("list_interfaces", Op.DISCOVERY),
    REGISTER_SESSION: ("register_session", Op.SESSION),
    UNREGISTER_SESSION: ("unregister_session", Op.SESSION),
    SEND_RR_DATA: ("send_rr_data", Op.OTHER),
    SEND_UNIT_DATA: ("send_unit_data", Op.OTHER),
    START_DTLS: ("start_dtls", Op.SESSION),
    IO_DATAGRAM: ("io_data", Op.OTHER),
}

STATUS: Final[dict[int, str]] = {
    0x0000: "success",
    0x0001: "invalid_command",
    0x0002: "insufficient_memory",
    0x0003: "incorrect_data",
    0x0064: "invalid_session_handle",
    0x0065: "invalid_length",
    0x0069: "unsupported_protocol_revision",
    0x006A: "encapsulated_cip_service_not_allowed_on_this_port",
}

# Common Packet Format item type ids.
ITEM_NULL_ADDRESS: Final = 0x0000
ITEM_LIST_IDENTITY: Final = 0x000C
ITEM_CIP_SECURITY: Final = 0x0086
ITEM_CONNECTED_ADDRESS: Final = 0x00A1
ITEM_CONNECTED_DATA: Final = 0x00B1
ITEM_UNCONNECTED_DATA: Final = 0x00B2
ITEM_LIST_SERVICES: Final = 0x0100
ITEM_SOCKADDR_O2T: Final = 0x8000
ITEM_SOCKADDR_T2O: Final = 0x8001
ITEM_SEQUENCED_ADDRESS: Final = 0x8002
ITEM_UNCONNECTED_DTLS: Final = 0x8003

ITEM_TYPES: Final[dict[int, str]] = {
    ITEM_NULL_ADDRESS: "null_address",
    ITEM_LIST_IDENTITY: "cip_identity",
    ITEM_CIP_SECURITY: "cip_security_information",
    0x0087: "enip_capability",
    0x0088: "enip_usage",
    ITEM_CONNECTED_ADDRESS: "connected_address",
    ITEM_CONNECTED_DATA: "connected_data",
    ITEM_UNCONNECTED_DATA: "unconnected_data",
    ITEM_LIST_SERVICES: "list_services_response",
    ITEM_SOCKADDR_O2T: "sockaddr_info_o2t",
    ITEM_SOCKADDR_T2O: "sockaddr_info_t2o",
    ITEM_SEQUENCED_ADDRESS: "sequenced_address",
    ITEM_UNCONNECTED_DTLS: "unconnected_message_over_udp",
}

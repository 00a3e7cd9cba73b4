"""CIP service codes as data: names and what they do to a device (operation class).

Sources: CIP Volume 1, Appendix A (common services 0x01-0x1C) and the object chapters for
class-specific services (Connection Manager 3-5.5, File object 5-42); Rockwell Logix tag
services as publicly documented ("Logix 5000 Controllers Data Access", 1756-PM020).
A class-specific code (0x4B-0x63) means something only together with the class it is
sent to, so those are keyed by (class, service).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.model import OperationClass as Op


class ServiceInfo(NamedTuple):
    name: str
    operation: Op


COMMON_SERVICES: Final[dict[int, ServiceInfo]] = {
    0x01: ServiceInfo("get_attributes_all", Op.READ),
    0x02: ServiceInfo("set_attributes_all", Op.WRITE),
    0x03: ServiceInfo("get_attribute_list", Op.READ),
    0x04: ServiceInfo("set_attribute_list", Op.WRITE),
    0x05: ServiceInfo("reset", Op.RESTART),
    0x06: ServiceInfo("start", Op.MODE_CHANGE),
    0x07: ServiceInfo("stop", Op.MODE_CHANGE),
    0x08: ServiceInfo("create", Op.WRITE),
    0x09: ServiceInfo("delete", Op.WRITE),
    0x0A: ServiceInfo("multiple_service_packet", Op.OTHER),
    0x0D: ServiceInfo("apply_attributes", Op.WRITE),
    0x0E: ServiceInfo("get_attribute_single", Op.READ),
    0x10: ServiceInfo("set_attribute_single", Op.WRITE),
    0x11: ServiceInfo("find_next_object_instance", Op.READ),
    0x14: ServiceInfo("error_response", Op.OTHER),
    0x15: ServiceInfo("restore", Op.WRITE),
    0x16: ServiceInfo("save", Op.WRITE),
    0x17: ServiceInfo("no_operation", Op.DIAGNOSTIC),
    0x18: ServiceInfo("get_member", Op.READ),
    0x19: ServiceInfo("set_member", Op.WRITE),
    0x1A: ServiceInfo("insert_member", Op.WRITE),
    0x1B: ServiceInfo("remove_member", Op.WRITE),
    0x1C: ServiceInfo("group_sync", Op.OTHER),
}

CONNECTION_MANAGER: Final = 0x06
MESSAGE_ROUTER: Final = 0x02
IDENTITY: Final = 0x01
FILE_OBJECT: Final = 0x37
NON_VOLATILE_STORAGE: Final = 0xA1
PCCC_OBJECT: Final = 0x67

MULTIPLE_SERVICE_PACKET: Final = 0x0A
UNCONNECTED_SEND: Final = 0x52
FORWARD_OPEN: Final = 0x54
LARGE_FORWARD_OPEN: Final = 0x5B
FORWARD_CLOSE: Final = 0x4E
GET_CONNECTION_OWNER: Final = 0x5A
GET_ATTRIBUTES_ALL: Final = 0x01
GET_ATTRIBUTE_LIST: Final = 0x03
SET_ATTRIBUTE_LIST: Final = 0x04
GET_ATTRIBUTE_SINGLE: Final = 0x0E
SET_ATTRIBUTE_SINGLE: Final = 0x10

CLASS_SERVICES: Final[dict[tuple[int, int], ServiceInfo]] = {
    (CONNECTION_MANAGER, 0x4E): ServiceInfo("forward_close", Op.SESSION),
    (CONNECTION_MANAGER, 0x52): ServiceInfo("unconnected_send", Op.OTHER),
    (CONNECTION_MANAGER, 0x54): ServiceInfo("forward_open", Op.SESSION),
    (CONNECTION_MANAGER, 0x56): ServiceInfo("get_connection_data", Op.READ),
    (CONNECTION_MANAGER, 0x57): ServiceInfo("search_connection_data", Op.READ),
    (CONNECTION_MANAGER, 0x5A): ServiceInfo("get_connection_owner", Op.READ),
    (CONNECTION_MANAGER, 0x5B): ServiceInfo("large_forward_open", Op.SESSION),
    (FILE_OBJECT, 0x4B): ServiceInfo("initiate_upload", Op.PROGRAM),
    (FILE_OBJECT, 0x4C): ServiceInfo("initiate_download", Op.PROGRAM),
    (FILE_OBJECT, 0x4D): ServiceInfo("initiate_partial_read", Op.PROGRAM),
    (FILE_OBJECT, 0x4E): ServiceInfo("initiate_partial_write", Op.PROGRAM),
    (FILE_OBJECT, 0x4F): ServiceInfo("upload_transfer", Op.PROGRAM),
    (FILE_OBJECT, 0x50): ServiceInfo("download_transfer", Op.PROGRAM),
    (FILE_OBJECT, 0x51): ServiceInfo("clear_file", Op.PROGRAM),
    (PCCC_OBJECT, 0x4B): ServiceInfo("execute_pccc", Op.OTHER),
}

# Logix tag services, sent to a symbol path or to the symbol/template classes.
LOGIX_SERVICES: Final[dict[int, ServiceInfo]] = {
    0x4C: ServiceInfo("read_tag", Op.READ),
    0x4D: ServiceInfo("write_tag", Op.WRITE),
    0x4E: ServiceInfo("read_modify_write_tag", Op.WRITE),
    0x52: ServiceInfo("read_tag_fragmented", Op.READ),
    0x53: ServiceInfo("write_tag_fragmented", Op.WRITE),
    0x55: ServiceInfo("get_instance_attribute_list", Op.READ),
}

# Classes whose every class-specific service changes what the device runs.
PROGRAM_CLASSES: Final = frozenset({FILE_OBJECT, NON_VOLATILE_STORAGE})


def service_info(service: int, class_id: int | None, symbolic: bool) -> ServiceInfo:
    """Name and operation of a request's service (response bit cleared), given its target."""
    common = COMMON_SERVICES.get(service)
    if common is not None:
        return common
    if class_id is not None:
        known = CLASS_SERVICES.get((class_id, service))
        if known is not None:
            return known
        if class_id in PROGRAM_CLASSES:
            return ServiceInfo(f"class_{class_id:#04x}_service_{service:#04x}", Op.PROGRAM)
    logix = LOGIX_SERVICES.get(service)
    if logix is not None and (symbolic or class_id not in CLASS_SPECIFIC_OWNERS):
        return logix
    return ServiceInfo(f"service_{service:#04x}", Op.OTHER)


CLASS_SPECIFIC_OWNERS: Final = frozenset(c for c, _ in CLASS_SERVICES) | PROGRAM_CLASSES
"""Classes whose class-specific services are known here (so not read as Logix tag services)."""

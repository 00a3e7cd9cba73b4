"""SZL (system status list) vocabularies as data: partial lists by number, and the record
indexes of the identification lists 0x..11 and 0x..1C mapped to the facts they carry.

Source: Siemens, "System Software for S7-300/400 System and Standard Functions", chapter
"System Status Lists (SSL)"; Wireshark's packet-s7comm_szl_ids.c for the names.
"""

from __future__ import annotations

from typing import Final

PARTIAL_LISTS: Final[dict[int, str]] = {
    0x00: "szl_list",
    0x11: "module_identification",
    0x12: "cpu_characteristics",
    0x13: "user_memory_areas",
    0x14: "system_areas",
    0x15: "block_types",
    0x16: "priority_classes",
    0x17: "sdb_list",
    0x18: "mpi_characteristics",
    0x19: "led_status",
    0x1C: "component_identification",
    0x21: "interrupt_status",
    0x22: "interrupt_status_2",
    0x23: "priority_class_status",
    0x24: "operating_mode",
    0x25: "process_image_assignment",
    0x31: "communication_capability",
    0x32: "communication_status",
    0x33: "diagnostic_registrations",
    0x37: "ethernet_details",
    0x71: "h_system_status",
    0x74: "led_status_2",
    0x75: "dp_slave_status",
    0x81: "ob_startup_information",
    0x82: "ob_startup_events",
    0x90: "dp_master_systems",
    0x91: "module_status",
    0x92: "rack_station_status",
    0x94: "rack_station_status_2",
    0x95: "io_system_details",
    0x96: "module_status_2",
    0xA0: "diagnostic_buffer",
    0xB1: "module_diagnostics_4_bytes",
    0xB2: "module_diagnostics_record_1",
    0xB3: "module_diagnostics",
    0xB4: "dp_slave_diagnostics",
}

MODULE_FIELDS: Final[dict[int, str]] = {
    0x0001: "order_number",
    0x0006: "hardware",
    0x0007: "firmware",
    0x0081: "firmware_extension",
    0x0082: "boot_loader",
}
"""SZL 0x0011 record index -> the identity fact it carries."""

COMPONENT_FIELDS: Final[dict[int, str]] = {
    0x0001: "as_name",
    0x0002: "module_name",
    0x0003: "plant_designation",
    0x0004: "copyright",
    0x0005: "serial_number",
    0x0007: "module_type",
    0x0008: "memory_card_serial_number",
    0x000A: "oem_id",
    0x000B: "location",
}
"""SZL 0x001C record index -> the identity fact it carries (index 9, the manufacturer
and profile ids, is binary and left out)."""


def szl_name(szl_id: int) -> str:
    """A readable name for an SZL id: its partial list, with the extract number if any."""
    base = PARTIAL_LISTS.get(szl_id & 0xFF, f"szl_{szl_id & 0xFF:02x}")
    extract = (szl_id >> 8) & 0x0F
    return base if not extract else f"{base}_extract_{extract}"

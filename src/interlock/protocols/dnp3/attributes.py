"""DNP3 device attributes (group 0) and control vocabularies as data.

Sources: IEEE 1815-2012, section 11.9.1 and Table 11-3 (device attribute variations and
their data types), section 11.9.3.x (Control Relay Output Block control code, status
codes, Table 11-11).
"""

from __future__ import annotations

from typing import Final

ATTRIBUTES: Final[dict[int, str]] = {
    196: "configuration_id",
    197: "configuration_version",
    198: "configuration_build_date",
    199: "configuration_last_change_date",
    200: "configuration_signature",
    201: "configuration_signature_algorithm",
    202: "master_resource_id",
    203: "device_altitude",
    204: "device_longitude",
    205: "device_latitude",
    206: "secondary_operator_name",
    207: "primary_operator_name",
    208: "system_name",
    209: "secure_authentication_version",
    210: "security_statistics_per_association",
    211: "user_specific_attributes",
    212: "master_defined_data_set_prototypes",
    213: "outstation_defined_data_set_prototypes",
    214: "master_defined_data_sets",
    215: "outstation_defined_data_sets",
    216: "max_binary_outputs_per_request",
    217: "local_timing_accuracy",
    218: "duration_of_time_accuracy",
    219: "analog_output_events_supported",
    220: "max_analog_output_index",
    221: "analog_outputs",
    222: "binary_output_events_supported",
    223: "max_binary_output_index",
    224: "binary_outputs",
    225: "frozen_counter_events_supported",
    226: "frozen_counters_supported",
    227: "counter_events_supported",
    228: "max_counter_index",
    229: "counters",
    230: "frozen_analog_inputs_supported",
    231: "analog_input_events_supported",
    232: "max_analog_input_index",
    233: "analog_inputs",
    234: "double_bit_input_events_supported",
    235: "max_double_bit_input_index",
    236: "double_bit_inputs",
    237: "binary_input_events_supported",
    238: "max_binary_input_index",
    239: "binary_inputs",
    240: "max_transmit_fragment_size",
    241: "max_receive_fragment_size",
    242: "software_version",
    243: "hardware_version",
    244: "owner_name",
    245: "location",
    246: "user_assigned_id",
    247: "device_name",
    248: "serial_number",
    249: "subset_and_conformance",
    250: "product_name_and_model",
    252: "manufacturer_name",
    254: "all_attributes",
    255: "attribute_list",
}

DATA_VSTR: Final = 1
DATA_UINT: Final = 2
DATA_INT: Final = 3
DATA_FLT: Final = 4
DATA_OSTR: Final = 5
DATA_BSTR: Final = 6
DATA_TIME: Final = 7
DATA_UNCD: Final = 8
DATA_TYPES: Final[dict[int, str]] = {
    0: "none",
    DATA_VSTR: "visible_string",
    DATA_UINT: "unsigned_integer",
    DATA_INT: "signed_integer",
    DATA_FLT: "float",
    DATA_OSTR: "octet_string",
    DATA_BSTR: "bit_string",
    DATA_TIME: "time",
    DATA_UNCD: "unicode_string",
    254: "u8_bstr8_list",
    255: "u8_bstr8_extended_list",
}

CONTROL_OPERATIONS: Final[dict[int, str]] = {
    0: "nul",
    1: "pulse_on",
    2: "pulse_off",
    3: "latch_on",
    4: "latch_off",
}
TRIP_CLOSE: Final[dict[int, str]] = {0: "nul", 1: "close", 2: "trip", 3: "reserved"}
CONTROL_STATUS: Final[dict[int, str]] = {
    0: "success",
    1: "timeout",
    2: "no_select",
    3: "format_error",
    4: "not_supported",
    5: "already_active",
    6: "hardware_error",
    7: "local",
    8: "too_many_objs",
    9: "not_authorized",
    10: "automation_inhibit",
    11: "processing_limited",
    12: "out_of_range",
    126: "non_participating",
    127: "undefined",
}


def attribute_name(variation: int) -> str:
    return ATTRIBUTES.get(variation, f"attribute_{variation}")

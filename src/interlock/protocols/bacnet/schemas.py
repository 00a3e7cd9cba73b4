"""The layout of each BACnet service's parameters (ASHRAE 135 clauses 13 to 17 and 21), as
data: for every service, what each context tag number holds.

A schema maps a context tag number to a field kind:

- ``objid``: an object identifier (sets the object the following properties belong to);
- ``prop``: a property identifier (starts a property access: RP, RPM, WP, COV values...);
- ``index``: the property array index; ``priority``: the write priority;
- ``value``: an opening tag around a property value (abstract syntax);
- ``error``: an opening tag around an error class and code (of the current property);
- ``errors``: an opening tag around the error class and code of the whole service;
- ``seq:NAME``: an opening tag around a sequence laid out by schema NAME;
- ``param:NAME``: a primitive kept as a named parameter (unsigned integer);
- ``text:NAME``: a character string kept as a named parameter;
- ``secret:NAME``: a character string whose presence only is kept (passwords);
- ``any``: skipped (an opening tag: everything to its closing tag, object ids still seen);
- ``skip``: a primitive skipped.
Application-tagged values at the top level of a service are kept in order (I-Am, I-Have,
error class and code...). A context tag that is not in the schema ends the decoding, as
Wireshark's service dissectors do.
"""

from __future__ import annotations

from typing import Final

Schema = dict[int, str]

PROPERTY_VALUE: Final[Schema] = {0: "prop", 1: "index", 2: "value", 3: "priority"}
PROPERTY_REFERENCE: Final[Schema] = {0: "prop", 1: "index"}

SCHEMAS: Final[dict[str, Schema]] = {
    "none": {},
    "property_values": PROPERTY_VALUE,
    "property_references": PROPERTY_REFERENCE,
    "object_property_reference": {0: "objid", 1: "prop", 2: "index"},
    "object_specifier": {0: "param:object_type", 1: "objid"},
    "read_results": {2: "prop", 3: "index", 4: "value", 5: "error"},
    "event_summaries": {0: "objid", 1: "skip", 2: "skip", 3: "any", 4: "skip", 5: "skip", 6: "any"},
    "cov_specifications": {0: "objid", 1: "seq:cov_references"},
    "cov_references": {0: "seq:property_references", 1: "skip", 2: "skip"},
    "cov_notifications": {0: "objid", 1: "seq:cov_values"},
    "cov_values": {0: "prop", 1: "index", 2: "value", 3: "any"},
    # Confirmed service requests.
    "acknowledge_alarm": {
        0: "param:process_id",
        1: "objid",
        2: "skip",
        3: "any",
        4: "skip",
        5: "any",
    },
    "cov_notification": {
        0: "param:process_id",
        1: "objid",
        2: "objid",
        3: "param:time_remaining",
        4: "seq:property_values",
    },
    "event_notification": {
        0: "param:process_id",
        1: "objid",
        2: "objid",
        3: "any",
        4: "param:notification_class",
        5: "param:priority",
        6: "param:event_type",
        7: "skip",
        8: "param:notify_type",
        9: "skip",
        10: "param:from_state",
        11: "param:to_state",
        12: "any",
    },
    "get_enrollment_summary": {0: "skip", 1: "any", 2: "skip", 3: "skip", 4: "any", 5: "skip"},
    "subscribe_cov": {
        0: "param:process_id",
        1: "objid",
        2: "param:confirmed",
        3: "param:lifetime",
        4: "seq:property_references",
        5: "skip",
    },
    "atomic_file": {0: "any", 1: "any"},
    "list_element": {0: "objid", 1: "prop", 2: "index", 3: "value"},
    "create_object": {0: "seq:object_specifier", 1: "seq:property_values"},
    "read_property": {0: "objid", 1: "prop", 2: "index"},
    "read_property_multiple": {0: "objid", 1: "seq:property_references"},
    "write_property": {0: "objid", 1: "prop", 2: "index", 3: "value", 4: "priority"},
    "write_property_multiple": {0: "objid", 1: "seq:property_values"},
    "device_communication_control": {
        0: "param:duration",
        1: "param:enable_disable",
        2: "secret:password",
    },
    "private_transfer": {0: "param:vendor_id", 1: "param:service_number", 2: "any"},
    "text_message": {0: "objid", 1: "skip", 2: "param:message_priority", 3: "text:message"},
    "reinitialize_device": {0: "param:state", 1: "secret:password"},
    "read_range": {0: "objid", 1: "prop", 2: "index", 3: "any", 4: "any", 6: "any", 7: "any"},
    "life_safety_operation": {0: "param:process_id", 1: "skip", 2: "param:operation", 3: "objid"},
    "get_event_information": {0: "objid"},
    "subscribe_cov_property_multiple": {
        0: "param:process_id",
        1: "param:confirmed",
        2: "param:lifetime",
        3: "param:delay",
        4: "seq:cov_specifications",
    },
    "cov_notification_multiple": {
        0: "param:process_id",
        1: "objid",
        2: "param:time_remaining",
        3: "any",
        4: "seq:cov_notifications",
    },
    # Unconfirmed service requests.
    "who_has": {0: "param:low_limit", 1: "param:high_limit", 2: "objid", 3: "text:object_name"},
    "who_is": {0: "param:low_limit", 1: "param:high_limit"},
    "write_group": {0: "param:group", 1: "param:priority", 2: "any", 3: "skip"},
    # Complex ACKs.
    "read_property_ack": {0: "objid", 1: "prop", 2: "index", 3: "value"},
    "read_property_multiple_ack": {0: "objid", 1: "seq:read_results"},
    "read_range_ack": {
        0: "objid",
        1: "prop",
        2: "index",
        3: "skip",
        4: "skip",
        5: "any",
        6: "skip",
    },
    "atomic_write_ack": {0: "skip", 1: "skip"},
    "get_event_information_ack": {0: "seq:event_summaries", 1: "skip"},
    # Error PDUs whose services return more than a class and a code.
    "error_with_element": {0: "errors", 1: "param:first_failed_element"},
    "error_with_reference": {0: "errors", 1: "seq:object_property_reference"},
    "error_with_subscription": {0: "errors", 1: "seq:cov_specifications"},
    "error_private_transfer": {0: "errors", 1: "param:vendor_id", 2: "param:service_number"},
}

CONFIRMED_REQUESTS: Final[dict[int, str]] = {
    0: "acknowledge_alarm",
    1: "cov_notification",
    2: "event_notification",
    4: "get_enrollment_summary",
    5: "subscribe_cov",
    6: "atomic_file",
    7: "atomic_file",
    8: "list_element",
    9: "list_element",
    10: "create_object",
    12: "read_property",
    14: "read_property_multiple",
    15: "write_property",
    16: "write_property_multiple",
    17: "device_communication_control",
    18: "private_transfer",
    19: "text_message",
    20: "reinitialize_device",
    26: "read_range",
    27: "life_safety_operation",
    28: "subscribe_cov",
    29: "get_event_information",
    30: "subscribe_cov_property_multiple",
    31: "cov_notification_multiple",
}
UNCONFIRMED_REQUESTS: Final[dict[int, str]] = {
    2: "cov_notification",
    3: "event_notification",
    4: "private_transfer",
    5: "text_message",
    7: "who_has",
    8: "who_is",
    10: "write_group",
    11: "cov_notification_multiple",
}
COMPLEX_ACKS: Final[dict[int, str]] = {
    6: "atomic_file",
    7: "atomic_write_ack",
    12: "read_property_ack",
    14: "read_property_multiple_ack",
    18: "private_transfer",
    26: "read_range_ack",
    29: "get_event_information_ack",
}
ERRORS: Final[dict[int, str]] = {
    8: "error_with_element",
    9: "error_with_element",
    10: "error_with_element",
    16: "error_with_reference",
    18: "error_private_transfer",
    30: "error_with_subscription",
}

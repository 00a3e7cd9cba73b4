"""MQTT 3.1, 3.1.1 and 5.0 over TCP: control packets, the version each connection
announces, v5 properties, topic aliases, and request/acknowledgement pairing.

Secrets: the CONNECT password is never kept in any message, transaction or output, only
whether it was sent and its length (``Connect.password_len``); will messages, PUBLISH
payloads and v5 Authentication Data keep only their length too.

Cleartext credentials, one convention: a CONNECT carrying a user name or a password (some
brokers take an access token as the user name) gets the anomaly
``mqtt.cleartext_credentials`` (the dissector only ever sees cleartext MQTT), and its
transaction ``details["cleartext_credentials"] = True``.

Anomaly codes (on the packet's record and its transaction):

| code | meaning |
|---|---|
| `mqtt.bad_remaining_length` | four Remaining Length bytes all continued: a five-byte unit |
| `mqtt.truncated` | a field runs past the end of the packet |
| `mqtt.trailing_bytes` | bytes left after the packet's last field |
| `mqtt.reserved_type` | packet type 0, or 15 (AUTH) outside 5.0 |
| `mqtt.bad_flags` | fixed header flags other than the type requires; CONNACK reserved flags |
| `mqtt.bad_qos` | QoS 3 in a PUBLISH, a will or a subscription |
| `mqtt.bad_varint` | a malformed Variable Byte Integer inside the packet |
| `mqtt.bad_property_length` | a v5 property block longer than the packet |
| `mqtt.bad_property` | a v5 property value running past its block |
| `mqtt.unknown_property` | a v5 property identifier not in the standard (rest of block skipped) |
| `mqtt.bad_utf8` | a string that is not UTF-8 (shown with replacement characters) |
| `mqtt.bad_protocol_name` | CONNECT protocol name neither "MQTT" nor "MQIsdp" |
| `mqtt.bad_protocol_level` | a level that does not go with the name (MQIsdp 3, MQTT 4 or 5) |
| `mqtt.bad_connect_flags` | reserved connect flag, will QoS/retain without will, 3.1.1 password without user name |
| `mqtt.cleartext_credentials` | CONNECT with a user name or password (see above) |
| `mqtt.empty_topic` | PUBLISH without topic (nor v5 alias), empty will topic or topic filter |
| `mqtt.wildcard_in_topic` | "+" or "#" in a PUBLISH topic name |
| `mqtt.bad_topic_alias` | v5 topic alias 0 |
| `mqtt.zero_packet_id` | packet identifier 0 on a QoS 1 or 2 PUBLISH |
| `mqtt.no_topic_filters` | SUBSCRIBE, UNSUBSCRIBE or SUBACK without entries |
| `mqtt.bad_subscription_options` | reserved subscription option bits, retain handling 3 |
| `mqtt.unknown_reason_code` | a return or reason code the packet type may not carry |
| `mqtt.unknown_version` | a packet on a connection whose CONNECT was not seen (Wireshark's "unknown version") |
| `mqtt.double_connect` | a second CONNECT on one connection |
| `mqtt.connect_from_server` | a CONNECT sent by the TCP server |
| `mqtt.unknown_topic_alias` | a v5 topic alias that no earlier PUBLISH of the direction defined |
"""

from interlock.protocols.mqtt.packets import MqttPacket, Subscription, parse_packet
from interlock.protocols.mqtt.session import MqttSession, Unit

__all__ = ["MqttPacket", "MqttSession", "Subscription", "Unit", "parse_packet"]

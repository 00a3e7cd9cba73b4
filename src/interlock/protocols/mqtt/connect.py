"""The CONNECT packet's variable header and payload (3.1.1 section 3.1, 5.0 section 3.1):
protocol name and level, connect flags, keep-alive, v5 properties, client identifier,
will (v5 will properties, topic, message), user name, password.

The password is never kept: only whether it is there and its length. A will message and
v5 Authentication Data keep only their length too. Fields are filled in wire order and
stay None (or -1) past the point where the packet ends, as Wireshark stops there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from interlock.protocols.mqtt.properties import Property, read_properties
from interlock.protocols.mqtt.vocabulary import BRIDGE_BIT, PROTOCOL_LEVELS
from interlock.protocols.mqtt.wire import Reader

USERNAME: Final = 0x80
PASSWORD: Final = 0x40
WILL_RETAIN: Final = 0x20
WILL_QOS: Final = 0x18
WILL: Final = 0x04
CLEAN_SESSION: Final = 0x02
RESERVED: Final = 0x01


@dataclass(frozen=True, slots=True)
class Connect:
    protocol_name: str | None = None
    level: int = -1
    """Protocol level as sent (3 = 3.1, 4 = 3.1.1, 5 = 5.0; bridges add 0x80)."""
    flags: int = -1
    keep_alive: int = -1
    properties: tuple[Property, ...] | None = None
    client_id: str | None = None
    will_properties: tuple[Property, ...] | None = None
    will_topic: str | None = None
    will_payload_len: int = -1
    username: str | None = None
    password_len: int = -1
    """Length of the password when one is sent (-1: none). The password itself is never kept."""

    @property
    def version(self) -> int:
        return self.level & ~BRIDGE_BIT if self.level >= 0 else -1

    def flag(self, mask: int) -> bool:
        return self.flags >= 0 and bool(self.flags & mask)

    @property
    def will_qos(self) -> int:
        return (self.flags & WILL_QOS) >> 3 if self.flags >= 0 else -1


class ConnectDraft:
    """What has been read of a CONNECT so far (the decoder may stop anywhere)."""

    __slots__ = (
        "client_id",
        "flags",
        "keep_alive",
        "level",
        "name",
        "password_len",
        "properties",
        "username",
        "will_payload_len",
        "will_properties",
        "will_topic",
    )

    def __init__(self) -> None:
        self.name: str | None = None
        self.level = -1
        self.flags = -1
        self.keep_alive = -1
        self.properties: list[Property] | None = None
        self.client_id: str | None = None
        self.will_properties: list[Property] | None = None
        self.will_topic: str | None = None
        self.will_payload_len = -1
        self.username: str | None = None
        self.password_len = -1

    def freeze(self) -> Connect:
        return Connect(
            self.name,
            self.level,
            self.flags,
            self.keep_alive,
            tuple(self.properties) if self.properties is not None else None,
            self.client_id,
            tuple(self.will_properties) if self.will_properties is not None else None,
            self.will_topic,
            self.will_payload_len,
            self.username,
            self.password_len,
        )


def read_connect(r: Reader, d: ConnectDraft) -> None:
    """Fill d from the reader (raises OutOfBounds where the packet ends too soon)."""
    d.name = r.text()
    d.level = r.u8()
    _check_name_and_level(r, d.name, d.level)
    d.flags = flags = r.u8()
    _check_flags(r, flags, d.level & ~BRIDGE_BIT)
    d.keep_alive = r.u16()
    v5 = d.level == 5  # as Wireshark: the level as sent, bridge bit included
    if v5:
        d.properties = []
        read_properties(r, d.properties)
    d.client_id = r.text()
    if flags & WILL:
        if v5:
            d.will_properties = []
            read_properties(r, d.will_properties)
        d.will_topic = r.text()
        if not d.will_topic:
            r.flag("mqtt.empty_topic")
        d.will_payload_len = r.u16()
        r.take(d.will_payload_len)
    # Wireshark reads the user name and password only while bytes remain.
    if flags & USERNAME and r.left() > 0:
        d.username = r.text()
    if flags & PASSWORD and r.left() > 0:
        d.password_len = r.u16()
        r.take(d.password_len)
    if (flags & USERNAME and d.username is None) or (flags & PASSWORD and d.password_len < 0):
        r.flag("mqtt.truncated")
    if d.username is not None or d.password_len >= 0:
        r.flag("mqtt.cleartext_credentials")


def _check_name_and_level(r: Reader, name: str, level: int) -> None:
    levels = PROTOCOL_LEVELS.get(name)
    if levels is None:
        r.flag("mqtt.bad_protocol_name")
    elif level & ~BRIDGE_BIT not in levels:
        r.flag("mqtt.bad_protocol_level")


def _check_flags(r: Reader, flags: int, version: int) -> None:
    if flags & RESERVED:
        r.flag("mqtt.bad_connect_flags")
    if not flags & WILL and flags & (WILL_QOS | WILL_RETAIN):
        r.flag("mqtt.bad_connect_flags")
    if flags & WILL_QOS == WILL_QOS:
        r.flag("mqtt.bad_qos")
    if version == 4 and flags & PASSWORD and not flags & USERNAME:
        r.flag("mqtt.bad_connect_flags")

"""SNMP messages as Wireshark 4.0 shows them (packet-snmp.c), for `interlock dissect`.

snmp.community is deliberately never emitted (a credential), nor are
snmp.msgAuthenticationParameters (the HMAC would allow offline password guessing),
snmp.msgPrivacyParameters and snmp.encryptedPDU. Quirks reproduced: OCTET STRING,
Opaque and unknown values as hex (FT_BYTES); Counter64 under snmp.value.counter; NULL
and the exception values as 1 (FT_NONE); snmp.data is the PDU's
CHOICE index (0 get ... 8 report); snmp.msgFlags as the number the one octet holds
(Wireshark: hex bytes); snmp.msgData 0 plaintext / 1 encrypted; the engine
id decoded (snmp.engineid.*) for msgAuthoritativeEngineID and contextEngineID alike.
Empty byte strings (Wireshark writes "<MISSING>") and empty text are not emitted.
"""

from __future__ import annotations

from typing import Any, Final

from interlock.protocols.identity.wire import hex_text, ipv4_text, mac_text
from interlock.protocols.snmp.message import SnmpMessage, V3Header
from interlock.protocols.snmp.pdu import GETBULK, Pdu, VarBind
from interlock.render.identity_record import Fields, add

_VALUE_FIELDS: Final = {
    0x02: "snmp.value.int",
    0x04: "snmp.value.octets",
    0x05: "snmp.value.null",
    0x06: "snmp.value.oid",
    0x40: "snmp.value.ipv4",
    0x41: "snmp.value.counter",
    0x42: "snmp.value.g32",
    0x43: "snmp.value.timeticks",
    0x44: "snmp.value.opaque",
    0x46: "snmp.value.counter",
    0x47: "snmp.value.u32",
    0x80: "snmp.noSuchObject",
    0x81: "snmp.noSuchInstance",
    0x82: "snmp.endOfMibView",
}


def snmp_record(
    message: SnmpMessage, role: int, answered: Any
) -> tuple[None, Fields, tuple[str, ...]]:
    f: Fields = {}
    if message.v3 is not None:
        f["snmp.msgVersion"] = 3
        _v3(f, message.v3)
    elif message.version >= 0:
        f["snmp.version"] = message.version
    if message.pdu is not None:
        _pdu(f, message.pdu)
    return None, f, message.anomalies


def _v3(f: Fields, v3: V3Header) -> None:
    for key, value in (
        ("snmp.msgID", v3.msg_id),
        ("snmp.msgMaxSize", v3.max_size),
    ):
        if value >= 0:
            f[key] = value
    if v3.flags >= 0:
        f["snmp.msgFlags"] = v3.flags
        f["snmp.v3.flags.auth"] = int(v3.auth)
        f["snmp.v3.flags.crypt"] = int(v3.priv)
        f["snmp.v3.flags.report"] = int(v3.reportable)
    if v3.security_model >= 0:
        f["snmp.msgSecurityModel"] = v3.security_model
    if v3.engine_id:
        f["snmp.msgAuthoritativeEngineID"] = hex_text(v3.engine_id)
        engine_id(f, v3.engine_id)
    if v3.engine_boots >= 0:
        f["snmp.msgAuthoritativeEngineBoots"] = v3.engine_boots
    if v3.engine_time >= 0:
        f["snmp.msgAuthoritativeEngineTime"] = v3.engine_time
    if v3.user_name:
        f["snmp.msgUserName"] = v3.user_name.decode("utf-8", "replace")
    if v3.encrypted:
        f["snmp.msgData"] = 1
    elif v3.context_engine_id is not None:
        f["snmp.msgData"] = 0
    if v3.context_engine_id:
        f["snmp.contextEngineID"] = hex_text(v3.context_engine_id)
        engine_id(f, v3.context_engine_id)
    if v3.context_name:
        f["snmp.contextName"] = v3.context_name.decode("utf-8", "replace")


def engine_id(f: Fields, raw: bytes) -> None:
    """SnmpEngineID (RFC 3411 section 5): conformance bit, enterprise, format, data."""
    if len(raw) < 5 or not raw[0] & 0x80:
        return
    add(f, "snmp.engineid.conform", 1)
    add(f, "snmp.engineid.enterprise", int.from_bytes(raw[:4], "big") & 0x7FFFFFFF)
    fmt, data = raw[4], raw[5:]
    add(f, "snmp.engineid.format", fmt)
    if fmt == 1 and len(data) == 4:
        add(f, "snmp.engineid.ipv4", ipv4_text(data))
    elif fmt == 3 and len(data) == 6:
        add(f, "snmp.engineid.mac", mac_text(data))
    elif fmt == 4:
        add(f, "snmp.engineid.text", data.decode("utf-8", "replace"))
    elif fmt == 128 and len(data) >= 4 and raw[:4] == b"\x80\x00\x1f\x88":
        add(f, "snmp.engineid.data", hex_text(data[:4]))  # Net-SNMP: random, then time
    elif data and fmt != 2:
        add(f, "snmp.engineid.data", hex_text(data))


def _pdu(f: Fields, pdu: Pdu) -> None:
    f["snmp.data"] = pdu.tag & 0x1F
    if pdu.trap is not None:
        t = pdu.trap
        for key, value in (
            ("snmp.enterprise", t.enterprise),
            ("snmp.agent_addr", t.agent_addr),
            ("snmp.generic_trap", t.generic_trap),
            ("snmp.specific_trap", t.specific_trap),
            ("snmp.time_stamp", t.time_stamp),
        ):
            if value is not None:
                f[key] = value
    if pdu.request_id is not None:
        f["snmp.request_id"] = pdu.request_id
    if pdu.tag == GETBULK:
        names = ("snmp.non_repeaters", "snmp.max_repetitions")
    else:
        names = ("snmp.error_status", "snmp.error_index")
    for key, value in zip(names, (pdu.error_status, pdu.error_index)):
        if value is not None:
            f[key] = value
    if pdu.varbind_count >= 0:
        f["snmp.variable_bindings"] = pdu.varbind_count
    for bind in pdu.varbinds:
        add(f, "snmp.name", bind.oid)
        _value(f, bind)


def _value(f: Fields, bind: VarBind) -> None:
    key = _VALUE_FIELDS.get(bind.tag, "snmp.value.unk" if bind.tag >= 0 else "")
    value = bind.value
    if not key:
        return
    if isinstance(value, bytes):
        if bind.tag == 0x40:  # not four octets: no IPv4 address
            key = "snmp.value.addr"
        if value:
            add(f, key, hex_text(value))
    elif value is None:
        if bind.tag in (0x05, 0x80, 0x81, 0x82):
            add(f, key, 1)
    else:
        add(f, key, value)

"""BACnet/IP datagrams as Wireshark 4.0 shows them (packet-bvlc.c, packet-bacnet.c,
packet-bacapp.c), for `interlock dissect`.

One record per BVLC unit: bvlc.* for the virtual link layer, bacnet.* for the NPDU, and
bacapp.* for the APDU. Wireshark's ways reproduced here only:

- bacapp.objectType and bacapp.instance_number once per object identifier the service
  parameters hold, wherever it sits (context-tagged in the service, or an application-tagged
  value: an object-list read lists every object); bacapp.property_identifier once per
  property identifier of the service (not for property identifiers that are values, such
  as a property-list's elements);
- a segmented APDU shows its header on every segment, and its body only on the segment
  that completes it;
- a segment ACK, reject and abort show the invoke id but no service;
- a BVLC-only datagram (Result, BDT, FDT, Register-Foreign-Device) has bvlc.* fields only.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.bacnet.apdu import (
    ABORT,
    COMPLEX_ACK,
    CONFIRMED_REQUEST,
    ERROR,
    REJECT,
    SEGMENT_ACK,
    SIMPLE_ACK,
    UNCONFIRMED_REQUEST,
    Apdu,
)
from interlock.protocols.bacnet.body import ServiceBody
from interlock.protocols.bacnet.bvlc import (
    BACNET_IPV6,
    DELETE_FDT_ENTRY,
    READ_FDT_ACK,
    BacnetMessage,
)
from interlock.protocols.bacnet.npdu import Npdu
from interlock.protocols.bacnet.session import Observation

_WITH_SERVICE = (CONFIRMED_REQUEST, SIMPLE_ACK, COMPLEX_ACK, ERROR)


def _address(fields: dict[str, Any], side: str, mac: bytes) -> None:
    if len(mac) == 1:
        fields[f"bacnet.{side}_mstp"] = mac[0]
    elif len(mac) == 6:
        fields[f"bacnet.{side}_eth"] = ":".join(f"{b:02x}" for b in mac)
    elif mac:
        fields[f"bacnet.{side}_tmp"] = mac.hex()


def _npdu_fields(fields: dict[str, Any], npdu: Npdu) -> None:
    fields["bacnet.version"] = npdu.version
    fields["bacnet.control"] = npdu.control
    networks: list[int] = []
    if npdu.dnet >= 0:
        networks.append(npdu.dnet)
        fields["bacnet.dlen"] = len(npdu.dadr)
        _address(fields, "dadr", npdu.dadr)
    if npdu.snet >= 0:
        fields["bacnet.snet"] = npdu.snet
        fields["bacnet.slen"] = len(npdu.sadr)
        _address(fields, "sadr", npdu.sadr)
    if npdu.hop_count >= 0:
        fields["bacnet.hopc"] = npdu.hop_count
    if npdu.message_type >= 0:
        fields["bacnet.mesgtyp"] = npdu.message_type
        networks += npdu.networks
    if npdu.vendor >= 0:
        fields["bacnet.vendor"] = npdu.vendor
    if npdu.reject_reason >= 0:
        fields["bacnet.rejectreason"] = npdu.reject_reason
    if networks:
        fields["bacnet.dnet"] = networks if len(networks) > 1 else networks[0]


def _bvlc_fields(fields: dict[str, Any], message: BacnetMessage) -> None:
    fields["bvlc.type"] = message.bvlc_type
    if message.function >= 0:
        ipv6 = message.bvlc_type == BACNET_IPV6
        fields["bvlc.function_ipv6" if ipv6 else "bvlc.function"] = message.function
    if message.length >= 0:
        fields["bvlc.length"] = message.length
    if message.forwarded_from is not None:
        fields["bvlc.fwd_ip"], fields["bvlc.fwd_port"] = message.forwarded_from
    if message.result >= 0:
        fields["bvlc.result"] = message.result
    if message.ttl >= 0:
        fields["bvlc.reg_ttl"] = message.ttl
    if message.entries:
        fdt = message.function in (READ_FDT_ACK, DELETE_FDT_ENTRY)
        prefix = "bvlc.fdt_" if fdt else "bvlc.bdt_"
        fields[prefix + "ip"] = [e.address for e in message.entries]
        fields[prefix + "port"] = [e.port for e in message.entries]
        if message.function == READ_FDT_ACK:
            fields["bvlc.fdt_ttl"] = [e.ttl for e in message.entries]
            fields["bvlc.fdt_timeout"] = [e.remaining for e in message.entries]
        elif not fdt:
            fields["bvlc.bdt_mask"] = [e.mask for e in message.entries]


def _header_fields(fields: dict[str, Any], apdu: Apdu) -> None:
    kind = apdu.type
    fields["bacapp.type"] = kind
    if kind == CONFIRMED_REQUEST:
        fields["bacapp.response_segments"] = apdu.max_segments
        fields["bacapp.max_adpu_size"] = apdu.max_apdu
    if kind != UNCONFIRMED_REQUEST and apdu.invoke_id >= 0:
        fields["bacapp.invoke_id"] = apdu.invoke_id
    if apdu.sequence >= 0:
        fields["bacapp.sequence_number"] = apdu.sequence
    if apdu.window >= 0:
        fields["bacapp.window_size"] = apdu.window
    if apdu.service >= 0:
        if kind == UNCONFIRMED_REQUEST:
            fields["bacapp.unconfirmed_service"] = apdu.service
        elif kind in _WITH_SERVICE:
            fields["bacapp.confirmed_service"] = apdu.service
    if apdu.reason >= 0:
        name = {REJECT: "bacapp.reject_reason", ABORT: "bacapp.abort_reason"}.get(kind)
        if name:
            fields[name] = apdu.reason


def _body_fields(fields: dict[str, Any], apdu: Apdu, body: ServiceBody) -> None:
    if body.objects:
        fields["bacapp.objectType"] = [o.type for o in body.objects]
        fields["bacapp.instance_number"] = [o.instance for o in body.objects]
    if body.properties:
        fields["bacapp.property_identifier"] = list(body.properties)
    if apdu.type == UNCONFIRMED_REQUEST and apdu.service == 8:
        low, high = body.param("low_limit"), body.param("high_limit")
        if isinstance(low, int) and isinstance(high, int):
            fields["bacapp.who_is.low_limit"] = low
            fields["bacapp.who_is.high_limit"] = high
    if apdu.type == UNCONFIRMED_REQUEST and apdu.service == 0 and len(body.values) >= 4:
        vendor = body.values[3]
        if isinstance(vendor, int) and not isinstance(vendor, bool):
            fields["bacapp.vendor_identifier"] = vendor
    if apdu.type == ERROR:
        error = body.values[:2] if len(body.values) >= 2 else ()
        klass, code = error if error else (body.param("error_class"), body.param("error_code"))
        if isinstance(klass, int) and isinstance(code, int):
            fields["bacapp.error_class"] = klass
            fields["bacapp.error_code"] = code


def bacnet_record(
    message: BacnetMessage, role: int, seen: Observation | None
) -> tuple[None, dict[str, Any], tuple[str, ...]]:
    """The dissect record of one BVLC unit (role is not needed: BACnet says itself what
    each APDU is)."""
    fields: dict[str, Any] = {}
    anomalies = message.anomalies
    if message.bvlc_type >= 0 and message.anomalies[:1] != ("bacnet.not_bvlc",):
        _bvlc_fields(fields, message)
    if message.npdu is not None:
        _npdu_fields(fields, message.npdu)
    apdu = message.apdu
    if apdu is not None:
        _header_fields(fields, apdu)
        body = apdu.body if not apdu.segmented else (seen.body if seen is not None else None)
        if body is not None and apdu.type != SEGMENT_ACK:
            _body_fields(fields, apdu, body)
            if apdu.segmented:
                anomalies = (*anomalies, *(a for a in body.anomalies if a not in anomalies))
    if seen is not None and seen.anomaly and seen.anomaly not in anomalies:
        anomalies = (*anomalies, seen.anomaly)
    return None, fields, anomalies

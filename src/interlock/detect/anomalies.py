"""Which dissector anomaly codes may raise alerts, and which only describe the capture.

A transaction's anomaly codes (``Transaction.anomalies``) say the peer broke its protocol:
a length that disagrees with the bytes, a reserved value, an unknown function. Those are
protocol violations, and the shipped packs map each protocol's codes to a rule.

A few codes are what a lossy or partial recording produces on its own: a sequence gap
where the capture missed a packet, a confirmation whose activation came before the capture
started, a transport segment whose first segment was not captured. Like the capture-health
counters (TCP holes, truncated frames, checksums: ``interlock.health``), they are facts
about the recording, so no rule can match them: ``anomaly:`` conditions skip these codes.
"""

from __future__ import annotations

from typing import Final

CAPTURE_ARTEFACTS: Final[frozenset[str]] = frozenset(
    {
        # IEC 104 connection state: a missed frame or a capture started mid-connection.
        "iec104.sequence_gap",
        "iec104.unmatched_confirmation",
        # DNP3 transport reassembly: a missed or repeated segment.
        "dnp3.transport_orphan",
        "dnp3.transport_sequence",
        "dnp3.transport_duplicate",
        "dnp3.transport_restart",
        # BACnet segmentation: a missed segment of a segmented APDU.
        "bacnet.missing_segment",
    }
)

NOT_VIOLATIONS: Final[frozenset[str]] = frozenset(
    {
        "http.cleartext_credentials",
        "mqtt.cleartext_credentials",
        "snmp.cleartext_community",
        "opcua.password_cleartext",
    }
)
"""Codes that flag a risky but well-formed exchange (credentials in clear text): the
behavioural detectors judge those, the protocol-violation rules leave them out."""

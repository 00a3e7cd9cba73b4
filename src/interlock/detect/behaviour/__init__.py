"""Behavioural detections: detector kinds that judge traffic over time or against the plant.

Each kind is a factory ``(RuleInfo, params, PlantContext) -> Detector`` used by rules in
``detect/rules/behaviour.yaml``; ``KINDS`` is merged into the rule loader's registry.
Every kind validates its params (``RuleParamError`` naming the key), bounds its per-key
state, and takes time only from the capture. See docs/detect-behaviour.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from interlock.detect.behaviour.brute_io import BruteForceIO
from interlock.detect.behaviour.conduits import ConduitViolation
from interlock.detect.behaviour.credentials import CleartextCredentials
from interlock.detect.behaviour.floods import RequestFlood
from interlock.detect.behaviour.port_scan import PortScan
from interlock.detect.behaviour.remote_access import RemoteAccess
from interlock.detect.behaviour.shadow_ai import AiServiceUse, LocalAiServer
from interlock.detect.behaviour.sweeps import DiscoverySweep

if TYPE_CHECKING:
    from interlock.detect.kinds import DetectorFactory

KINDS: Final[dict[str, DetectorFactory]] = {
    "discovery_sweep": DiscoverySweep,
    "port_scan": PortScan,
    "request_flood": RequestFlood,
    "brute_force_io": BruteForceIO,
    "conduit_violation": ConduitViolation,
    "remote_access": RemoteAccess,
    "cleartext_credentials": CleartextCredentials,
    "ai_service": AiServiceUse,
    "local_ai_server": LocalAiServer,
}

__all__ = ["KINDS"]

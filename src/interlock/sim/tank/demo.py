"""`interlock demo`: a tank farm attacked twice, once bare and once behind the gateway.

Eight identical simulated tanks, each a PLC on its own loopback port with the normal HMI
workload: T-101 is left alone, T-102..T-108 each get one attack scenario at the same
moment of the process.

    (a) unprotected: clients talk straight to the PLCs, through a recording relay (a tap);
        the model records the damage the attacks cause.
    (b) protected: the same workload and attacks through one `interlock gateway` per tank,
        enforcing the tank policy (`policy.demo_policy`): what it refused, by which rule,
        what the HMI lost (nothing, if the policy is right), the latency it added.
    (c) the tap's capture goes through `analyze` (inventory and detection) into the store.

Everything binds 127.0.0.1 (and 127.0.0.2 for the unknown host); the capture shows
plant-like addresses instead (PLCs 10.10.0.11-18, HMI 10.20.0.10, unknown 10.20.0.66).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from interlock.errors import InterlockError
from interlock.sim.tank.gateway_front import GatewayFront, GatewayReport
from interlock.sim.tank.policy import HMI_CAPTURE_IP, UNKNOWN_CAPTURE_IP, demo_policy
from interlock.sim.tank.recorder import RecordingRelay
from interlock.sim.tank.runner import Front, TankOutcome, TankSetup, Timing, run_tanks
from interlock.sim.tank.scenarios import SCENARIOS, UNKNOWN_CLIENT

NORMAL_TANK: Final = "T-101"
CLIENT_IPS: Final = {"127.0.0.1": HMI_CAPTURE_IP, UNKNOWN_CLIENT: UNKNOWN_CAPTURE_IP}


def farm() -> list[TankSetup]:
    setups = [TankSetup(NORMAL_TANK)]
    for index, scenario in enumerate(SCENARIOS.values()):
        setups.append(TankSetup(f"T-{102 + index}", (scenario,)))
    return setups


def server_ips(setups: list[TankSetup]) -> dict[str, str]:
    return {s.name: f"10.10.0.{11 + i}" for i, s in enumerate(setups)}


@dataclass(frozen=True)
class DemoOptions:
    out: Path = Path("out/demo")
    db: Path | None = None  # default: out/inventory.db
    speed: float = 100.0
    duration_s: float = 600.0  # simulated
    client_timeout_s: float = 0.5  # real: how long a client waits for an answer

    @property
    def store(self) -> Path:
        return self.db or self.out / "inventory.db"


@dataclass
class Phase:
    tanks: list[TankOutcome]
    real_s: float


@dataclass
class Analysis:
    db: Path
    assets: int = 0
    alerts: int = 0
    new_alerts: int = 0
    gateway_alerts: int = 0
    """Alerts stored from the gateways' audit logs (their refusals, `interlock audit import`)."""
    detection_error: str | None = None
    capture_error: str | None = None


@dataclass
class DemoResult:
    options: DemoOptions
    policy: Path
    capture: Path
    frames: int
    normal_capture: Path
    unprotected: Phase
    protected: Phase
    gateways: dict[str, GatewayReport]
    analysis: Analysis
    real_s: float = 0.0
    added_us: dict[str, float | None] = field(default_factory=dict)


def run_demo(options: DemoOptions, progress: Callable[[str], None] = lambda _: None) -> DemoResult:
    started = time.monotonic()
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    timing = Timing(
        speed=options.speed,
        duration_s=options.duration_s,
        client_timeout_s=options.client_timeout_s,
    )
    setups = farm()
    policy = out / "tank.policy.yaml"
    policy.write_text(demo_policy(options.speed), encoding="utf-8")

    progress("(a) without protection: HMI workload and attacks straight at the PLCs")
    relay = RecordingRelay(server_ips(setups))
    unprotected = _phase(setups, timing, [relay])
    capture, normal = out / "unprotected.pcap", out / "normal.pcap"
    frames = relay.write(capture, CLIENT_IPS)
    relay.write(normal, CLIENT_IPS, only={NORMAL_TANK})

    progress("(b) the same through one gateway per tank, enforcing the tank policy")
    gateways = GatewayFront(policy, out / "audit")
    protected = _phase(setups, timing, [gateways])

    progress(f"(c) analyze {capture} into {options.store}")
    analysis = analyze_capture(capture, options.store)
    analysis.gateway_alerts = import_audits(sorted((out / "audit").glob("*.jsonl")), options.store)
    analysis.alerts += analysis.gateway_alerts
    added = gateways.added()
    return DemoResult(
        options,
        policy,
        capture,
        frames,
        normal,
        unprotected,
        protected,
        gateways.reports,
        analysis,
        time.monotonic() - started,
        {
            "p50": _us(added.quantile(0.50)),
            "p99": _us(added.quantile(0.99)),
            "max": _us(added.max_ns if added.count else None),
            "count": float(added.count),
        },
    )


def _us(ns: int | None) -> float | None:
    return None if ns is None else round(ns / 1000, 1)


def _phase(setups: list[TankSetup], timing: Timing, fronts: list[Front]) -> Phase:
    started = time.monotonic()
    tanks = asyncio.run(run_tanks(setups, timing, fronts))
    return Phase(tanks, time.monotonic() - started)


def import_audits(logs: list[Path], db: Path) -> int:
    """The gateways' decisions as alerts in the store, as `interlock audit import` does."""
    from interlock.gateway.alerts import alerts_from_audit
    from interlock.gateway.audit import read_records
    from interlock.store.alerts import replace_alerts
    from interlock.store.schema import open_store

    store = open_store(db)
    alerts = [alert for log in logs for alert in alerts_from_audit(read_records(log), "demo")]
    return replace_alerts(store, alerts, 60.0)


def analyze_capture(capture: Path, db: Path) -> Analysis:
    """`interlock analyze CAPTURE --db DB`, with the shipped detection rules."""
    from interlock.analyze import DetectionSetup, analyze_frames, sha256_of
    from interlock.capture import open_capture
    from interlock.store import alerts as alert_store
    from interlock.store import repository
    from interlock.store.schema import open_store

    analysis = Analysis(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(db)
    detection = None
    try:
        from interlock.detect.loader import load_rules

        suppressed = tuple(alert_store.suppressions(store))
        detection = DetectionSetup(load_rules(None), None, suppressed)
    except InterlockError as exc:
        analysis.detection_error = str(exc)
    digest = sha256_of(capture)
    outcome = analyze_frames(
        store, open_capture(capture), str(capture), digest, "demo", {}, None, detection
    )
    if outcome.error is not None:
        analysis.capture_error = str(outcome.error)
    if outcome.detection is not None:
        analysis.new_alerts = len(outcome.detection.alerts)
    analysis.assets = repository.asset_count(store)
    analysis.alerts = len(alert_store.load_alerts(store))
    return analysis

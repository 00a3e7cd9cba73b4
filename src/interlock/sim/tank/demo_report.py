"""The demo's result as one JSON document (docs/demo.md pins its shape). Pure."""

from __future__ import annotations

from typing import Any, Final

from interlock.sim.tank.demo import DemoResult, Phase
from interlock.sim.tank.gateway_front import GatewayReport
from interlock.sim.tank.model import DAMAGE
from interlock.sim.tank.report import tank_document
from interlock.sim.tank.runner import TankOutcome

DEMO_JSON_VERSION: Final = 1


def impact(outcome: TankOutcome) -> dict[str, Any]:
    """What happened to one tank, in the terms the report uses."""
    plant = outcome.plant
    doc = plant.trajectory.document()
    hmi = outcome.hmi
    return {
        "damage": _unique(e["kind"] for e in doc["damage"]),
        "envelope_breaches": _unique(e["kind"] for e in doc["envelope_breaches"]),
        "level_max": doc["level_pct"]["max"],
        "level_min": doc["level_pct"]["min"],
        "spilled_m3": doc["spilled_m3"],
        "pump_starts": doc["pump_starts"],
        "plc_silent_s": round(plant.silent_s, 1),
        "plc_restarted": any(kind == "restart" for _, kind in plant.plc_events),
        "hmi_requests": hmi.total if hmi else 0,
        "hmi_refused": hmi.outcomes["exception"] if hmi else 0,
        "hmi_unanswered": (hmi.outcomes["no_response"] + hmi.outcomes["not_connected"])
        if hmi
        else 0,
    }


def harmed(effect: dict[str, Any]) -> bool:
    """Damage, an envelope breach, or a PLC that stopped answering or restarted."""
    return bool(
        effect["damage"]
        or effect["envelope_breaches"]
        or effect["plc_silent_s"] > 0
        or effect["plc_restarted"]
    )


def _unique(kinds: Any) -> list[str]:
    seen: list[str] = []
    for kind in kinds:
        if kind not in seen:
            seen.append(kind)
    return seen


def _refusal(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "client": record.get("client"),
        "function": record.get("function"),
        "rule": record.get("rule"),
        "reason": record.get("reason"),
        "exception_code": record.get("exception_code"),
    }


def _gateway_doc(outcome: TankOutcome, report: GatewayReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    clients = {s.client for s in outcome.scenarios}
    return {
        "audit": str(report.audit),
        "forwarded": report.actions["forwarded"],
        "refused": report.actions["refused"],
        "attack_refusals": [_refusal(r) for r in report.refused if r.get("client") in clients],
    }


def _tank_row(
    unprotected: TankOutcome, protected: TankOutcome, report: GatewayReport | None
) -> dict[str, Any]:
    record = protected.scenarios[0] if protected.scenarios else None
    scenario = unprotected.scenarios[0] if unprotected.scenarios else None
    first = scenario or record
    return {
        "name": unprotected.name,
        "scenario": first.name if first else None,
        "title": first.title if first else "Normal operation",
        "technique": first.technique if first else None,
        "unprotected": {"impact": impact(unprotected), "tank": tank_document(unprotected)},
        "protected": {
            "impact": impact(protected),
            "tank": tank_document(protected),
            "gateway": _gateway_doc(protected, report),
        },
    }


def _hmi_totals(phase: Phase) -> dict[str, int]:
    effects = [impact(t) for t in phase.tanks]
    return {
        "requests": sum(e["hmi_requests"] for e in effects),
        "refused": sum(e["hmi_refused"] for e in effects),
        "unanswered": sum(e["hmi_unanswered"] for e in effects),
    }


def _attacks(phase: Phase) -> dict[str, int]:
    records = [s for t in phase.tanks for s in t.scenarios]
    return {
        "scenarios": len(records),
        "requests": sum(len(s.attacks) for s in records),
        "refused": sum(s.refused for s in records),
    }


def summary(result: DemoResult) -> dict[str, Any]:
    pairs = list(zip(result.unprotected.tanks, result.protected.tanks))
    attacked = [(a, b) for a, b in pairs if a.scenarios]
    harmed_a = [a.name for a, _ in attacked if harmed(impact(a))]
    harmed_b = [b.name for _, b in pairs if harmed(impact(b))]
    damaged = [a.name for a, _ in pairs if set(impact(a)["damage"]) & DAMAGE]
    protected_hmi = _hmi_totals(result.protected)
    return {
        "attacks": {
            "unprotected": _attacks(result.unprotected),
            "protected": _attacks(result.protected),
        },
        "harmed_tanks": {"unprotected": harmed_a, "protected": harmed_b},
        "damaged_tanks": {
            "unprotected": damaged,
            "protected": [b.name for _, b in pairs if set(impact(b)["damage"]) & DAMAGE],
        },
        "attacks_stopped": sum(
            1 for a, b in attacked if harmed(impact(a)) and not harmed(impact(b))
        ),
        "hmi": {"unprotected": _hmi_totals(result.unprotected), "protected": protected_hmi},
        "legitimate_refused": protected_hmi["refused"] + protected_hmi["unanswered"],
        "latency_added_us": result.added_us,
    }


def next_commands(result: DemoResult) -> list[str]:
    db, capture, out = result.analysis.db, result.capture, result.options.out
    return [
        f"interlock assets --db {db}",
        f"interlock alerts --db {db}",
        f"interlock dissect {capture} --transactions",
        f"interlock policy suggest {result.normal_capture} > draft.policy.yaml",
        f"interlock audit verify {out / 'audit' / 'T-102.audit.jsonl'}",
        "interlock sim --hmi --scenario all --speed 50",
    ]


def demo_document(result: DemoResult) -> dict[str, Any]:
    reports = result.gateways
    return {
        "version": DEMO_JSON_VERSION,
        "speed": result.options.speed,
        "simulated_s": result.options.duration_s,
        "real_s": round(result.real_s, 1),
        "out": str(result.options.out),
        "policy": str(result.policy),
        "tanks": [
            _tank_row(a, b, reports.get(b.name))
            for a, b in zip(result.unprotected.tanks, result.protected.tanks)
        ],
        "summary": summary(result),
        "capture": {
            "path": str(result.capture),
            "frames": result.frames,
            "normal": str(result.normal_capture),
        },
        "store": {
            "db": str(result.analysis.db),
            "assets": result.analysis.assets,
            "alerts": result.analysis.alerts,
            "new_alerts": result.analysis.new_alerts,
            "gateway_alerts": result.analysis.gateway_alerts,
            "detection_error": result.analysis.detection_error,
            "capture_error": result.analysis.capture_error,
        },
        "next": next_commands(result),
    }

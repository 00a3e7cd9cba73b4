"""The enforcement gateway as a front for simulated tanks: one `interlock.gateway.Gateway`
per tank, in this process, each with its own audit log; afterwards, what each decided.

The decision budget is raised from the gateway's 20 ms default: the demo runs eight PLCs,
their clients and eight gateways in one Python process on whatever machine it is given,
and a budget overrun would be the machine's doing, not the policy's (docs/demo.md).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from interlock.gateway import Address as GatewayAddress
from interlock.gateway import Gateway, GatewayConfig
from interlock.gateway.audit import read_records
from interlock.gateway.histogram import LatencyHistogram, merged

Address = tuple[str, int]
DECISION_BUDGET_S: Final = 0.25


@dataclass
class GatewayReport:
    """What one tank's gateway did: its decisions and the latency it added."""

    name: str
    audit: Path
    added: LatencyHistogram
    actions: Counter[str] = field(default_factory=Counter)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def refused_for(self, client: str) -> list[dict[str, Any]]:
        return [r for r in self.refused if r.get("client") == client]


class GatewayFront:
    def __init__(self, policy: Path, audit_dir: Path) -> None:
        self.policy = policy
        self.audit_dir = audit_dir
        self.gateways: dict[str, Gateway] = {}
        self.reports: dict[str, GatewayReport] = {}

    async def open(self, name: str, upstream: Address) -> Address:
        self.audit_dir.mkdir(parents=True, exist_ok=True)
        audit = self.audit_dir / f"{name}.audit.jsonl"
        audit.unlink(missing_ok=True)
        config = GatewayConfig(
            listen=GatewayAddress("127.0.0.1", 0),
            upstream=GatewayAddress(*upstream),
            policy=self.policy,
            audit=audit,
            mode="enforce",
            decision_budget=DECISION_BUDGET_S,
            watch_policy=False,
        )
        gateway = Gateway(config)
        gateway.start()
        self.gateways[name] = gateway
        assert gateway.address is not None
        return gateway.address.host, gateway.address.port

    async def close(self) -> None:
        for name, gateway in self.gateways.items():
            await asyncio.to_thread(gateway.stop)
            self.reports[name] = _report(name, gateway)

    def added(self) -> LatencyHistogram:
        """The latency every gateway added, merged."""
        return merged(r.added for r in self.reports.values())


def _report(name: str, gateway: Gateway) -> GatewayReport:
    audit = gateway.config.audit
    report = GatewayReport(name, audit, gateway.histograms()["added"])
    for record in read_records(audit):
        if record.get("event") != "decision":
            continue
        report.actions[str(record.get("action"))] += 1
        if record.get("action") == "refused" and len(report.refused) < 200:
            report.refused.append(record)
    return report

"""A dissection summary: what talked to what, with which operations, how often."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from interlock.model import Transaction


@dataclass
class Summary:
    transactions: int = 0
    by_operation: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    """(protocol, function name, operation class, status) -> count"""
    conversations: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(protocol, client ip, server ip:port) -> transactions"""
    anomalies: Counter[str] = field(default_factory=Counter)

    def add(self, tx: Transaction) -> None:
        self.transactions += 1
        self.by_operation[(tx.protocol, tx.function_name, tx.operation.value, tx.status)] += 1
        self.conversations[(tx.protocol, tx.client.ip, f"{tx.server.ip}:{tx.server.port}")] += 1
        self.anomalies.update(tx.anomalies)

    def as_dict(self) -> dict[str, object]:
        return {
            "transactions": self.transactions,
            "operations": [
                {"protocol": p, "function": f, "operation": o, "status": s, "count": n}
                for (p, f, o, s), n in sorted(self.by_operation.items())
            ],
            "conversations": [
                {"protocol": p, "client": c, "server": s, "transactions": n}
                for (p, c, s), n in sorted(self.conversations.items())
            ],
            "anomalies": dict(sorted(self.anomalies.items())),
        }

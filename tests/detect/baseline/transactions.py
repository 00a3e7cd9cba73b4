"""Transactions built by hand, for the cases a recorded capture makes slow to reach
(hours of minutes, storms, full tables). Captures cover the real traffic (test_plant.py)."""

from __future__ import annotations

from interlock.model import Endpoint, OperationClass, Target, Transaction, TransactionStatus

PLC = Endpoint("10.10.0.5", 502)
HMI = Endpoint("10.20.0.1", 40000)
READ = (3, "read_holding_registers", OperationClass.READ)
WRITE = (6, "write_single_register", OperationClass.WRITE)


def tx(
    ts: float,
    function: tuple[int, str, OperationClass] = READ,
    client: Endpoint = HMI,
    server: Endpoint = PLC,
    targets: tuple[Target, ...] = (),
    values: tuple[int, ...] = (),
    status: TransactionStatus = "ok",
    frame: int = 1,
) -> Transaction:
    code, name, operation = function
    return Transaction(
        "modbus", client, server, code, name, operation, status, frame, frame + 1, ts, ts + 0.004,
        targets, values,
    )  # fmt: skip


def register(address: int, quantity: int = 1) -> Target:
    return Target(1, "holding_registers", address, quantity)

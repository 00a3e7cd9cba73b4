"""The simulated tank process behind `interlock sim` and `interlock demo`.

    model.py       the process: level dynamics, PI controller, damage/envelope events (pure)
    plant.py       the PLC: model + Modbus register image + comms state (pure, time given)
    trajectory.py  what happened over a run (pure, bounded)
    operator.py    the HMI operator's routine as pure decisions
    offline.py     operator + plant with no network (tests, determinism)
    registers.py   the register map (TANK.md): addresses, scaling, float32 words
    server.py      pymodbus 3 Modbus/TCP server over the plant, simulated clock
    exchanges.py   one client request and its outcome; a bounded log of them
    hmi.py         the normal HMI workload client (pymodbus)
    scenarios.py   the attack scenarios (pymodbus clients)
    recorder.py    recording relay -> pcap
    gateway_front.py  one interlock gateway per tank, and what each decided
    runner.py      tanks + fronts (relay, gateway) + clients, for a simulated duration
    session.py     `interlock sim`: one tank on an address
    policy.py      the demo's tank policy (the example's, fitted to the demo)
    demo.py        `interlock demo`: the farm without and with the gateway, then analyze
    report.py, demo_report.py   the JSON documents (docs/demo.md)

docs/demo.md describes the process, the workload, the scenarios and the JSON shapes.
"""

# Only the pure parts here: importing the package must not pull in pymodbus.
from interlock.sim.tank.model import TankInputs, TankParams, TankState, steady_state, step
from interlock.sim.tank.plant import Plant

__all__ = ["Plant", "TankInputs", "TankParams", "TankState", "steady_state", "step"]

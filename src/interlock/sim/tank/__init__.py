"""The simulated tank process behind `interlock sim` and `interlock demo`.

    model.py       the process: level dynamics, PI controller, damage/envelope events (pure)
    plant.py       the PLC: model + Modbus register image + comms state (pure, time given)
    trajectory.py  what happened over a run (pure, bounded)
    operator.py    the HMI operator's routine as pure decisions
    offline.py     operator + plant with no network (tests, determinism)
    server.py      pymodbus 3 Modbus/TCP server over the plant, simulated clock
    hmi.py         the normal HMI workload client (pymodbus)
    scenarios.py   the attack scenarios (pymodbus clients)
    recorder.py    recording relay -> pcap
    runner.py      tanks + fronts (relay, gateway) + clients, for a simulated duration

The register map is TANK.md's, in registers.py.
"""

# Only the pure parts here: importing the package must not pull in pymodbus.
from interlock.sim.tank.model import TankInputs, TankParams, TankState, steady_state, step
from interlock.sim.tank.plant import Plant

__all__ = ["Plant", "TankInputs", "TankParams", "TankState", "steady_state", "step"]

"""Run the operator's routine (and scripted writes) against the plant with no network.

What the network HMI does, minus the sockets: the operator reads the plant every
`poll_s` of simulated time and its writes land at once. Deterministic, so the model tests
and the determinism test use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from interlock.sim.tank.operator import NormalOperator, Write
from interlock.sim.tank.plant import Plant


def apply(plant: Plant, write: Write) -> None:
    if write.space == "coil":
        plant.write_coils(write.address, [bool(write.value)])
    else:
        plant.write_holding(write.address, [write.value])


def run(
    plant: Plant,
    duration_s: float,
    operator: NormalOperator | None = None,
    scripted: Iterable[tuple[float, Write]] = (),
    poll_s: float = 1.0,
) -> Plant:
    """Advance the plant duration_s (in whole polls), the operator deciding every poll_s;
    scripted writes (time, write) land at their time (rounded up to the next poll)."""
    pending = sorted(scripted, key=lambda item: item[0])
    for _ in range(math.ceil(duration_s / poll_s - 1e-9)):
        while pending and pending[0][0] <= plant.now + 1e-9:
            apply(plant, pending.pop(0)[1])
        if operator is not None:
            inputs = plant.input_registers()
            level, inflow = (inputs[0] / 10, inputs[1] / 10) if plant.answering else (None, None)
            for write in operator.decide(plant.now, level, inflow):
                if plant.answering:
                    apply(plant, write)
        plant.advance(poll_s)
    return plant

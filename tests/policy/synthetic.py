"""A large policy for the property tests: 500 tags of every kind on one PLC, 20 rules, 50
interlocks (bench/run_policy_core.py builds the same shape for the benchmark)."""

from __future__ import annotations


def large_policy(tags: int = 500) -> str:
    coils, words, floats = tags * 2 // 5, tags * 2 // 5, tags // 10
    inputs = tags - coils - words - floats
    lines = [
        "default: deny",
        "clients:",
        *(f"  hmi{n}: [10.20.{n}.0/24]" for n in range(8)),
        "  eng: [10.30.0.5, 10.30.0.6]",
        "windows:",
        '  - {name: night, days: [sat, sun], start: "22:00", end: "04:00"}',
        "assets:",
        "  - {name: plc, protocol: modbus, unit: 1, address: 10.10.0.5}",
        "tags:",
    ]
    lines += [f"  - {{name: c{n}, space: coils, address: {n}, envelope: {{min_interval: 1}}}}"
              for n in range(coils)]  # fmt: skip
    lines += [
        f"  - {{name: w{n}, space: holding_registers, address: {n}, scale: 0.1, units: '%', "
        f"envelope: {{min: 0, max: 100, max_step: 10, max_rate: 5}}}}"
        for n in range(words)
    ]
    lines += [
        f"  - {{name: f{n}, space: holding_registers, address: {1000 + 2 * n}, type: float32, "
        f"units: m3/h, envelope: {{min: 0, max: 500}}}}"
        for n in range(floats)
    ]
    lines += [f"  - {{name: i{n}, space: input_registers, address: {n}, scale: 0.1}}"
              for n in range(inputs)]  # fmt: skip
    lines += ["rules:"]
    for n in range(8):
        lines += [
            f"  - {{name: hmi{n}-reads, clients: [hmi{n}], operations: [read], ranges: ["
            f"{{space: coils, start: 0, end: {coils - 1}}}, "
            f"{{space: holding_registers, start: 0, end: {words - 1}}}, "
            f"{{space: input_registers, start: 0, end: {inputs - 1}}}]}}",
            f"  - {{name: hmi{n}-writes, clients: [hmi{n}], operations: [write], "
            f"tags: [{', '.join(f'w{k}' for k in range(n * 20, n * 20 + 20))}, "
            f"{', '.join(f'c{k}' for k in range(n * 20, n * 20 + 20))}]}}",
        ]
    lines += [
        "  - {name: eng-reads, clients: [eng], operations: [read, identity], assets: [plc]}",
        "  - {name: eng-work, clients: [eng], operations: [write, diagnostic, restart, program],"
        " assets: [plc], windows: [night]}",
        "  - {name: no-program, action: deny, operations: [program, mode_change]}",
        "  - {name: everyone-identity, operations: [identity], assets: [plc], mode: monitor}",
        "interlocks:",
    ]
    for n in range(50):
        lines += [
            f"  - name: guard{n}",
            f"    tag: w{n}",
            f"    require: c{n} and i{n % inputs} < 90 and abs(value - w{(n + 1) % words}) <= 50",
        ]
    return "\n".join(lines) + "\n"

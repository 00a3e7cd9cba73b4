"""The tank policy the demo enforces: docs/examples/tank.policy.yaml, fitted to the demo.

Two things differ from the example, and a test holds everything else equal to it:

- Addresses. The demo's HMI speaks from 127.0.0.1 (10.20.0.10 in the capture it records),
  so the `hmi` group lists both; the asset names no address, so one policy covers every
  simulated tank (each a PLC on its own port) and the recorded capture alike.
- Time. The simulated plant runs `speed` times faster than the wall clock the gateway
  decides on, so the time limits are scaled with it: a 2 s minimum interval of plant time
  is 2/speed s of wall time, a rate of 2 %/s of plant time is 2*speed %/s of wall time.
  At speed 1 the numbers are the example's own.
"""

from __future__ import annotations

from typing import Final

HMI_CAPTURE_IP: Final = "10.20.0.10"
ENGINEERING_IP: Final = "10.20.0.50"
UNKNOWN_CAPTURE_IP: Final = "10.20.0.66"

_TEMPLATE: Final = """\
# The tank process of `interlock demo` (docs/demo.md): docs/examples/tank.policy.yaml with
# the demo's addresses, and its time limits scaled to a plant running {speed:g}x real time.
version: 1
description: Tank farm controller - operators run the process, engineers change it in a window
default: deny
mode: enforce
malformed: block
failure_mode: closed

clients:
  hmi: [{hmi}, 127.0.0.1]
  engineering: [{engineering}]

windows:
  - name: saturday-maintenance
    description: the weekly window for engineering work
    days: [sat]
    start: "02:00"
    end: "06:00"
    utc_offset: "+00:00"

assets:
  - name: tank-plc
    protocol: modbus
    unit: 1
    criticality: high
    failure_mode: closed

tags:
  - name: pump_run
    space: coils
    address: 0
    description: inflow pump running
    envelope: {{min_interval: {interval}}}
  - name: inlet_valve_open
    space: coils
    address: 1
    description: inlet valve open (flow only when the pump runs and the valve is open)
    envelope: {{min_interval: {interval}}}
  - name: outlet_valve_open
    space: coils
    address: 2
    envelope: {{min_interval: {interval}}}
  - name: level_sp
    space: holding_registers
    address: 0
    type: uint16
    scale: 0.1
    units: "%"
    description: level setpoint for the controller
    envelope: {{min: 10, max: 90, max_step: 5, max_rate: {rate}}}
  - name: pump_speed_sp
    space: holding_registers
    address: 1
    scale: 0.1
    units: "%"
    envelope: {{min: 0, max: 100, max_step: 20}}
  - name: outflow_limit
    space: holding_registers
    address: 2
    type: float32
    word_order: big
    units: m3/h
    envelope: {{min: 0, max: 50}}
  - name: high_alarm_limit
    space: holding_registers
    address: 10
    scale: 0.1
    units: "%"
    envelope: {{min: 50, max: 95}}
  - {{name: tank_level, space: input_registers, address: 0, scale: 0.1, units: "%"}}
  - {{name: inflow, space: input_registers, address: 1, scale: 0.1, units: m3/h}}
  - {{name: outflow, space: input_registers, address: 2, scale: 0.1, units: m3/h}}
  - {{name: high_alarm, space: discrete_inputs, address: 0}}
  - {{name: low_alarm, space: discrete_inputs, address: 1}}

rules:
  - name: hmi-monitoring
    description: the HMI polls the whole process image
    clients: [hmi]
    operations: [read]
    tags: [pump_run, inlet_valve_open, outlet_valve_open, level_sp, pump_speed_sp,
           outflow_limit, high_alarm_limit, tank_level, inflow, outflow, high_alarm, low_alarm]
  - name: hmi-operation
    description: operators change setpoints and run the pump and valves
    clients: [hmi]
    operations: [write]
    tags: [pump_run, inlet_valve_open, outlet_valve_open, level_sp, pump_speed_sp, outflow_limit]
  - name: engineering-reads
    clients: [engineering]
    operations: [read, identity]
    assets: [tank-plc]
  - name: engineering-maintenance
    description: alarm limits, diagnostics and restarts only in the maintenance window
    clients: [engineering]
    operations: [write, diagnostic, restart]
    assets: [tank-plc]
    windows: [saturday-maintenance]

interlocks:
  - name: inlet-valve-needs-pump
    description: the inlet valve may open only while the pump runs and the tank is below 90 %
    tag: inlet_valve_open
    when: value
    require: pump_run and tank_level < 90
  - name: pump-start-below-overflow
    description: the pump may start only while the tank is below 95 %
    tag: pump_run
    when: value and not current
    require: tank_level < 95
  - name: setpoint-below-alarm
    description: the level setpoint stays below the high alarm limit (when the limit is known)
    tag: level_sp
    require: value < high_alarm_limit
    if_unknown: allow
"""


def demo_policy(speed: float) -> str:
    """The demo's policy as YAML text, its time limits scaled to the plant's speed."""
    return _TEMPLATE.format(
        speed=speed,
        hmi=HMI_CAPTURE_IP,
        engineering=ENGINEERING_IP,
        interval=_number(2.0 / speed),
        rate=_number(2.0 * speed),
    )


def _number(value: float) -> str:
    return f"{value:.6g}"

"""Loading zones files: the example is valid; every error is reported at once, each at its
line; nothing is returned when anything is wrong."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from interlock.zones import LoadError, ZoneModel, load_zones

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "zones.yaml"


def errors(text: str) -> list[str]:
    result = load_zones(text, "z.yaml")
    assert isinstance(result, list), "expected errors"
    return [str(e) for e in result]


def model(text: str) -> ZoneModel:
    result = load_zones(text, "z.yaml")
    assert isinstance(result, ZoneModel), [str(e) for e in result]
    return result


def test_the_example_is_valid() -> None:
    loaded = load_zones(EXAMPLE.read_text(), str(EXAMPLE))
    assert isinstance(loaded, ZoneModel), [str(e) for e in loaded]
    assert [z.name for z in loaded.zones] == ["enterprise", "dmz", "supervisory", "cell-1"]
    supervisory = loaded.zone("supervisory")
    assert supervisory.security_level.as_json() == {
        "IAC": 2, "UC": 2, "SI": 3, "DC": 1, "RDF": 3, "TRE": 2, "RA": 3,
    }  # fmt: skip
    assert ipaddress.ip_network("fd00:20::/64") in supervisory.members.networks
    assert loaded.zone("cell-1").members.macs == ("00:1b:1b:23:eb:3b",)
    hmi = loaded.conduits[0]
    assert hmi.zones == ("supervisory", "cell-1") and hmi.initiator == "supervisory"
    modbus = hmi.rule_for("modbus")
    assert modbus is not None and modbus.operations == {"read", "write", "identity", "diagnostic"}
    enip = hmi.rule_for("enip")
    assert enip is not None and enip.operations is None
    assert loaded.conduits[-1].internal


FIVE_ERRORS = """\
zones:
  - name: cell-1
    security_level: 5
    members:
      cidrs: [10.10.0.0/24]
  - name: dmz
    security_level: 2
    colour: red
    members:
      cidrs: [10.10.0.0/24]
conduits:
  - name: plc-to-dmz
    zones: [cell-1, enterprise]
    protocols:
      modbuss: [read]
"""


def test_five_different_errors_give_five_lines_with_their_lines() -> None:
    assert errors(FIVE_ERRORS) == [
        "z.yaml:3: the target security level (SL-T) of zone `cell-1` is 5, out of range (0..4)",
        "z.yaml:8: unknown key `colour` in a zone (expected one of: name, security_level, "
        "description, members)",
        "z.yaml:10: address range 10.10.0.0/24 is in zone `cell-1` (line 5) and in zone `dmz`",
        "z.yaml:13: conduit `plc-to-dmz` names zone `enterprise`, which is not defined",
        "z.yaml:15: unknown protocol `modbuss` in conduit `plc-to-dmz` (did you mean `modbus`?)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zones: []\ncolor: 1\n", "z.yaml:2: unknown key `color` in the zones file"),
        ("zones:\n  - name: a\n", "z.yaml:2: a zone has no `security_level`"),
        ("zones:\n  - name: 7\n    security_level: 1\n", "z.yaml:2: a zone's name must be a string, not an integer ('7')"),
        ("zones:\n  - {name: a, security_level: '2'}\n", "z.yaml:2: the target security level (SL-T) of zone `a` must be an integer, not a string ('2')"),
        ("zones:\n  - {name: a, security_level: true}\n", "z.yaml:2: the target security level (SL-T) of zone `a` must be an integer, not a boolean ('true')"),
        ("zones:\n  - {name: a, security_level: -1}\n", "out of range (0..4)"),
        ("zones:\n  - name: a\n    security_level: {IAC: 1, UC: 1}\n", "z.yaml:3: the target security level (SL-T) of zone `a` has no `SI`, `DC`, `RDF`, `TRE`, `RA`"),
        ("zones:\n  - name: a\n    security_level: 1\n    members: {cidrs: [10.0.0.5/8]}\n", "z.yaml:4: `10.0.0.5/8` has host bits set (did you mean 10.0.0.0/8?)"),
        ("zones:\n  - name: a\n    security_level: 1\n    members: {cidrs: [10.0.0.0/33]}\n", "z.yaml:4: `10.0.0.0/33` is not an IPv4 or IPv6 CIDR"),
        ("zones:\n  - name: a\n    security_level: 1\n    members: {cidrs: ['fd00::1/64']}\n", "has host bits set (did you mean fd00::/64?)"),
        ("zones:\n  - name: a\n    security_level: 1\n    members: {macs: [00:11:22]}\n", "z.yaml:4: `00:11:22` is not a MAC address"),
        ("zones:\n  - name: a\n    security_level: 1\n    members: {assets: [0]}\n", "z.yaml:4: an asset id is 0, out of range (>= 1)"),
        ("zones:\n  - name: a\n    security_level: 1\n    members: {assets: [3, 3]}\n", "z.yaml:4: asset 3 is listed twice in zone `a` (line 4)"),
        ("zones:\n  - {name: a, security_level: 1, members: {hostnames: [PLC1]}}\n  - {name: b, security_level: 1, members: {hostnames: [plc1]}}\n", "z.yaml:3: hostname plc1 is in zone `a` (line 2) and in zone `b`"),
        ("zones:\n  - {name: a, security_level: 1}\n  - {name: a, security_level: 2}\n", "z.yaml:3: zone `a` is already defined (line 2)"),
        ("zones:\n  - {name: a, security_level: 1, name: b}\n", "z.yaml:2: duplicate key `name` in a zone"),
        ("zones: {name: a}\n", "z.yaml:1: `zones` must be a list, not a mapping"),
        ("zones: [\n", "z.yaml:2: not valid YAML"),
        ("", "z.yaml:1: the file is empty"),
        ("version: 2\nzones: []\n", "z.yaml:1: version is 2, out of range (1..1)"),
    ],
)  # fmt: skip
def test_zone_errors(text: str, expected: str) -> None:
    found = errors(text)
    assert len(found) == 1 and expected in found[0], found


ZONES = "zones:\n  - {name: a, security_level: 1}\n  - {name: b, security_level: 1}\nconduits:\n"


@pytest.mark.parametrize(
    ("conduits", "expected"),
    [
        ("  - {name: c, zones: [a, b]}\n", "z.yaml:5: a conduit has no `protocols`"),
        ("  - {name: c, zones: [a, b, a], protocols: [dns]}\n", "z.yaml:5: conduit `c` joins one zone (to itself) or two, not 3"),
        ("  - {name: c, zones: [a, x], protocols: [dns]}\n", "z.yaml:5: conduit `c` names zone `x`, which is not defined"),
        ("  - {name: c, zones: [a, b], initiator: x, protocols: [dns]}\n", "z.yaml:5: the initiator of conduit `c` must be one of its zones (a, b)"),
        ("  - {name: c, zones: [a, b], protocols: [dns, dns]}\n", "z.yaml:5: protocol `dns` is listed twice in conduit `c`"),
        ("  - {name: c, zones: [a, b], protocols: {modbus: [read, flash]}}\n", "z.yaml:5: unknown operation class `flash` for modbus in conduit `c`"),
        ("  - {name: c, zones: [a, b], protocols: {modbus: read}}\n", "z.yaml:5: the operations of modbus in conduit `c` must be a list or `any`"),
        ("  - {name: c, zones: [a, b], protocols: []}\n", "z.yaml:5: conduit `c` allows no protocol"),
        ("  - {name: c, zones: [a, b], protocols: 7}\n", "z.yaml:5: the protocols of conduit `c` must be a list or a mapping"),
        ("  - {name: c, zones: [a, b], protocols: [{dns: any, tls: any}]}\n", "z.yaml:5: each protocol of conduit `c` is `name` or `name: [operations]`"),
        ("  - {name: c, zones: [a, b], protocols: [dns]}\n  - {name: c, zones: [a], protocols: [dns]}\n", "z.yaml:6: conduit `c` is already defined (line 5)"),
        ("  - {name: c, zones: [a, b], protocols: [dns], security_level: 9}\n", "z.yaml:5: the target security level (SL-T) of conduit `c` is 9"),
    ],
)  # fmt: skip
def test_conduit_errors(conduits: str, expected: str) -> None:
    found = errors(ZONES + conduits)
    assert len(found) == 1 and expected in found[0], found


def test_nested_ranges_in_different_zones_are_allowed() -> None:
    loaded = model(
        "zones:\n"
        "  - {name: plant, security_level: 1, members: {cidrs: [10.0.0.0/8]}}\n"
        "  - {name: cell, security_level: 3, members: {cidrs: [10.10.1.0/24, 10.10.1.7]}}\n"
    )
    assert [str(n) for n in loaded.zone("cell").members.networks] == [
        "10.10.1.0/24",
        "10.10.1.7/32",
    ]


def test_protocol_forms_and_macs_in_any_notation() -> None:
    loaded = model(
        "zones:\n"
        "  - name: a\n"
        "    security_level: 0\n"
        "    members: {macs: [10:20:30:40:50:59, 00-1B-1B-23-EB-3C, 001b.1b23.eb3d]}\n"
        "conduits:\n"
        "  - name: inside\n"
        "    zones: [a, a]\n"
        "    protocols: [dns, {modbus: [read]}, {s7comm-plus: any}, any]\n"
    )
    assert loaded.zones[0].members.macs == (
        "10:20:30:40:50:59", "00:1b:1b:23:eb:3c", "00:1b:1b:23:eb:3d",
    )  # fmt: skip
    rules = {r.protocol: r.operations for r in loaded.conduits[0].rules}
    assert rules == {"dns": None, "modbus": {"read"}, "s7comm-plus": None, "any": None}
    assert loaded.conduits[0].internal


def test_errors_are_sorted_by_line_and_typed() -> None:
    result = load_zones(FIVE_ERRORS, "z.yaml")
    assert isinstance(result, list)
    assert all(isinstance(e, LoadError) for e in result)
    assert [e.line for e in result] == sorted(e.line for e in result)

"""Build hook: compile the per-packet hot path with mypyc when a compiler is available.

Everything else is in pyproject.toml. The compiled modules are ordinary, fully typed
Python; mypyc turns them into C extensions (measured in bench/RESULTS.md: a fifth less time
per packet for Modbus, about half for DNP3 and EtherNet/IP). Where compilation is impossible (no C compiler, no Python headers)
or INTERLOCK_PURE=1 is set, the package installs as pure Python and behaves the same.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

HOT_PATH = [
    "src/interlock/engine.py",
    "src/interlock/net/flows.py",
    "src/interlock/net/flow_table.py",
    "src/interlock/net/ip.py",
    "src/interlock/capture/chunks.py",
    "src/interlock/capture/pcap.py",
    "src/interlock/capture/pcapng.py",
    "src/interlock/protocols/modbus/mbap.py",
    "src/interlock/protocols/modbus/pdu.py",
    "src/interlock/protocols/modbus/session.py",
    "src/interlock/render/dissect.py",
    "src/interlock/render/modbus_record.py",
    *(
        f"src/interlock/protocols/dnp3/{name}.py"
        for name in ("crc", "link", "transport", "headers", "application", "session")
    ),
    *(f"src/interlock/protocols/dnp3/{name}.py" for name in ("objects", "qualifiers", "values")),
    "src/interlock/render/dnp3_record.py",
    *(
        f"src/interlock/protocols/enip/{name}.py"
        for name in ("encap", "cpf", "session", "connections")
    ),
    *(
        f"src/interlock/protocols/cip/{name}.py"
        for name in ("epath", "message", "connection", "attributes")
    ),
    "src/interlock/render/enip_record.py",
    *(
        f"src/interlock/protocols/s7comm/{name}.py"
        for name in (
            "tpkt",
            "cotp",
            "header",
            "pdu",
            "job",
            "userdata",
            "variables",
            "session",
            "szl",
        )
    ),
    "src/interlock/render/s7comm_record.py",
    # Issue 4 and 5 parsers, as their authors listed them safe (pure functions, slotted
    # classes and NamedTuples); certificate parsing and transaction building stay Python.
    *(
        f"src/interlock/protocols/iec104/{name}.py"
        for name in ("apci", "asdu", "elements", "session")
    ),
    *(
        f"src/interlock/protocols/bacnet/{name}.py"
        for name in ("tags", "npdu", "apdu", "body", "bvlc", "session")
    ),
    *(
        f"src/interlock/protocols/opcua/{name}.py"
        for name in ("binary", "variant", "transport", "service", "messages", "session")
    ),
    *(
        f"src/interlock/protocols/mqtt/{name}.py"
        for name in ("wire", "properties", "connect", "packets", "framing", "probe", "session")
    ),
    *(
        f"src/interlock/protocols/tls/{name}.py"
        for name in ("record", "reader", "extensions", "hello", "messages", "session")
    ),
    *(
        f"src/interlock/protocols/dns/{name}.py"
        for name in ("framing", "names", "rdata", "message")
    ),
    *(
        f"src/interlock/protocols/http/{name}.py"
        for name in ("startline", "headers", "chunked", "framing", "message", "session")
    ),
    *(
        f"src/interlock/render/{name}_record.py"
        for name in ("iec104", "bacnet", "opcua", "mqtt", "tls", "dns", "http")
    ),
    # The inventory's per-transaction path and its merge, and the assets view.
    *(
        f"src/interlock/inventory/{name}.py"
        for name in ("model", "observations", "merge", "roles", "facts/__init__", "facts/base")
    ),
    *(f"src/interlock/inventory/facts/{name}.py" for name in ("ics", "bacnet", "link", "services")),
    "src/interlock/render/inventory.py",
    # The inline gateway's per-request path and the policy core it asks (issue 9): slotted
    # classes, no monkeypatching; the rest of the gateway (server, CLI, metrics) stays Python.
    *(
        f"src/interlock/policy/{name}.py"
        for name in ("request", "core", "access", "state", "checks", "evaluate", "datatypes")
    ),
    "src/interlock/policy/modbus.py",
    "src/interlock/policy/windows.py",
    *(
        f"src/interlock/gateway/{name}.py"
        for name in ("adapter", "modbus", "decider", "pending", "histogram", "audit", "session")
    ),
    "src/interlock/gateway/counters.py",
    "src/interlock/gateway/upstream.py",
    "src/interlock/gateway/server.py",
    # The transaction every consumer reads (inventory, detection, policy): compiled, its
    # fields are read as native attributes, not through generic attribute lookup.
    "src/interlock/model.py",
    # Detection's per-transaction path (issue 7): the run, the dispatch index and match
    # rules, the aggregator and alert, and the behavioural detectors every ICS request meets.
    *(
        f"src/interlock/detect/{name}.py"
        for name in (
            "engine", "index", "match", "aggregate", "pending", "alert", "hits", "suppress"
        )
    ),
    *(
        f"src/interlock/detect/behaviour/{name}.py"
        for name in ("windows", "floods", "brute_io", "sweeps", "conduits", "evidence")
    ),
]


class OptionalBuildExt(build_ext):
    """Compile if we can; otherwise say so once and install the pure-Python package."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # a missing compiler surfaces as several error types
            print(
                f"interlock: mypyc compilation failed ({exc}); installing pure Python",
                file=sys.stderr,
            )

    def build_extension(self, ext) -> None:  # type: ignore[no-untyped-def]
        try:
            super().build_extension(ext)
        except Exception as exc:
            print(
                f"interlock: could not compile {ext.name} ({exc}); it stays pure Python",
                file=sys.stderr,
            )


def extensions() -> list:  # type: ignore[type-arg]
    if os.environ.get("INTERLOCK_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    return mypycify(HOT_PATH, opt_level="3", separate=False)


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})

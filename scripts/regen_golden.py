#!/usr/bin/env python3
"""Regenerate tests/data/demo-modbus.pcap and its golden outputs; review the diff.

The capture is a real pymodbus client/server session recorded on loopback
(interlock.sim.modbus_session), written with fixed addresses and timestamps.
usage: .venv/bin/python scripts/regen_golden.py
"""

import contextlib
import io
import sys
from pathlib import Path

from interlock.sim.modbus_session import record_session, write_capture

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from tests_support import write_golden

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        chunks = record_session()
    capture = DATA / "demo-modbus.pcap"
    write_capture(capture, chunks)
    write_golden(capture)


if __name__ == "__main__":
    main()

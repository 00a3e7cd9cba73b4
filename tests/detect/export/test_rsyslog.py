"""Delivery to a real rsyslog, run unprivileged on high ports with a temporary config.

Skipped when Debian's rsyslog is not installed (nothing is installed by the tests)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from interlock.detect.export import SyslogForwarder

from .conftest import make_alert
from .receivers import WAIT, free_port

RSYSLOGD = shutil.which("rsyslogd") or (
    "/usr/sbin/rsyslogd" if Path("/usr/sbin/rsyslogd").exists() else None
)
# .ci/run installs rsyslog: under CI its absence is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    RSYSLOGD is None and os.environ.get("CI") != "true",
    reason="rsyslogd is not installed (Debian package rsyslog; .ci/run installs it)",
)

CONFIG = """
global(workDirectory="{work}")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="{udp}")
input(type="imtcp" address="127.0.0.1" port="{tcp}")
template(name="fields" type="string"
         string="%pri%|%app-name%|%procid%|%msgid%|%hostname%|%structured-data%|%msg%\\n")
*.* action(type="omfile" file="{out}" template="fields")
"""


def _wait_until(check, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, f"rsyslogd: {what}"
        time.sleep(0.05)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_rsyslog_receives_udp_and_tcp(tmp_path: Path) -> None:
    udp, tcp = free_port(socket.SOCK_DGRAM), free_port()
    out = tmp_path / "received.log"
    conf = tmp_path / "rsyslog.conf"
    conf.write_text(CONFIG.format(work=tmp_path, udp=udp, tcp=tcp, out=out))
    daemon = subprocess.Popen(
        [str(RSYSLOGD), "-n", "-f", str(conf), "-i", str(tmp_path / "rsyslogd.pid")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until(lambda: _listening(tcp) or daemon.poll() is not None, "never listened")
        assert daemon.poll() is None, daemon.stdout.read().decode() if daemon.stdout else ""
        alert = make_alert()
        for url, fmt in ((f"tcp://127.0.0.1:{tcp}", "cef"), (f"udp://127.0.0.1:{udp}", "ecs")):
            with SyslogForwarder(url, hostname="sensor-1") as forwarder:
                forwarder.send_alert(alert, fmt)
            assert forwarder.stats.sent == 1
        _wait_until(
            lambda: out.exists() and len(out.read_text().splitlines()) >= 2, "messages not written"
        )
    finally:
        daemon.terminate()
        daemon.wait(WAIT)
    lines = sorted(out.read_text().splitlines(), key=lambda line: "|CEF|" not in line)
    for line, msgid in zip(lines, ("CEF", "ECS"), strict=True):
        pri, app, _, got_msgid, host, sd, msg = line.split("|", 6)
        assert (pri, app, got_msgid, host) == ("131", "interlock", msgid, "sensor-1")
        assert 'origin software="Interlock"' in sd
        assert alert.id in msg

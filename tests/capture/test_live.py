"""Live capture end to end: a pymodbus client and server in two network namespaces joined
by a veth pair, dissected live on the server's end of the pair.

The namespaces, the veth pair and every process are the test's own and are removed after
it. Needs root and `ip netns` (iproute2): skipped without them, but a failure when CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from interlock.capture.live import live_frames
from interlock.capture.tcpdump import tcpdump_frames
from interlock.errors import CaptureError

PYTHON = sys.executable
INTERLOCK = str(Path(sys.executable).with_name("interlock"))
SERVER_IP, CLIENT_IP = "10.213.0.1", "10.213.0.2"
WAIT = 20.0  # seconds to wait for a process; a bound against hangs, not a measurement
DURATION = "5"  # --duration of a capture: the session inside it takes well under a second

SERVER = """
import asyncio, sys
from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
from pymodbus.server import ModbusTcpServer

async def main():
    device = ModbusDeviceContext(
        di=ModbusSequentialDataBlock(1, [0] * 100), co=ModbusSequentialDataBlock(1, [0] * 100),
        hr=ModbusSequentialDataBlock(1, list(range(100))), ir=ModbusSequentialDataBlock(1, [0] * 100),
    )
    context = ModbusServerContext(devices=device, single=True)
    await ModbusTcpServer(context, address=(sys.argv[1], 502)).serve_forever()

asyncio.run(main())
"""

# Connects only after "go" on stdin, so that the capture sees the handshake; prints, as its
# last line, [function code, transaction id, exception code or 0] for each call.
CLIENT = """
import asyncio, json, sys
from pymodbus.client import AsyncModbusTcpClient

async def main():
    print("ready", flush=True)
    sys.stdin.readline()
    client = AsyncModbusTcpClient(sys.argv[1], port=502, timeout=5, retries=0)
    assert await client.connect()
    calls = [
        (3, client.read_holding_registers(0, count=4, device_id=1)),
        (6, client.write_register(2, 500, device_id=1)),
        (1, client.read_coils(0, count=8, device_id=1)),
        (16, client.write_registers(10, [1, 2, 3], device_id=1)),
        (3, client.read_holding_registers(9000, count=2, device_id=1)),
    ]
    done = []
    for fc, call in calls:
        response = await call
        done.append([fc, response.transaction_id, getattr(response, "exception_code", 0)])
    client.close()
    print(json.dumps(done), flush=True)

asyncio.run(main())
"""

# The tcpdump source through the same engine and renderer as `interlock dissect --jsonl`.
TCPDUMP_DISSECT = """
import sys
from interlock import dissect as job
from interlock.capture.tcpdump import tcpdump_frames
from interlock.render.dissect import JsonlSink
sink = JsonlSink(sys.stdout.buffer, None, job.server_ports({}))
frames = tcpdump_frames(sys.argv[1], duration=float(sys.argv[2]))
print("listening", file=sys.stderr, flush=True)
result = job.run(frames, sink, {})
sink.flush()
print(result.health.as_dict(), file=sys.stderr)
sys.exit(2 if result.error else 0)
"""


# Opens a capture on ilt-gone0, deletes the interface under it, prints how the capture ended.
GONE = """
import subprocess, sys
from interlock.capture.live import live_frames
from interlock.capture.tcpdump import tcpdump_frames
from interlock.errors import CaptureError
source = {"afpacket": live_frames, "tcpdump": tcpdump_frames}[sys.argv[1]]
capture = source("ilt-gone0", duration=float(sys.argv[2]))
subprocess.run(["ip", "link", "del", "ilt-gone0"], check=True)
try:
    print("ended after", sum(1 for _ in capture), "frames")
except CaptureError as exc:
    print("CaptureError:", exc)
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: live capture tests must run)")
    pytest.skip(reason)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=WAIT)


def _in(ns: str, *argv: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(["ip", "netns", "exec", ns, *argv], text=True, **popen)


def _wait_for(check: Any, what: str, said: Any = str) -> None:
    give_up = time.monotonic() + WAIT
    while not check():
        if time.monotonic() > give_up:
            raise AssertionError(f"gave up waiting for {what}: {said()}")
        time.sleep(0.05)


def _proc_net(ns: str, name: str) -> list[str]:
    out = subprocess.run(
        ["ip", "netns", "exec", ns, "cat", f"/proc/net/{name}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=WAIT,
    ).stdout
    return out.splitlines()[1:]


@dataclass
class Lab:
    server_ns: str
    client_ns: str
    server_if: str


def _need_namespaces() -> None:
    if os.geteuid() != 0:
        _unavailable("live capture needs root (network namespaces, packet sockets)")
    if shutil.which("ip") is None:
        _unavailable("live capture tests need iproute2's `ip`")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    _need_namespaces()
    pid = os.getpid()
    nets = Lab(f"ilt-srv-{pid}", f"ilt-cli-{pid}", f"iltS{pid}")
    client_if = f"iltC{pid}"
    made: list[str] = []
    server = None
    try:
        for ns in (nets.server_ns, nets.client_ns):
            try:
                _ip("netns", "add", ns)
            except subprocess.CalledProcessError as exc:
                _unavailable(f"`ip netns add` failed: {exc.stderr.decode().strip()}")
            made.append(ns)
        _ip("link", "add", nets.server_if, "type", "veth", "peer", "name", client_if)
        for ns, dev, addr in (
            (nets.server_ns, nets.server_if, SERVER_IP),
            (nets.client_ns, client_if, CLIENT_IP),
        ):
            _ip("link", "set", dev, "netns", ns)
            _ip("-n", ns, "addr", "add", f"{addr}/24", "dev", dev)
            _ip("-n", ns, "link", "set", dev, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
        log = tmp_path_factory.mktemp("live") / "server.log"
        with open(log, "w") as out:
            server = _in(nets.server_ns, PYTHON, "-c", SERVER, SERVER_IP, stdout=out, stderr=out)
        _wait_for(
            lambda: any(
                line.split()[1].endswith(":01F6") and line.split()[3] == "0A"
                for line in _proc_net(nets.server_ns, "tcp")
            ),
            "the pymodbus server to listen on port 502",
            lambda: log.read_text(),
        )
        yield nets
    finally:
        if server is not None:
            server.terminate()  # our own child
            server.wait(timeout=WAIT)
        for ns in made:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


def _bound_packet_socket(lab: Lab) -> bool:
    """A packet socket in the server's namespace receives every protocol on its veth."""
    for line in _proc_net(lab.server_ns, "packet"):
        _sk, _refs, _type, proto, iface, running, *_ = line.split()
        if proto == "0003" and iface != "0" and running == "1":
            return True
    return False


def _session(lab: Lab, capture: subprocess.Popen[str], tcpdump: bool = False) -> list[list[int]]:
    """Run the client once the capture listens; return what the client did."""
    client = _in(
        lab.client_ns,
        PYTHON,
        "-c",
        CLIENT,
        SERVER_IP,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert client.stdin is not None and client.stdout is not None
    assert client.stdout.readline().strip() == "ready"
    if tcpdump:
        # tcpdump's socket exists before it listens: wait for the snippet's word instead.
        assert capture.stderr is not None
        assert capture.stderr.readline().strip() == "listening"
    else:
        # The socket source listens once its packet socket is bound to the interface.
        _wait_for(
            lambda: capture.poll() is not None or _bound_packet_socket(lab),
            "the capture to bind its packet socket",
        )
    assert capture.poll() is None, "the capture ended before the session"
    out, _ = client.communicate("go\n", timeout=WAIT)
    assert client.returncode == 0
    done: list[list[int]] = json.loads(out.strip().splitlines()[-1])
    return done


def _check_units(stdout: str, done: list[list[int]]) -> None:
    everything = [json.loads(line) for line in stdout.splitlines()]
    # Besides Modbus, only the link layer's own chatter (ARP on the veth pair) is seen.
    assert {r["transport"] for r in everything if r["proto"] != "modbus"} <= {"ether"}
    records = [r for r in everything if r["proto"] == "modbus"]
    assert records, "no Modbus unit was captured"
    requests = [r for r in records if r["dport"] == 502]
    responses = [r for r in records if r["sport"] == 502]
    assert len(requests) + len(responses) == len(records)
    assert {(r["src"], r["dst"]) for r in requests} == {(CLIENT_IP, SERVER_IP)}
    asked = [(r["fields"]["modbus.func_code"], r["fields"]["mbtcp.trans_id"]) for r in requests]
    assert asked == [(fc, tid) for fc, tid, _ in done]
    assert [r["fields"]["mbtcp.trans_id"] for r in responses] == [tid for _, tid, _ in done]
    by_trans_id = {r["fields"]["mbtcp.trans_id"]: r for r in requests}
    for response, (fc, tid, exception) in zip(responses, done, strict=True):
        fields = response["fields"]
        assert fields["modbus.func_code"] == fc
        if exception:
            # Like Wireshark, an exception response carries no request frame.
            assert fields["modbus.exception_code"] == exception
            assert "modbus.request_frame" not in fields
        else:
            assert fields["modbus.request_frame"] == by_trans_id[tid]["frame"]
            assert response["frame"] > by_trans_id[tid]["frame"]
    assert by_trans_id[done[0][1]]["fields"]["modbus.word_cnt"] == 4
    assert by_trans_id[done[1][1]]["fields"]["modbus.reference_num"] == 2


def test_dissect_live_interface(lab: Lab) -> None:
    capture = _in(
        lab.server_ns,
        INTERLOCK,
        "dissect",
        "--iface",
        lab.server_if,
        "--live-source",
        "socket",
        "--jsonl",
        "--duration",
        DURATION,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        done = _session(lab, capture)
        out, err = capture.communicate(timeout=WAIT)
    finally:
        capture.kill()
    assert capture.returncode == 0, err
    assert [fc for fc, _, _ in done] == [3, 6, 1, 16, 3]
    assert done[-1][2] == 2  # the last read is out of range: illegal data address
    _check_units(out, done)


def _sigint_as_at_a_terminal() -> None:
    """A child started from a background job inherits SIGINT ignored, and rightly leaves
    it so: give it the default a foreground command has, whatever ran the tests."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_ends_a_live_capture_cleanly(lab: Lab) -> None:
    capture = _in(
        lab.server_ns,
        INTERLOCK,
        "dissect",
        "--iface",
        lab.server_if,
        "--live-source",
        "socket",
        "--jsonl",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_sigint_as_at_a_terminal,
    )
    try:
        done = _session(lab, capture)
        capture.send_signal(signal.SIGINT)  # our own child, as a terminal's Ctrl-C would
        out, err = capture.communicate(timeout=WAIT)
    finally:
        capture.kill()
    assert capture.returncode == 0, err
    assert "Traceback" not in err
    _check_units(out, done)


def test_tcpdump_source_through_the_same_pipeline(lab: Lab) -> None:
    if shutil.which("tcpdump") is None:
        pytest.skip("tcpdump is not installed: the tcpdump source is optional")
    capture = _in(
        lab.server_ns,
        PYTHON,
        "-c",
        TCPDUMP_DISSECT,
        lab.server_if,
        DURATION,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        done = _session(lab, capture, tcpdump=True)
        out, err = capture.communicate(timeout=WAIT)
    finally:
        capture.kill()
    assert capture.returncode == 0, err
    _check_units(out, done)


@pytest.mark.parametrize("source", ["afpacket", "tcpdump"])
def test_an_interface_going_away_ends_the_capture_with_an_error(source: str) -> None:
    _need_namespaces()
    if source == "tcpdump" and shutil.which("tcpdump") is None:
        pytest.skip("tcpdump is not installed: the tcpdump source is optional")
    ns = f"ilt-gone-{os.getpid()}"
    try:
        _ip("netns", "add", ns)
    except subprocess.CalledProcessError as exc:
        _unavailable(f"`ip netns add` failed: {exc.stderr.decode().strip()}")
    try:
        _ip("-n", ns, "link", "add", "ilt-gone0", "type", "veth", "peer", "name", "ilt-gone1")
        _ip("-n", ns, "link", "set", "ilt-gone0", "up")
        capture = _in(ns, PYTHON, "-c", GONE, source, str(WAIT), stdout=subprocess.PIPE)
        out, _ = capture.communicate(timeout=WAIT * 2)
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)
    assert capture.returncode == 0
    said = {"afpacket": "capture stopped: Network is down", "tcpdump": "interface disappeared"}
    assert out.startswith("CaptureError: ilt-gone0: ")
    assert said[source] in out


def test_missing_interface_is_a_capture_error() -> None:
    with pytest.raises(CaptureError, match="no such network interface"):
        live_frames("ilt-no-such-if")
    if shutil.which("tcpdump") is not None:
        with pytest.raises(CaptureError, match="tcpdump cannot capture"):
            tcpdump_frames("ilt-no-such-if")
    result = subprocess.run(
        [INTERLOCK, "dissect", "--iface", "ilt-no-such-if", "--count", "1"],
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert result.returncode == 2
    assert "ilt-no-such-if: no such network interface" in result.stderr


def test_capture_without_privileges_says_so() -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run a child without privileges")
    code = "from interlock.capture.live import live_frames\nlive_frames('lo')"
    result = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert result.returncode != 0
    assert "live capture needs root or the CAP_NET_RAW capability" in result.stderr

"""A real MQTT exchange for the golden files: Debian's mosquitto broker and paho-mqtt
clients on loopback, each connection recorded through its own relay, written as a capture
with fixed addresses (the broker on TCP 1883) and timestamps.

Regenerate tests/data/mqtt-mosquitto.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/mqtt/mosquitto_capture.py

Connections (each written whole, one after the other; a relay hands on whole control
packets, one segment each, and every step waits for all the packets it causes, so the
bytes do not depend on timing):
1. "hmi-5" (MQTT 5.0, user and password): CONNECT with properties, SUBSCRIBE with 5.0
   options and a subscription identifier, deliveries from the broker (QoS 0 and 1, a
   retained one), PUBLISH QoS 1 with a topic alias then with the alias alone,
   UNSUBSCRIBE, PINGREQ, DISCONNECT with a reason code and properties;
2. "sensor-1" (MQTT 3.1.1, user and password, a will): PUBLISH QoS 0, QoS 1 retained,
   QoS 2 (PUBREC, PUBREL, PUBCOMP), PINGREQ, DISCONNECT;
3. "legacy-31" (MQTT 3.1, anonymous): SUBSCRIBE (the retained message follows),
   PUBLISH QoS 1, UNSUBSCRIBE, DISCONNECT;
4. and 5. a wrong password with MQTT 3.1.1 and with 5.0: the broker refuses the CONNECT.
The passwords are in the capture (it is MQTT in the clear) and never in the outputs.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import TcpConversation

MOSQUITTO: Final = Path("/usr/sbin/mosquitto")
MOSQUITTO_PASSWD: Final = Path("/usr/bin/mosquitto_passwd")
DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "mqtt-mosquitto.pcap"
BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.002
WAIT: Final = 10.0
"""Seconds to wait for the broker's answers before the recording is declared failed."""
PASSWORDS: Final = {"sensor": "S3nsor-Pa55word!", "hmi": "Hmi-Pa55word-5.0"}
WRONG_PASSWORD: Final = "not-the-Pa55word"
ACL: Final = """\
topic readwrite plant/#
topic write legacy/#
user sensor
topic readwrite plant/#
user hmi
topic readwrite plant/#
"""

Chunk = tuple[int, bytes]  # (0: client to broker, 1: broker to client), one control packet


def available() -> bool:
    return MOSQUITTO.exists() and MOSQUITTO_PASSWD.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _packet_end(buf: bytes) -> int:
    """Length of the whole control packet at the start of buf, 0 while incomplete."""
    value = shift = 0
    for i in range(1, min(len(buf), 5)):
        value |= (buf[i] & 0x7F) << shift
        shift += 7
        if not buf[i] & 0x80:
            return 1 + i + value if len(buf) >= 1 + i + value else 0
    return 0


class Relay:
    """Accepts one connection, connects on to the broker, records whole control packets."""

    def __init__(self, broker_port: int) -> None:
        self.broker_port = broker_port
        self.chunks: list[Chunk] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        client, _ = self.listener.accept()
        upstream = socket.create_connection(("127.0.0.1", self.broker_port))
        pumps = [
            threading.Thread(target=self._pump, args=(client, upstream, 0), daemon=True),
            threading.Thread(target=self._pump, args=(upstream, client, 1), daemon=True),
        ]
        for pump in pumps:
            pump.start()
        for pump in pumps:
            pump.join()
        for sock in (client, upstream):
            sock.close()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: int) -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                pending += data
                while n := _packet_end(pending):
                    with self.lock:
                        self.chunks.append((direction, pending[:n]))
                        dst.sendall(pending[:n])
                    pending = pending[n:]
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def types(self) -> list[tuple[int, int]]:
        with self.lock:
            return [(d, p[0] >> 4) for d, p in self.chunks]

    def close(self) -> None:
        self.listener.close()
        self.thread.join(timeout=WAIT)


def wait_for(relay: Relay, *expected: tuple[int, int], start: int | None = None) -> None:
    """Wait until the relay has seen these (direction, packet type) pairs, in this order,
    after the first start packets (by default: after everything seen so far), or fail
    after WAIT seconds."""
    start = len(relay.types()) if start is None else start
    deadline = time.monotonic() + WAIT
    while True:
        seen = relay.types()[start:]
        remaining = iter(seen)
        if all(any(s == e for s in remaining) for e in expected):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"expected {expected}, the relay saw {seen}")
        time.sleep(0.005)


def then(relay: Relay, action: Callable[[], object], *expected: tuple[int, int]) -> None:
    """Do action, then wait for the packets it causes."""
    step(action, (relay, expected))


def step(
    action: Callable[[], object], *expectations: tuple[Relay, tuple[tuple[int, int], ...]]
) -> None:
    """Do action, then wait for the packets it causes on each relay."""
    starts = [len(relay.types()) for relay, _ in expectations]
    action()
    for (relay, expected), start in zip(expectations, starts):
        wait_for(relay, *expected, start=start)


C, B = 0, 1  # client to broker, broker to client


@contextlib.contextmanager
def broker() -> Iterator[int]:
    """mosquitto on 127.0.0.1 and a free port: anonymous clients allowed, users checked
    against a password file, topics by an ACL file."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)  # started as root, mosquitto drops to its own user
        passwords = folder / "passwords"
        passwords.touch()
        for user, password in PASSWORDS.items():
            subprocess.run(
                [str(MOSQUITTO_PASSWD), "-b", str(passwords), user, password],
                check=True,
                capture_output=True,
            )
        passwords.chmod(0o644)
        (folder / "acl").write_text(ACL)
        port = _free_port()
        config = folder / "mosquitto.conf"
        config.write_text(
            f"listener {port} 127.0.0.1\nallow_anonymous true\n"
            f"password_file {passwords}\nacl_file {folder / 'acl'}\npersistence false\n"
            "log_dest none\n"
        )
        process = subprocess.Popen(
            [str(MOSQUITTO), "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + WAIT
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                    break
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    _, errors = process.communicate()
                    raise RuntimeError(f"mosquitto did not start: {errors.decode()[-500:]}")
                time.sleep(0.02)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=WAIT)


def _client(client_id: str, protocol: mqtt.MQTTProtocolVersion) -> mqtt.Client:
    return mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=protocol,
        reconnect_on_failure=False,
    )


def _connect(client: mqtt.Client, relay: Relay, properties: Properties | None = None) -> None:
    then(
        relay,
        lambda: client.connect("127.0.0.1", relay.port, keepalive=60, properties=properties),
        (C, 1),
        (B, 2),
    )
    client.loop_start()


def _v5(packet_type: int, **values: object) -> Properties:
    properties = Properties(packet_type)
    for name, value in values.items():
        setattr(properties, name, value)
    return properties


def record(broker_port: int) -> list[list[Chunk]]:
    """Run the exchange against the broker; the control packets of each connection."""
    relays = [Relay(broker_port) for _ in range(5)]
    hmi_relay, sensor_relay, legacy_relay, bad4_relay, bad5_relay = relays
    hmi = _client("hmi-5", mqtt.MQTTv5)
    hmi.username_pw_set("hmi", PASSWORDS["hmi"])
    sensor = _client("sensor-1", mqtt.MQTTv311)
    sensor.username_pw_set("sensor", PASSWORDS["sensor"])
    sensor.will_set("plant/sensor-1/status", b"offline", qos=1, retain=True)
    legacy = _client("legacy-31", mqtt.MQTTv31)
    try:
        connect_props = _v5(
            PacketTypes.CONNECT, SessionExpiryInterval=300, ReceiveMaximum=20,
            UserProperty=[("site", "plant-1")],
        )  # fmt: skip
        _connect(hmi, hmi_relay, connect_props)
        options = SubscribeOptions(qos=2, noLocal=True, retainAsPublished=True, retainHandling=1)
        then(
            hmi_relay,
            lambda: hmi.subscribe(
                [
                    ("plant/+/temperature", SubscribeOptions(qos=1)),
                    ("plant/line1/setpoint", options),
                ],
                properties=_v5(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=7),
            ),
            (C, 8),
            (B, 9),
        )

        _connect(sensor, sensor_relay)
        step(
            lambda: sensor.publish("plant/line1/temperature", b"21.5", qos=0),
            (sensor_relay, ((C, 3),)),
            (hmi_relay, ((B, 3),)),
        )
        step(
            lambda: sensor.publish("plant/line1/setpoint", b"22.0", qos=1, retain=True),
            (sensor_relay, ((C, 3), (B, 4))),
            (hmi_relay, ((B, 3), (C, 4))),
        )
        step(
            lambda: sensor.publish("plant/line2/temperature", b"19.0", qos=2),
            (sensor_relay, ((C, 3), (B, 5), (C, 6), (B, 7))),
            (hmi_relay, ((B, 3), (C, 4))),
        )
        then(sensor_relay, sensor._send_pingreq, (C, 12), (B, 13))

        command = _v5(
            PacketTypes.PUBLISH, TopicAlias=1, ContentType="application/json",
            ResponseTopic="plant/hmi-5/replies", CorrelationData=b"\x00\x01",
        )  # fmt: skip
        then(
            hmi_relay,
            lambda: hmi.publish("plant/line1/command", b'{"start":1}', qos=1, properties=command),
            (C, 3),
            (B, 4),
        )
        alias_only = _v5(PacketTypes.PUBLISH, TopicAlias=1)
        then(
            hmi_relay,
            lambda: hmi.publish("", b'{"start":0}', qos=1, properties=alias_only),
            (C, 3),
            (B, 4),
        )
        then(
            hmi_relay,
            lambda: hmi.unsubscribe(["plant/+/temperature", "plant/line1/setpoint"]),
            (C, 10),
            (B, 11),
        )
        then(hmi_relay, hmi._send_pingreq, (C, 12), (B, 13))
        then(sensor_relay, sensor.disconnect, (C, 14))
        goodbye = _v5(PacketTypes.DISCONNECT, SessionExpiryInterval=0)
        then(hmi_relay, lambda: hmi.disconnect(properties=goodbye), (C, 14))

        _connect(legacy, legacy_relay)
        then(
            legacy_relay, lambda: legacy.subscribe("plant/#", qos=1), (C, 8), (B, 9), (B, 3), (C, 4)
        )
        then(
            legacy_relay,
            lambda: legacy.publish("legacy/status", b"online", qos=1),
            (C, 3),
            (B, 4),
        )
        then(legacy_relay, lambda: legacy.unsubscribe("plant/#"), (C, 10), (B, 11))
        then(legacy_relay, legacy.disconnect, (C, 14))

        for relay, protocol in ((bad4_relay, mqtt.MQTTv311), (bad5_relay, mqtt.MQTTv5)):
            intruder = _client("intruder", protocol)
            intruder.username_pw_set("sensor", WRONG_PASSWORD)
            then(relay, lambda c=intruder, r=relay: c.connect("127.0.0.1", r.port), (C, 1), (B, 2))
            intruder.loop_start()  # reads the refusal; the broker closes the connection
            relay.thread.join(timeout=WAIT)
            intruder.loop_stop()
    finally:
        for client in (hmi, sensor, legacy):
            client.loop_stop()
        for relay in relays:
            relay.close()
    return [relay.chunks for relay in relays]


def write_capture(path: Path, connections: list[list[Chunk]]) -> None:
    """Each connection whole, one after the other, from its own client address."""
    packets: list[bytes] = []
    for n, chunks in enumerate(connections):
        conversation = TcpConversation(f"10.30.0.{11 + n}", 50001 + n, "10.30.0.2", 1883)
        packets += conversation.handshake()
        packets += [conversation.data(direction, data) for direction, data in chunks]
        packets += conversation.close()
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for n, packet in enumerate(packets):
            writer.write(BASE_TS + n * STEP, packet)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    if not available():
        raise SystemExit(f"needs {MOSQUITTO} and {MOSQUITTO_PASSWD} (Debian package mosquitto)")
    with broker() as port:
        connections = record(port)
    write_capture(CAPTURE, connections)
    write_golden(CAPTURE, "mqtt")


if __name__ == "__main__":
    main()

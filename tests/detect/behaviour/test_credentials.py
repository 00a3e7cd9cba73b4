"""cleartext_credentials over the project's own captures of real stacks: each login that
exposed a secret is reported, with presence and lengths only, never the secret."""

from __future__ import annotations

import orjson
import pytest

from detect.behaviour.builders import detector, tx
from detect.behaviour.replay import feed, replay
from interlock.detect.hits import Hit
from tests_support import DATA

# What the captures' generators typed (tests/protocols/*/..._capture.py, frames.py).
SECRETS = (
    "S3nsor-Pa55word!", "Hmi-Pa55word-5.0", "not-the-Pa55word",  # mosquitto
    "YWRtaW46cGFzc3dvcmQ=", "admin:password",  # HTTP Basic
    "s3cret-pw", "guess",  # ftplib
    "wrong-guess", "correct-horse",  # telnetlib
    "Pr1v4te-C0mmunity",  # SNMP
)  # fmt: skip


def _text(hits: list[Hit]) -> str:
    return orjson.dumps([[h.message, h.details] for h in hits]).decode()


@pytest.mark.parametrize(
    ("capture", "expected"),
    [
        ("mqtt-mosquitto.pcap", {("mqtt", "succeeded"), ("mqtt", "refused")}),
        ("http-stdlib.pcap", {("http", "refused")}),
        ("ftp-ftplib.pcap", {("ftp", "succeeded"), ("ftp", "refused")}),
        ("remote-access.pcap", {("telnet", "refused"), ("telnet", "succeeded")}),
        # Answered polls and a SET refused for its value (community accepted), traps the
        # agent sent with its community (no answer expected), a GET never answered.
        ("identity-snmp.pcap", {("snmp", "succeeded"), ("snmp", "unknown"), ("snmp", "attempted")}),
    ],
)
def test_each_cleartext_login_is_reported_without_its_secret(
    capture: str, expected: set[tuple[str, str]]
) -> None:
    hits = replay(DATA / capture, [detector("cleartext_credentials", {"repeat_after": 0})])
    assert {(h.protocol, h.outcome) for h in hits} == expected
    text = _text(hits)
    for secret in SECRETS:
        assert secret not in text
    assert all("cleartext" in h.message for h in hits)


def test_details_carry_presence_and_lengths() -> None:
    hits = replay(DATA / "mqtt-mosquitto.pcap", [detector("cleartext_credentials")])
    assert hits[0].details["password_length"] == 16 and hits[0].details["username_present"]
    manager, agent = replay(DATA / "identity-snmp.pcap", [detector("cleartext_credentials")])
    assert (manager.src.ip, agent.src.ip) == ("10.0.0.10", "10.0.0.20")  # polls, then traps
    snmp = manager
    assert snmp.details["community_length"] == len("Pr1v4te-C0mmunity")
    assert snmp.details["snmp_version"] in ("v1", "v2c")
    [http] = replay(DATA / "http-stdlib.pcap", [detector("cleartext_credentials")])
    assert http.details["scheme"] == "Basic" and "(refused)" in http.message


def test_repeats_within_the_interval_are_one_hit() -> None:
    """The SNMP capture sends its community many times each way: one hit per hour and
    (sender, receiver)."""
    every = replay(
        DATA / "identity-snmp.pcap", [detector("cleartext_credentials", {"repeat_after": 0})]
    )
    hourly = replay(DATA / "identity-snmp.pcap", [detector("cleartext_credentials")])
    assert len(every) == 11 and len(hourly) == 2


def test_ftp_user_alone_and_mqtt_without_password_are_not_reported() -> None:
    creds = detector("cleartext_credentials", {"repeat_after": 0})
    user = tx("ftp", "USER", "10.0.0.1:1", "10.0.0.2:21", 1.0, operation="session",
              details={"cleartext_credentials": False, "username": "x"})  # fmt: skip
    anonymous = tx("mqtt", "connect", "10.0.0.1:2", "10.0.0.2:1883", 2.0, operation="session",
                   details={"password_present": False, "cleartext_credentials": False})  # fmt: skip
    tls_ftp = tx("ftp", "PASS", "10.0.0.1:3", "10.0.0.2:21", 3.0, operation="session",
                 details={"cleartext_credentials": False, "encrypted": True})  # fmt: skip
    assert feed(creds, [user, anonymous, tls_ftp]) == []

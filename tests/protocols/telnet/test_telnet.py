"""Telnet commands, prompts, and a login whose password is never rendered."""

from __future__ import annotations

from interlock.protocols.telnet.session import TelnetSession
from interlock.protocols.telnet.stream import parse
from interlock.render.telnet_record import telnet_record


def unit(data: bytes):  # type: ignore[no-untyped-def]
    return parse(data, 0, len(data))


def test_commands_and_text() -> None:
    parsed = unit(b"\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0hello\xff\xff")
    assert [(c.command, c.option) for c in parsed.commands] == [(253, 24), (250, 24)]
    assert parsed.text == b"hello\xff"


def test_anomalies() -> None:
    assert unit(b"abc\xff").anomalies == ("telnet.truncated_command",)
    assert unit(b"\xff\xfa\x18\x01").anomalies == ("telnet.truncated_command",)
    assert unit(b"\xff\x10").anomalies == ("telnet.unknown_command",)


def test_login_password_is_never_rendered() -> None:
    session = TelnetSession()
    steps = [(False, b"Gateway v1\r\nlogin: "), (True, b"admin\r\n"), (False, b"Password: "),
             (True, b"topsecret\r\n"), (False, b"\r\nWelcome\r\n$ ")]  # fmt: skip
    records = []
    last = None
    for n, (client, data) in enumerate(steps, 1):
        message = unit(data)
        last = session.observe(message, client, n, 0.0)
        records.append(telnet_record(message, int(client), last))
    assert records[0][1]["telnet.banner"] == "Gateway v1" and records[0][1]["telnet.login_prompt"]
    assert records[1][1]["telnet.data"] == "admin"
    assert records[3][1] == {"telnet.cleartext_credentials": True}
    assert "topsecret" not in repr(records) and "topsecret" not in repr(last)
    assert last is not None and last.login is not None and last.login.ok
    assert last.login.username == "admin"

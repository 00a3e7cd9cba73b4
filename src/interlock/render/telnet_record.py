"""Telnet segments as dissect records: ``telnet.cmd`` and ``telnet.subcmd`` (the option)
per IAC command as Wireshark 4.0 names them; the text only as the session allows it
(``telnet.data``: server text, or a user name; never what follows a password prompt)."""

from __future__ import annotations

from typing import Any

from interlock.protocols.telnet.session import TelnetInfo
from interlock.protocols.telnet.stream import OPTIONS, TelnetUnit

Record = tuple[str | None, dict[str, Any], tuple[str, ...]]


def telnet_record(unit: TelnetUnit, role: int, answered: Any) -> Record:
    fields: dict[str, Any] = {}
    if unit.commands:
        fields["telnet.cmd"] = [c.command for c in unit.commands]
        options = [c.option for c in unit.commands if c.option is not None]
        if options:
            fields["telnet.subcmd"] = options
            fields["telnet.option_name"] = [OPTIONS.get(o, f"option-{o}") for o in options]
    if isinstance(answered, TelnetInfo):
        if answered.text:
            fields["telnet.data"] = answered.text
        if answered.banner:
            fields["telnet.banner"] = answered.banner
        if answered.login_prompt:
            fields["telnet.login_prompt"] = True
        if answered.password_prompt:
            fields["telnet.password_prompt"] = True
        if answered.credentials_sent:
            fields["telnet.cleartext_credentials"] = True
    return None, fields, unit.anomalies

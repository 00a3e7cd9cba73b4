"""FTP lines: commands, replies, data endpoints, credentials never kept, pairing."""

from __future__ import annotations

from interlock.protocols.ftp.lines import Endpoint, parse
from interlock.protocols.ftp.session import FtpSession, MultiLine
from interlock.protocols.remote_access.common import SeenRequest, Step


def line(text: bytes):  # type: ignore[no-untyped-def]
    return parse(text, 0, len(text))


def test_pass_argument_is_never_kept() -> None:
    unit = line(b"PASS hunter2\r\n")
    assert unit.command == "PASS" and unit.arg is None and unit.arg_present
    assert "hunter2" not in repr(unit)


def test_endpoints() -> None:
    assert line(b"PORT 10,0,0,1,4,1\r\n").endpoint == Endpoint("10.0.0.1", 1025)
    assert line(b"EPRT |1|10.0.0.1|6275|\r\n").endpoint == Endpoint("10.0.0.1", 6275)
    reply = line(b"227 Entering Passive Mode (10,10,0,21,174,43).\r\n")
    assert reply.code == 227 and reply.endpoint == Endpoint("10.10.0.21", 44587)
    assert line(b"229 Entering Extended Passive Mode (|||41423|)\r\n").endpoint == Endpoint(
        None, 41423
    )
    assert line(b"PORT 999,1\r\n").anomalies == ("ftp.bad_endpoint",)


def test_line_anomalies() -> None:
    assert line(b"NOOP\n").anomalies == ("ftp.no_crlf",)
    assert "ftp.not_text" in line(b"NO\x01OP\r\n").anomalies


def test_replies_answer_commands_in_order_and_multi_line_is_one_reply() -> None:
    session = FtpSession()
    assert session.observe(line(b"220-Welcome\r\n"), False, 1, 0.0) is None
    assert session.observe(line(b"220 FTP ready\r\n"), False, 2, 0.0) == MultiLine(None)
    assert session.banner == "FTP ready"
    step = session.observe(line(b"USER op\r\n"), True, 3, 0.0)
    assert isinstance(step, Step) and step.message.username == "op"
    session.observe(line(b"RETR a.csv\r\n"), True, 4, 0.0)
    first = session.observe(line(b"331 Password required\r\n"), False, 5, 0.0)
    assert isinstance(first, SeenRequest) and first.frame == 3
    preliminary = session.observe(line(b"150 Opening\r\n"), False, 6, 0.0)
    assert isinstance(preliminary, SeenRequest) and preliminary.frame == 4
    final = session.observe(line(b"226 Done\r\n"), False, 7, 0.0)
    assert isinstance(final, SeenRequest) and final.frame == 4
    assert not session.pending

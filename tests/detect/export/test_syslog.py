"""RFC 5424 formatting and RFC 6587 / RFC 5426 framing."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.detect.export.syslog import (
    BOM,
    SYSLOG_SEVERITY,
    SdElement,
    facility_number,
    fit_datagram,
    format_message,
    octet_counted,
)
from interlock.errors import UsageError

from .parsers import octet_frames, parse_rfc5424
from .receivers import tcp_collector, udp_collector

TS = 1_717_171_717.250125


def test_header_fields() -> None:
    raw = format_message(
        "CEF:0|x",
        severity=SYSLOG_SEVERITY["high"],
        facility=facility_number("local4"),
        timestamp=TS,
        hostname="sensor-1",
        procid="4242",
        msgid="CEF",
    )
    assert raw.startswith(b"<163>1 ")  # local4 (20) * 8 + error (3)
    message = parse_rfc5424(raw)
    assert (message.facility, message.severity, message.version) == (20, 3, 1)
    assert message.timestamp == "2024-05-31T16:08:37.250125Z"
    assert (message.hostname, message.app, message.procid, message.msgid) == (
        "sensor-1",
        "interlock",
        "4242",
        "CEF",
    )
    assert message.sd == {} and message.msg == "CEF:0|x" and not message.bom


def test_alert_severities_are_syslog_severities() -> None:
    assert SYSLOG_SEVERITY == {"critical": 2, "high": 3, "medium": 4, "low": 5}


def test_nil_values_and_limits() -> None:
    raw = format_message(
        "",
        severity=5,
        timestamp=None,
        hostname="a host with spaces" + "x" * 300,
        app_name="é" * 60,
        procid=None,
        msgid="M" * 40,
    )
    message = parse_rfc5424(raw)
    assert message.timestamp == "-" and message.procid == "-" and message.msg == ""
    assert message.hostname.startswith("a_host_with_spaces") and len(message.hostname) == 255
    assert message.app == "_" * 48 and message.msgid == "M" * 32


def test_utf8_messages_carry_the_bom_ascii_ones_do_not() -> None:
    assert (
        format_message("ünïcødé", severity=4, timestamp=TS, hostname="h")
        .split(b" ", 7)[7]
        .startswith(BOM)
    )
    message = parse_rfc5424(format_message("ünïcødé", severity=4, timestamp=TS, hostname="h"))
    assert message.bom and message.msg == "ünïcødé"


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_structured_data_values_round_trip(value: str) -> None:
    sd = (SdElement("origin", (("software", value),)), SdElement("meta", (("sequenceId", "7"),)))
    message = parse_rfc5424(format_message("m", severity=6, timestamp=TS, hostname="h", sd=sd))
    assert message.sd == {"origin": {"software": value}, "meta": {"sequenceId": "7"}}


def test_bad_facility_is_a_usage_error() -> None:
    for bad in ("local8", "24", "-1", "kernel"):
        with pytest.raises(UsageError, match="syslog facility"):
            facility_number(bad)
    assert facility_number("13") == 13 and facility_number("LOCAL7") == 23


def test_octet_counting() -> None:
    frames = [format_message(m, severity=4, timestamp=TS, hostname="h") for m in ("a", "ü" * 9, "")]
    stream = b"".join(octet_counted(f) for f in frames)
    assert octet_frames(stream) == (frames, b"")
    assert octet_counted(b"abc") == b"3 abc"


@given(st.text(max_size=300), st.integers(1, 400))
def test_datagram_cut_keeps_whole_characters(text: str, limit: int) -> None:
    data = text.encode()
    cut, was_cut = fit_datagram(data, limit)
    assert len(cut) <= limit and data.startswith(cut)
    assert was_cut == (len(data) > limit)
    decoded = cut.decode()  # never ends inside a character
    if was_cut:  # and keeps as much as fits
        assert len(text[: len(decoded) + 1].encode()) > limit


# -- the test parser against an implementation we did not write --------------------------


@pytest.mark.skipif(shutil.which("logger") is None, reason="util-linux logger is not installed")
@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_parser_reads_util_linux_logger(transport: str) -> None:
    collector = udp_collector() if transport == "udp" else tcp_collector()
    with collector as rx:
        flags = ["-d"] if transport == "udp" else ["-T", "--octet-count"]
        subprocess.run(
            [
                "logger", "--rfc5424", "-n", "127.0.0.1", "-P", str(rx.port), *flags,
                "-p", "local4.warning", "-t", "interlock-test", "--msgid", "ID47",
                "--sd-id", "exampleSDID@32473", "--sd-param", 'iut="3"', "--sd-param",
                'eventSource="Application"', "An application event",
            ],
            check=True,
            timeout=30,
        )  # fmt: skip
        (message,) = rx.wait_for(1)
    assert (message.facility, message.severity, message.version) == (20, 4, 1)
    assert message.app == "interlock-test" and message.msgid == "ID47"
    assert message.sd["exampleSDID@32473"] == {"iut": "3", "eventSource": "Application"}
    assert message.msg == "An application event"

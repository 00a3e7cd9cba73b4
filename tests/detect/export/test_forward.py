"""Streaming alerts to real syslog collectors on 127.0.0.1: UDP, TCP, TLS; collectors that are
down, reset or slow; a full buffer; bad URLs."""

from __future__ import annotations

import datetime
import io
import ipaddress
import socket
import ssl
from pathlib import Path

import pytest

from interlock.cli.export_options import forward_alerts
from interlock.detect.alert import Alert
from interlock.detect.export import SyslogForwarder, parse_syslog_url
from interlock.detect.export.forward import MSGID
from interlock.errors import UsageError

from .conftest import alert_variants, make_alert
from .parsers import SyslogMessage, parse_cef
from .receivers import WAIT, UdpCollector, free_port, tcp_collector, udp_collector


def alerts(n: int) -> list[Alert]:
    return [make_alert(count=i + 1, first_seen=1_717_000_000.0 + i) for i in range(n)]


def sequence(messages: list[SyslogMessage]) -> list[int]:
    return [int(m.sd["meta"]["sequenceId"]) for m in messages]


class FakeClock:
    """Backoff time without waiting: sleep() moves the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# -- delivery ------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_cef_alerts_arrive_as_rfc5424_messages(transport: str) -> None:
    collector = udp_collector() if transport == "udp" else tcp_collector()
    sent = alerts(3)
    with collector as rx:
        forwarder = SyslogForwarder(rx.url, hostname="sensor-1", facility=13)
        for alert in sent:
            forwarder.send_alert(alert, "cef")
        stats = forwarder.close(WAIT)
        messages = rx.wait_for(3)
    assert (stats.queued, stats.sent, stats.buffered, stats.dropped) == (3, 3, 0, 0)
    assert stats.problem() is None
    for message, alert in zip(messages, sent, strict=True):
        assert (message.facility, message.severity) == (13, 3)  # audit, high -> error
        assert (message.hostname, message.app, message.msgid) == ("sensor-1", "interlock", "CEF")
        assert message.timestamp.startswith(
            datetime.datetime.fromtimestamp(alert.first_seen, datetime.UTC).strftime(
                "%Y-%m-%dT%H:%M:%S"
            )
        )
        assert message.sd["origin"]["software"] == "Interlock"
        cef = parse_cef(message.msg)
        assert cef.signature == alert.rule and cef.extension["externalId"] == alert.id
        assert cef.extension["cnt"] == str(alert.count)
        assert (cef.extension["src"], cef.extension["dpt"]) == ("10.10.1.20", "502")
    assert sequence(messages) == [1, 2, 3]


@pytest.mark.parametrize("fmt", ["json", "ocsf", "ecs"])
def test_json_formats_travel_whole_over_tcp(fmt: str) -> None:
    import orjson

    variants = alert_variants()
    with tcp_collector() as rx:
        with SyslogForwarder(rx.url) as forwarder:
            for alert in variants:
                forwarder.send_alert(alert, fmt)
        messages = rx.wait_for(len(variants))
    ids = []
    for message in messages:
        assert message.msgid == MSGID[fmt]
        doc = orjson.loads(message.msg)
        ids.append(
            {
                "json": doc.get("id"),
                "ocsf": doc.get("finding_info", {}).get("uid"),
                "ecs": doc.get("event", {}).get("id"),
            }[fmt]
        )
    assert ids == [a.id for a in variants]
    assert any(m.bom for m in messages)  # the alert with non-ASCII text is MSG-UTF8


def test_udp_datagrams_are_cut_to_the_limit_and_counted() -> None:
    sent = [(make_alert(), "ocsf"), (make_alert(), "cef"), (make_alert(message="é" * 300), "json")]
    received = {}
    for limit in (None, 480):
        with udp_collector() as rx:
            url = rx.url if limit is None else f"{rx.url}?max={limit}"
            forwarder = SyslogForwarder(url, hostname="h")
            for alert, fmt in sent:
                forwarder.send_alert(alert, fmt)
            stats = forwarder.close(WAIT)
            rx.wait_for(len(sent))
            received[limit] = (stats, list(rx.raw))
    (whole_stats, whole), (cut_stats, cut) = received[None], received[480]
    assert whole_stats.truncated == 0 and all(len(w) > 480 for w in whole)
    assert cut_stats.truncated == 3 and cut_stats.sent == 3
    for full, short in zip(whole, cut, strict=True):
        assert full.startswith(short) and 477 <= len(short) <= 480
        short.decode()  # the two-byte "é" is never split
    assert "3 truncated to fit a datagram" in (cut_stats.problem() or "")


# -- collector down, reset, back ---------------------------------------------------------------


def test_tcp_collector_down_then_up_gets_everything_in_order() -> None:
    port = free_port()
    forwarder = SyslogForwarder(f"tcp://127.0.0.1:{port}", backoff_initial=0.01, backoff_max=0.05)
    for alert in alerts(4):
        forwarder.send_alert(alert)
    assert forwarder.stats.buffered == 4 and forwarder.stats.sent == 0
    assert forwarder.stats.retries >= 1
    assert "refused" in (forwarder.stats.last_error or "").lower()
    with tcp_collector(port) as rx:
        assert forwarder.flush(WAIT)
        stats = forwarder.close(WAIT)
        messages = rx.wait_for(4)
    assert sequence(messages) == [1, 2, 3, 4]
    assert (stats.sent, stats.buffered, stats.dropped) == (4, 0, 0)


def test_udp_collector_down_then_up_gets_the_buffered_alerts() -> None:
    port = free_port(socket.SOCK_DGRAM)
    forwarder = SyslogForwarder(f"udp://127.0.0.1:{port}", backoff_initial=0.01, backoff_max=0.05)
    for alert in alerts(3):
        forwarder.send_alert(alert)
    # the collector's host (this one) answered "port unreachable": nothing counts as sent
    assert forwarder.stats.sent == 0 and forwarder.stats.buffered == 3
    assert forwarder.stats.retries >= 1
    rx = UdpCollector(port)
    try:
        assert forwarder.flush(WAIT)
        stats = forwarder.close(WAIT)
        messages = rx.wait_for(3)
    finally:
        rx.close()
    assert sequence(messages) == [1, 2, 3]
    assert stats.sent == 3 and stats.refused == 0


def test_tcp_reset_mid_stream_reconnects_without_loss() -> None:
    with tcp_collector() as rx:
        forwarder = SyslogForwarder(rx.url, backoff_initial=0.01, backoff_max=0.05)
        for alert in alerts(3):
            forwarder.send_alert(alert)
        rx.wait_for(3)
        rx.reset_connections()  # the collector aborts the stream (RST)
        for alert in alerts(6)[3:]:
            forwarder.send_alert(alert)
        rx.wait_for(6)
        rx.stop()  # then goes away entirely: connection refused
        for alert in alerts(9)[6:]:
            forwarder.send_alert(alert)
        assert forwarder.stats.buffered == 3
        rx.start()  # and comes back on the same port
        stats = forwarder.close(WAIT)
        messages = rx.wait_for(9)
    assert sequence(messages) == list(range(1, 10))  # nothing lost, nothing twice
    assert stats.reconnects >= 1 and stats.retries >= 1
    assert rx.connections == 3
    assert (stats.sent, stats.buffered, stats.dropped) == (9, 0, 0)


def test_full_buffer_drops_oldest_and_says_so() -> None:
    port = free_port()
    clock = FakeClock()
    forwarder = SyslogForwarder(
        f"tcp://127.0.0.1:{port}", buffer_size=5, clock=clock, sleep=clock.sleep
    )
    for alert in alerts(12):
        forwarder.send_alert(alert)  # the clock never moves: one attempt, then backoff
    assert (forwarder.stats.dropped, forwarder.stats.buffered) == (7, 5)
    with tcp_collector(port) as rx:
        stats = forwarder.close(WAIT)
        messages = rx.wait_for(5)
    assert sequence(messages) == [8, 9, 10, 11, 12]  # the newest five survive
    assert stats.dropped == 7 and stats.sent == 5
    assert "7 dropped from the full buffer" in (stats.problem() or "")


def test_backoff_doubles_to_its_cap_and_close_gives_up_at_the_deadline() -> None:
    port = free_port()
    clock = FakeClock()
    forwarder = SyslogForwarder(f"tcp://127.0.0.1:{port}", clock=clock, sleep=clock.sleep)
    forwarder.send_alert(make_alert())
    stats = forwarder.close(timeout=100.0)
    # attempts at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 61.5, 91.5; the next (121.5) is too late
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert clock.now == 91.5
    assert stats.buffered == 1 and stats.sent == 0 and stats.retries == len(clock.sleeps) + 1
    problem = stats.problem() or ""
    assert problem.startswith(f"syslog tcp://127.0.0.1:{port}: 1 of 1 alerts not delivered")
    assert "refused" in problem.lower()


# -- TLS ---------------------------------------------------------------------------------------


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "interlock test collector")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "collector.pem", tmp_path / "collector.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_tls_collector_with_its_ca(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    with tcp_collector(tls=server) as rx:
        forwarder = SyslogForwarder(f"{rx.url}?ca={cert}", backoff_initial=0.01)
        for alert in alerts(3):
            forwarder.send_alert(alert, "ocsf")
        rx.wait_for(3)
        rx.reset_connections()
        forwarder.send_alert(alerts(4)[3], "ocsf")
        stats = forwarder.close(WAIT)
        messages = rx.wait_for(4)
    assert sequence(messages) == [1, 2, 3, 4]
    assert stats.sent == 4 and stats.problem() is None


def test_tls_collector_with_an_unknown_certificate_is_not_trusted(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    other_ca, _ = _self_signed(
        tmp_path / "other" if (tmp_path / "other").mkdir() is None else tmp_path
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    with tcp_collector(tls=server) as rx:
        stats = forward_alerts(
            alerts(2), f"{rx.url}?ca={other_ca}", "cef", timeout=0.0, stderr=io.StringIO()
        )
        assert rx.raw == []
    assert stats.sent == 0 and stats.buffered == 2
    assert "certificate verify failed" in (stats.last_error or "").lower()


# -- the CLI helper and bad input ----------------------------------------------------------------


def test_forward_alerts_reports_one_line_when_the_collector_is_away() -> None:
    port = free_port()
    err = io.StringIO()
    stats = forward_alerts(alerts(2), f"tcp://127.0.0.1:{port}", "cef", timeout=0.0, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"interlock: syslog tcp://127.0.0.1:{port}: 2 of 2 alerts not delivered"
    )
    assert stats.buffered == 2


def test_forward_alerts_is_quiet_when_all_arrive() -> None:
    err = io.StringIO()
    with udp_collector() as rx:
        stats = forward_alerts(alerts(2), rx.url, "ecs", stderr=err)
        rx.wait_for(2)
    assert err.getvalue() == "" and stats.sent == 2


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://collector:514", "scheme 'http'"),
        ("collector:514", "scheme 'collector'"),
        ("/var/log/x", "no scheme"),
        ("udp://:514", "no host"),
        ("tcp://collector:70000", "port is not a number"),
        ("tcp://collector:x", "port is not a number"),
        ("udp://collector:0", "port 0"),
        ("tcp://user:pw@collector:514", "only a host"),
        ("udp://collector:514/path", "only a host"),
        ("udp://collector:514?facility=local9", "syslog facility"),
        ("udp://collector:514?max=100", "max='100'"),
        ("udp://collector:514?buffer=0", "buffer='0'"),
        ("tcp://collector:514?max=2048", "option 'max'"),
        ("tcp+tls://collector?ca=/nonexistent/ca.pem", "does not exist"),
        ("udp://collector?colour=blue", "option 'colour'"),
    ],
)
def test_bad_urls_are_one_clear_usage_error(url: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        SyslogForwarder(url)
    assert reason in str(caught.value) and url in str(caught.value)


def test_bad_format_fails_before_anything_is_sent() -> None:
    with udp_collector() as rx, pytest.raises(UsageError, match="unknown alert format"):
        forward_alerts(alerts(1), rx.url, "leef")
    assert rx.raw == []


def test_url_defaults_and_options() -> None:
    assert parse_syslog_url("udp://collector").port == 514
    assert parse_syslog_url("tcp+tls://collector").port == 6514
    target = parse_syslog_url("udp://[2001:db8::5]:5514?facility=local3&buffer=50&max=2048")
    assert (target.host, target.port, target.facility, target.buffer, target.max_datagram) == (
        "2001:db8::5", 5514, 19, 50, 2048,
    )  # fmt: skip
    assert target.url == "udp://[2001:db8::5]:5514"


def test_closed_forwarder_refuses_more() -> None:
    with udp_collector() as rx:
        forwarder = SyslogForwarder(rx.url)
        forwarder.close()
        with pytest.raises(UsageError, match="closed"):
            forwarder.send_alert(make_alert())

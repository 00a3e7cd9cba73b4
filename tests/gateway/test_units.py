"""The gateway's pure parts: histograms, framing, the audit chain's edge cases, alerts,
addresses and durations, and the Prometheus text."""

from __future__ import annotations

import dataclasses
import random
import struct
from bisect import bisect_right
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.plant import file_size_limit
from interlock.errors import ConfigError
from interlock.gateway import audit as audit_module
from interlock.gateway.alerts import alerts_from_audit
from interlock.gateway.audit import AuditLog, read_records, record_template, verify_audit
from interlock.gateway.config import parse_address, parse_duration
from interlock.gateway.histogram import BUCKETS, EDGES, LatencyHistogram, bucket
from interlock.gateway.modbus import ModbusAdapter
from interlock.gateway.prometheus import render
from interlock.gateway.session import SPIN_WINDOW_START_NS, fitted_spin_window
from interlock.gateway.stats import budget_verdict, histogram_doc, histogram_from_doc
from interlock.policy.modbus import request_from_pdu


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=300))
def test_quantiles_bound_the_true_value_within_ten_percent(values: list[int]) -> None:
    histogram = LatencyHistogram()
    for value in values:
        histogram.record(value)
    ordered = sorted(values)
    for q in (0.5, 0.99, 0.999):
        true = ordered[max(0, -(-len(values) * int(q * 1000) // 1000) - 1)]
        got = histogram.quantile(q)
        assert got is not None and got >= true
        assert got <= max(true * 1.1, 100) or got == histogram.max_ns


@given(
    st.one_of(
        st.integers(min_value=-10, max_value=10**14),
        st.sampled_from(EDGES).flatmap(lambda edge: st.sampled_from([edge - 1, edge, edge + 1])),
    )
)
def test_the_bucket_is_the_one_a_search_of_the_edges_finds(ns: int) -> None:
    assert bucket(max(ns, 0)) == bisect_right(EDGES, max(ns, 0))


def test_histogram_memory_is_fixed_and_edges_are_round() -> None:
    histogram = LatencyHistogram()
    for value in random.Random(1).choices(range(10**9), k=5000):
        histogram.record(value)
    assert len(histogram.counts) == BUCKETS == 902
    assert {250_000, 1_000_000, 25_000} <= set(EDGES)
    assert histogram.count == 5000 and sum(histogram.counts) == 5000


def test_count_below_is_exact_at_edges() -> None:
    histogram = LatencyHistogram()
    for value in (999_999, 1_000_000, 1_000_001, 250_000, 249_999):
        histogram.record(value)
    assert histogram.count_below(1_000_000) == 3
    assert histogram.count_below(250_000) == 1


def test_sparse_round_trip_and_budget_verdict() -> None:
    histogram = LatencyHistogram()
    for value in [40_000] * 98 + [2_000_000] * 2:
        histogram.record(value)
    again = histogram_from_doc(histogram_doc(histogram))
    assert again.counts == histogram.counts and again.quantile(0.99) == histogram.quantile(0.99)
    verdict = budget_verdict(histogram, 0.001, 0.99)
    assert verdict["holds"] is False and verdict["observed_us"] == 2000
    assert budget_verdict(histogram, 0.001, 0.98)["holds"] is True
    assert budget_verdict(LatencyHistogram(), 0.001, 0.99)["holds"] is None


def frame(
    trans_id: int, protocol: int = 0, length: int = 6, body: bytes = b"\x01\x03\x00\x00\x00\x01"
) -> bytes:
    return struct.pack(">HHH", trans_id, protocol, length) + body


def test_cut_whole_partial_dropped_and_fatal() -> None:
    adapter = ModbusAdapter()
    stream = frame(1) + frame(2, protocol=5) + frame(3)[:9]
    cut = adapter.cut(stream)
    assert cut.frames == [frame(1)] and cut.dropped == ["modbus.protocol_id"]
    assert cut.consumed == 24 and cut.fatal is None
    assert adapter.cut(frame(3)[:5]).consumed == 0
    fatal = adapter.cut(frame(1) + struct.pack(">HHH", 4, 0, 300))
    assert fatal.frames == [frame(1)] and fatal.fatal == "modbus.length_invalid"


def test_refusal_is_the_request_with_its_exception() -> None:
    adapter = ModbusAdapter()
    request = adapter.request(frame(0x1234, body=b"\x07\x06\x00\x00\x03\xe8"), "10.0.0.1", 0.0)
    assert adapter.refusal(request, 3) == bytes.fromhex("1234 0000 0003 07 86 03".replace(" ", ""))
    assert adapter.unavailable(request)[-2:] == b"\x86\x0a"
    assert adapter.no_answer(request)[-2:] == b"\x86\x0b"
    assert request.fields["unit"] == 7 and request.fields["values"] == [1000]


@pytest.mark.parametrize(
    "body",
    [
        b"\x01\x03\x00\x00\x00\x02",  # a read: its meaning remembered
        b"\x07\x06\x00\x00\x03\xe8",  # a write: parsed every time
        b"\x01\x17\x00\x02\x00\x02\x00\x00\x00\x01\x02\x00\x05",  # read/write
        b"\x01\x08\x00\x01\x00\x00",  # diagnostics: restart
    ],
)
def test_each_request_means_what_its_pdu_says_at_its_time(body: bytes) -> None:
    adapter = ModbusAdapter(server="10.10.0.5")
    for trans_id, (now, client) in enumerate([(1.5, "10.0.0.1"), (2.5, "10.0.0.2")] * 2):
        request = adapter.request(frame(trans_id, length=len(body), body=body), client, now)
        expected = request_from_pdu(body[1:], body[0], client, now, "10.0.0.5")
        assert request.policy_request == dataclasses.replace(expected, server="10.10.0.5")
        assert request.key == request.fields["transaction"] == trans_id
        assert (request.shape is None) == expected.writes_values


def test_torn_last_line_is_resumed_and_verified(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for n in range(3):
        log.append({"event": "decision", "n": n})
    log.close()
    with path.open("ab") as fh:
        fh.write(b'{"event":"decision","n"')  # a power loss in the middle of a write
    torn = verify_audit(path)
    assert not torn.intact and torn.broken_line == 4 and "torn" in torn.reason
    log = AuditLog(path)
    log.append({"event": "decision", "n": 3})
    log.close()
    result = verify_audit(path)
    assert result.intact and result.torn == 1 and result.records == 5
    assert [r["event"] for r in read_records(path)][-2:] == ["resume", "decision"]


def test_garbage_in_the_middle_is_not_excused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for n in range(4):
        log.append({"event": "decision", "n": n})
    log.close()
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = b"garbage\n"
    path.write_bytes(b"".join(lines))
    result = verify_audit(path)
    assert not result.intact and result.broken_line == 2


def test_a_log_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text("hello\nworld\n")
    with pytest.raises(ConfigError, match="does not end with an audit record"):
        AuditLog(path)


def test_alerts_from_audit_records() -> None:
    base = {"event": "decision", "protocol": "modbus", "server": "10.10.0.5:502", "unit": 1,
            "mode": "enforce", "policy": "abc"}  # fmt: skip
    records = [
        {**base, "seq": 1, "hash": "h1", "time": 10.0, "client": "10.20.0.10:4000", "verdict": "allow",
         "action": "forwarded", "rule": "hmi-operation", "kind": "access", "function_code": 6},
        {**base, "seq": 2, "hash": "h2", "time": 11.0, "client": "10.20.0.10:4000", "verdict": "block",
         "action": "refused", "rule": "level_sp.max", "kind": "envelope", "function_code": 6,
         "function": "write_single_register", "space": "holding_registers", "address": 0,
         "reason": "above 90 %", "exception_code": 3},
        {**base, "seq": 3, "hash": "h3", "time": 12.0, "client": "10.20.0.10:4001", "verdict": "block",
         "action": "refused", "rule": "level_sp.max", "kind": "envelope", "function_code": 6},
        {**base, "seq": 4, "hash": "h4", "time": 13.0, "client": "10.66.0.1:5000", "verdict": "block",
         "action": "refused", "rule": "default", "kind": "default", "function_code": 8,
         "sub_function": 1},
        {**base, "seq": 5, "hash": "h5", "time": 14.0, "client": "10.66.0.1:5000", "verdict": "block",
         "action": "forwarded", "mode": "monitor", "rule": "default", "kind": "default",
         "function_code": 16, "criticality": "critical"},
        {"event": "anomaly", "seq": 6, "hash": "h6", "time": 15.0, "client": "10.66.0.1:5001",
         "server": "10.10.0.5:502", "protocol": "modbus", "code": "modbus.length_invalid",
         "action": "closed"},
    ]  # fmt: skip
    alerts = alerts_from_audit(records, site="plant")
    summary = [(a.rule, a.techniques, a.outcome, a.count, a.severity) for a in alerts]
    assert summary == [
        ("level_sp.max", ("T0836",), "refused", 2, "high"),
        ("default", ("T0816",), "refused", 1, "critical"),
        ("default", ("T0855",), "attempted", 1, "critical"),  # a critical asset raises it
        ("gateway.modbus.length_invalid", ("T0814",), "refused", 1, "medium"),
    ]
    first = alerts[0]
    assert [e.frame for e in first.evidence] == [2, 3] and first.evidence[0].capture == "h1"
    assert first.src.ip == "10.20.0.10" and first.dst.port == 502 and first.site == "plant"
    assert first.as_contract()["outcome"] == "refused"


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [
        ("127.0.0.1:502", "127.0.0.1", 502),
        ("[::1]:5020", "::1", 5020),
        ("plc.local:502", "plc.local", 502),
    ],
)
def test_addresses(text: str, host: str, port: int) -> None:
    address = parse_address(text, "--listen")
    assert (address.host, address.port) == (host, port)


@pytest.mark.parametrize("text", ["502", "host:", "host:99999", "[zz]:1"])
def test_bad_addresses(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_address(text, "--listen")


def test_durations() -> None:
    assert parse_duration("1ms", "x") == pytest.approx(0.001)
    assert parse_duration("250us", "x") == pytest.approx(0.00025)
    assert parse_duration("0.2", "x") == pytest.approx(0.2)
    with pytest.raises(ConfigError):
        parse_duration("soon", "x")


def test_prometheus_text_shape() -> None:
    added = LatencyHistogram()
    for value in (30_000, 60_000, 2_000_000):
        added.record(value)
    doc = {
        "gateway": {"uptime_s": 3.0, "busy_poll": {"budget_us": 50.0, "polls": 7, "caught": 5}},
        "latency": {"added": histogram_doc(added), "decision": histogram_doc(LatencyHistogram()),
                    "refusal": histogram_doc(LatencyHistogram())},
        "budget": budget_verdict(added, 0.001, 0.99),
        "counters": {"requests": [{"verdict": "allow", "action": "forwarded", "count": 3}],
                     "failures": {}, "anomalies": {"modbus.protocol_id": 1}, "events": {}},
        "connections": {"open": 1}, "upstream": {"up": 1},
        "audit": {"seq": 9, "fsyncs": 2, "rotations": 3},
        "policy": {"digest": "d" * 64, "mode": "enforce"},
    }  # fmt: skip
    lines = render(doc).splitlines()
    assert 'interlock_gateway_added_latency_seconds_bucket{le="5e-05"} 1' in lines
    assert 'interlock_gateway_added_latency_seconds_bucket{le="0.001"} 2' in lines
    assert 'interlock_gateway_added_latency_seconds_bucket{le="+Inf"} 3' in lines
    assert 'interlock_gateway_latency_budget_holds{quantile="0.99"} 0' in lines
    assert 'interlock_gateway_busy_polls_total{outcome="caught"} 5' in lines
    assert "interlock_gateway_audit_rotations_total 3" in lines
    assert 'interlock_gateway_busy_polls_total{outcome="slept"} 2' in lines
    assert 'interlock_gateway_anomalies_total{code="modbus.protocol_id"} 1' in lines
    for line in lines:  # every sample line is NAME{labels} VALUE
        if not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            float(value)
            assert name.startswith("interlock_gateway_")


def test_systemd_notifications_reach_the_notify_socket(tmp_path: Path) -> None:
    import socket

    from interlock.gateway.systemd import Notifier

    path = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(path)
        server.settimeout(5)
        notifier = Notifier(path, watchdog_usec=1)
        notifier.ready("listening")
        assert server.recv(1000).startswith(b"READY=1\nSTATUS=listening\n")
        notifier.watchdog()
        assert server.recv(1000) == b"WATCHDOG=1"
        notifier.stopping()
        assert server.recv(1000) == b"STOPPING=1"
    Notifier(None, None).ready("nothing listens: no error")  # outside systemd


def test_a_failed_write_keeps_the_chain_verifiable(tmp_path: Path) -> None:

    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"event": "decision", "n": 0})
    size = path.stat().st_size
    # A real partial write: the file may grow by 10 bytes only (EFBIG after them).
    with file_size_limit(size + 10), pytest.raises(OSError, match="could not be written"):
        log.append({"event": "decision", "n": 1})
    assert path.stat().st_size == size + 10
    assert log.append({"event": "decision", "n": 2}) == 3  # the resume record is 2
    log.close()
    result = verify_audit(path)
    assert result.intact and result.torn == 1 and log.write_errors == 1
    assert [r.get("n") for r in read_records(path)] == [0, None, 2]


DECISION = {
    "event": "decision",
    "time": 1_767_261_600.123456,
    "protocol": "modbus",
    "client": "10.20.0.10:50512",
    "server": "10.10.0.5:502",
    "unit": 1,
    "function_code": 3,
    "function": "read_holding_registers",
    "space": "holding_registers",
    "address": 0,
    "quantity": 2,
    "values": [],
    "sub_function": None,
    "anomalies": [],
    "transaction": 7,
    "verdict": "allow",
    "rule": "hmi-read",
    "reason": "allowed by rule `hmi-read` — «niveau» ✓",
    "tags": ["level_sp", "pump_speed_sp"],
    "action": "forwarded",
    "exception_code": None,
}


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=4e9, allow_nan=False),
            st.integers(0, 0xFFFF),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_a_template_writes_the_bytes_the_whole_record_would(
    requests: list[tuple[float, int]],
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        whole, templated = Path(tmp) / "whole.jsonl", Path(tmp) / "templated.jsonl"
        by_record, by_template = AuditLog(whole), AuditLog(templated)
        template = record_template(DECISION, ("time", "transaction"))
        assert template is not None
        for now, trans_id in requests:
            by_record.append({**DECISION, "time": now, "transaction": trans_id})
            by_template.append_template(template, [orjson.dumps(now), orjson.dumps(trans_id)])
        by_record.close()
        by_template.close()
        assert templated.read_bytes() == whole.read_bytes()
        assert verify_audit(templated).records == len(requests)


def test_a_record_holding_a_slot_marker_gets_no_template() -> None:
    marker = orjson.loads(orjson.dumps(audit_module._SLOT.format(1)))
    assert record_template({**DECISION, "reason": marker}, ("time", "transaction")) is None
    assert record_template(DECISION, ("time", "transaction")) is not None


def test_a_templated_record_after_a_failed_write_keeps_the_chain(tmp_path: Path) -> None:

    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    template = record_template(DECISION, ("time", "transaction"))
    assert template is not None
    log.append_template(template, [b"1.5", b"1"])
    size = path.stat().st_size
    with file_size_limit(size + 10), pytest.raises(OSError, match="could not be written"):
        log.append_template(template, [b"2.5", b"2"])
    assert log.append_template(template, [b"3.5", b"3"]) == 3  # the resume record is 2
    log.close()
    result = verify_audit(path)
    assert result.intact and result.torn == 1
    assert [r.get("transaction") for r in read_records(path)] == [1, None, 3]


def test_spin_window_grows_to_catch_short_waits_and_closes_on_long_ones() -> None:
    most = 100_000
    window = 0
    grown = []
    for _ in range(4):  # a client that answers in 30 µs: 10, 20, 40, then caught
        window = fitted_spin_window(window, 30_000, most)
        grown.append(window)
    assert grown == [10_000, 20_000, 40_000, 40_000]
    assert fitted_spin_window(40_000, 90_000, most) == 80_000
    assert fitted_spin_window(80_000, 95_000, most) == most  # never past config.busy_poll
    shrunk = []
    for _ in range(5):  # then an HMI that polls every 100 ms
        window = fitted_spin_window(window, 100_000_000, most)
        shrunk.append(window)
    assert shrunk == [20_000, 10_000, 0, 0, 0]


@given(
    waits=st.lists(st.integers(0, 10_000_000), max_size=50),
    most=st.integers(SPIN_WINDOW_START_NS, 10_000_000),
)
def test_spin_window_stays_off_or_between_its_start_and_the_budget(
    waits: list[int], most: int
) -> None:
    window = 0
    for waited in waits:
        window = fitted_spin_window(window, waited, most)
        assert window == 0 or SPIN_WINDOW_START_NS <= window <= most
    # A run of waits the budget could catch is caught within log2(budget / start) + 1.
    short = most
    for _ in range(most.bit_length() - SPIN_WINDOW_START_NS.bit_length() + 2):
        window = fitted_spin_window(window, short, most)
    assert window >= short

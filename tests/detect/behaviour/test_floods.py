"""request_flood: requests per window per key, status filters, exception storms."""

from __future__ import annotations

from dataclasses import replace

from detect.behaviour.builders import detector, tx
from detect.behaviour.replay import feed
from interlock.model import Endpoint, Transaction


def _poll(client: str, server: str, ts: float, status: str = "ok", frame: int = 1) -> Transaction:
    return tx("modbus", "read_holding_registers", f"{client}:40000", f"{server}:502", ts,
              status=status, frame=frame)  # type: ignore[arg-type]  # fmt: skip


def test_a_flood_fires_at_the_rate_and_a_fast_poller_does_not() -> None:
    flood = detector("request_flood", {"min_requests": 100, "window": 1})
    poller = [_poll("10.0.0.5", "10.0.1.1", 10.0 + i * 0.02) for i in range(500)]  # 50/s
    assert feed(flood, poller) == []
    burst = [_poll("10.0.0.9", "10.0.1.1", 50.0 + i * 0.001, frame=i) for i in range(300)]
    hits = feed(flood, burst)
    assert [h.details["report"] for h in hits] == [1, 2]
    first = hits[0]
    assert first.frame == 99 and first.details["requests"] == 100
    assert first.src.ip == "10.0.0.9" and first.dst.ip == "10.0.1.1"
    assert first.outcome == "attempted"
    assert hits[1].details["requests"] == 200
    assert "peaking at" in first.message


def test_unanswered_flood_counts_only_unanswered_requests() -> None:
    flood = detector("request_flood", {"min_requests": 20, "statuses": ["unanswered"]})
    answered = [_poll("10.0.0.9", "10.0.1.1", 1.0 + i * 0.001) for i in range(100)]
    assert feed(flood, answered) == []
    silent = [
        _poll("10.0.0.9", "10.0.1.1", 5.0 + i * 0.001, "unanswered", frame=100 + i)
        for i in range(25)
    ]
    [hit] = feed(flood, silent)
    assert "unanswered modbus requests" in hit.message
    assert hit.details["requests"] == 20 and hit.frame == 119


def test_exception_storm_per_client_across_servers_is_refused() -> None:
    storm = detector(
        "request_flood",
        {"min_requests": 30, "window": 30, "per": "client", "statuses": ["exception"]},
    )
    items = [_poll("10.0.0.9", f"10.0.1.{i % 10}", 100.0 + i * 0.5, "exception") for i in range(40)]
    [hit] = feed(storm, items)
    assert hit.outcome == "refused"
    assert hit.details["per"] == "client" and hit.details["peers"] == 1
    assert "exception responses from 10.0.0.9 (1 server)" in hit.message
    # Per client and server, the same storm spread over ten devices stays under.
    pairwise = detector(
        "request_flood", {"min_requests": 30, "window": 30, "statuses": ["exception"]}
    )
    assert feed(pairwise, items) == []


def test_per_server_counts_every_client_of_a_device() -> None:
    flood = detector("request_flood", {"min_requests": 50, "per": "server"})
    items = [_poll(f"10.0.0.{i % 25}", "10.0.1.1", 1.0 + i * 0.005) for i in range(60)]
    [hit] = feed(flood, items)
    assert hit.details["peers"] >= 1 and "to 10.0.1.1" in hit.message


def test_filters_by_protocol_and_function_for_dnp3_link_resets() -> None:
    resets = detector(
        "request_flood",
        {
            "min_requests": 5,
            "window": 10,
            "protocols": ["dnp3"],
            "functions": ["reset_link_states"],
        },
    )
    reads = [
        tx("dnp3", "read", "10.0.0.1:20001", "10.0.1.1:20000", 1.0 + i * 0.1) for i in range(50)
    ]
    link = [
        tx("dnp3", "reset_link_states", "10.0.0.1:20001", "10.0.1.1:20000", 20.0 + i,
           operation="session", function=256, details={"layer": "link"})
        for i in range(5)
    ]  # fmt: skip
    hits = feed(resets, reads + link)
    assert [h.ts for h in hits] == [24.0]


def test_keys_are_bounded() -> None:
    flood = detector("request_flood", {"min_requests": 5, "max_keys": 8})
    items = [_poll(f"10.0.{i // 250}.{i % 250}", "10.0.1.1", i * 0.001) for i in range(3000)]
    assert feed(flood, items) == []
    assert len(flood.keys) == 8  # type: ignore[attr-defined]


def _shared(items: list[Transaction]) -> list[Transaction]:
    """The same requests with one string object per address, as the engine hands them over
    (each flow's endpoints share their address strings)."""
    strings: dict[str, str] = {}

    def one(endpoint: Endpoint) -> Endpoint:
        return Endpoint(strings.setdefault(endpoint.ip, "".join(endpoint.ip)), endpoint.port)

    return [replace(t, client=one(t.client), server=one(t.server)) for t in items]


def test_runs_of_one_pair_count_as_requests_interleaved_do() -> None:
    pairs = [("10.0.0.9", "10.0.1.1"), ("10.0.0.9", "10.0.1.2"), ("10.0.0.8", "10.0.1.1")]
    order = [0] * 40 + [1, 0, 2, 0] * 30 + [2] * 50 + [1] * 5 + [0] * 60
    items = [_poll(*pairs[p], 5.0 + n * 0.002, frame=n) for n, p in enumerate(order)]
    for per in ("client_server", "client", "server"):
        for max_keys in (1, 2, 10):
            params = {"min_requests": 30, "window": 1, "per": per, "max_keys": max_keys}
            apart = feed(detector("request_flood", params), items)
            shared = feed(detector("request_flood", params), _shared(items))
            assert [(h.frame, h.message, h.details) for h in shared] == [
                (h.frame, h.message, h.details) for h in apart
            ]
            assert apart, (per, max_keys)

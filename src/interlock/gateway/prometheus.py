"""The statistics document as Prometheus text (exposition format 0.0.4), and the tiny
HTTP server that serves it: ``GET /metrics`` and ``GET /stats`` (the JSON document), from
the standard library's http.server, in a thread of the gateway."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

import orjson

from interlock.gateway.config import Address
from interlock.gateway.histogram import LatencyHistogram
from interlock.gateway.stats import histogram_from_doc

CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
BOUNDS_S: Final = (
    5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2,
    0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
)  # fmt: skip
"""Exported bucket bounds: every one an edge of the fine histogram, so counts are exact."""
_HISTOGRAMS: Final = (
    ("added", "interlock_gateway_added_latency_seconds",
     "Latency the gateway added to each forwarded transaction (request and response paths)."),
    ("decision", "interlock_gateway_decision_seconds",
     "Time the decision core took per request, lock wait included."),
    ("refusal", "interlock_gateway_refusal_seconds",
     "From a refused request's arrival to its exception response sent."),
)  # fmt: skip


def render(doc: dict[str, Any]) -> str:
    out: list[str] = []
    for key, name, help_text in _HISTOGRAMS:
        _histogram(out, name, help_text, histogram_from_doc(doc["latency"][key]))
    added = doc["latency"]["added"]
    _family(out, "interlock_gateway_added_latency_quantile_seconds", "gauge",
            "Added latency quantiles (upper bucket edge, at most 10 % above the true value).")  # fmt: skip
    for label, field in (("0.5", "p50_us"), ("0.99", "p99_us"), ("0.999", "p999_us")):
        if added.get(field) is not None:
            out.append(
                f"{_series('interlock_gateway_added_latency_quantile_seconds', quantile=label)} {added[field] / 1e6:.9g}"
            )
    budget = doc["budget"]
    _gauge(out, "interlock_gateway_latency_budget_seconds", "The added latency promised at the budget quantile.",
           budget["limit_us"] / 1e6, quantile=str(budget["quantile"]))  # fmt: skip
    if budget["holds"] is not None:
        _gauge(out, "interlock_gateway_latency_budget_holds", "1 while the latency budget holds, 0 when it does not.",
               int(budget["holds"]), quantile=str(budget["quantile"]))  # fmt: skip
    counters = doc["counters"]
    _family(out, "interlock_gateway_requests_total", "counter", "Requests by verdict and action.")
    for row in counters["requests"]:
        out.append(
            f"{_series('interlock_gateway_requests_total', verdict=row['verdict'], action=row['action'])} {row['count']}"
        )
    _labelled(
        out,
        "interlock_gateway_decision_failures_total",
        "Decisions the fail mode made instead of the core.",
        "kind",
        counters["failures"],
    )
    _labelled(
        out,
        "interlock_gateway_anomalies_total",
        "Malformed or abusive input by anomaly code.",
        "code",
        counters["anomalies"],
    )
    _labelled(
        out,
        "interlock_gateway_events_total",
        "Connections, upstream links and policy reloads.",
        "event",
        counters["events"],
    )
    _gauge(
        out, "interlock_gateway_connections", "Client connections open.", doc["connections"]["open"]
    )
    _gauge(
        out,
        "interlock_gateway_upstream_links_up",
        "Upstream connections up.",
        doc["upstream"]["up"],
    )
    audit = doc["audit"]
    _gauge(
        out,
        "interlock_gateway_audit_sequence",
        "Sequence number of the last audit record.",
        audit["seq"],
    )
    _family(out, "interlock_gateway_audit_fsyncs_total", "counter", "fsync calls on the audit log.")
    out.append(f"interlock_gateway_audit_fsyncs_total {audit['fsyncs']}")
    if "rotations" in audit:  # stats files written before rotation have none
        _family(out, "interlock_gateway_audit_rotations_total", "counter", "Audit log rotations.")
        out.append(f"interlock_gateway_audit_rotations_total {audit['rotations']}")
    busy = doc["gateway"].get("busy_poll")
    if busy is not None:  # stats files written before busy polling have none
        _labelled(
            out,
            "interlock_gateway_busy_polls_total",
            "Busy polls before sleeping (--busy-poll), and those the awaited event ended.",
            "outcome",
            {"caught": busy["caught"], "slept": busy["polls"] - busy["caught"]},
        )
    _gauge(out, "interlock_gateway_policy_info", "The policy in force.", 1,
           digest=doc["policy"]["digest"], mode=doc["policy"]["mode"])  # fmt: skip
    _gauge(
        out,
        "interlock_gateway_uptime_seconds",
        "Seconds since the gateway started.",
        doc["gateway"]["uptime_s"],
    )
    return "\n".join(out) + "\n"


def _histogram(out: list[str], name: str, help_text: str, histogram: LatencyHistogram) -> None:
    _family(out, name, "histogram", help_text)
    for bound in BOUNDS_S:
        count = histogram.count_below(round(bound * 1e9))
        out.append(f"{_series(name + '_bucket', le=f'{bound:g}')} {count}")
    out.append(f"{_series(name + '_bucket', le='+Inf')} {histogram.count}")
    out.append(f"{name}_sum {histogram.sum_ns / 1e9:.9g}")
    out.append(f"{name}_count {histogram.count}")


def _family(out: list[str], name: str, kind: str, help_text: str) -> None:
    out.append(f"# HELP {name} {help_text}")
    out.append(f"# TYPE {name} {kind}")


def _gauge(out: list[str], name: str, help_text: str, value: float, **labels: str) -> None:
    _family(out, name, "gauge", help_text)
    out.append(
        f"{_series(name, **labels)} {value:.9g}"
        if isinstance(value, float)
        else f"{_series(name, **labels)} {value}"
    )


def _labelled(
    out: list[str], name: str, help_text: str, label: str, values: dict[str, int]
) -> None:
    _family(out, name, "counter", help_text)
    for key, n in values.items():
        out.append(f"{_series(name, **{label: key})} {n}")


def _series(name: str, **labels: str) -> str:
    if not labels:
        return name
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in labels.items())
    return f"{name}{{{inner}}}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class MetricsServer:
    """GET /metrics (Prometheus text) and GET /stats (JSON) on its own thread."""

    def __init__(self, address: Address, snapshot: Callable[[], dict[str, Any]]) -> None:
        handler = _handler(snapshot)
        self.server = ThreadingHTTPServer((address.host, address.port), handler)
        self.server.daemon_threads = True
        self.address = Address(address.host, self.server.server_address[1])
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            name="metrics",
            kwargs={"poll_interval": 0.5},
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


def _handler(snapshot: Callable[[], dict[str, Any]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "interlock-gateway"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, CONTENT_TYPE, render(snapshot()).encode())
            elif path == "/stats":
                self._send(200, "application/json", orjson.dumps(snapshot()))
            else:
                self._send(404, "text/plain", b"not found: try /metrics or /stats\n")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # scrapes every few seconds would drown the gateway's own messages

    return Handler

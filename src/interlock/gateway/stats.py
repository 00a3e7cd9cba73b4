"""The gateway's statistics document, its latency budget verdict, and where it is read from.

One JSON document (docs/gateway.md, "Statistics") is what the gateway writes to its stats
file, serves at ``/stats`` beside ``/metrics``, and what ``interlock gateway stats`` reads
back and renders; ``prometheus.py`` renders the same document as Prometheus text.
"""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Final

import orjson

from interlock.errors import UsageError
from interlock.gateway.histogram import LatencyHistogram

STATS_VERSION: Final = 1
QUANTILES: Final = (("p50", 0.5), ("p99", 0.99), ("p999", 0.999))


def histogram_doc(histogram: LatencyHistogram) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "count": histogram.count,
        "sum_ns": histogram.sum_ns,
        "max_ns": histogram.max_ns,
    }
    for name, q in QUANTILES:
        value = histogram.quantile(q)
        doc[f"{name}_us"] = None if value is None else value / 1000
    doc["buckets"] = histogram.sparse()
    return doc


def histogram_from_doc(doc: dict[str, Any]) -> LatencyHistogram:
    return LatencyHistogram.from_sparse(
        doc.get("buckets", {}), sum_ns=int(doc.get("sum_ns", 0)), max_ns=int(doc.get("max_ns", 0))
    )


def budget_verdict(added: LatencyHistogram, limit_s: float, quantile: float) -> dict[str, Any]:
    """Does the added latency at quantile stay within limit_s? None until there is data."""
    observed = added.quantile(quantile)
    return {
        "quantile": quantile,
        "limit_us": limit_s * 1e6,
        "observed_us": None if observed is None else observed / 1000,
        "samples": added.count,
        "holds": None if observed is None else observed <= limit_s * 1e9,
    }


def write_stats_file(path: Path, doc: dict[str, Any]) -> None:
    """Replace path atomically: a reader never sees half a document."""
    data = orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data + b"\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_stats(source: str) -> dict[str, Any]:
    """A stats document from a file, or from a running gateway's metrics endpoint
    (HOST:PORT or an http:// URL)."""
    if source.startswith(("http://", "https://")) or _looks_like_endpoint(source):
        return _fetch(source)
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the stats file {path}: {exc.strerror}") from exc
    return _parse(data, str(path))


def _looks_like_endpoint(source: str) -> bool:
    host, sep, port = source.rpartition(":")
    return bool(sep and host and port.isdigit() and not Path(source).exists())


def _fetch(source: str) -> dict[str, Any]:
    url = source if "://" in source else f"http://{source}"
    url = url.rstrip("/")
    if url.endswith("/metrics"):
        url = url[: -len("/metrics")]
    if not url.endswith("/stats"):
        url += "/stats"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UsageError(f"cannot read the gateway's statistics at {url}: {reason}") from exc
    return _parse(data, url)


def _parse(data: bytes, where: str) -> dict[str, Any]:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"{where} is not a gateway statistics document: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("version") != STATS_VERSION or "latency" not in doc:
        raise UsageError(f"{where} is not a gateway statistics document (version {STATS_VERSION})")
    return doc

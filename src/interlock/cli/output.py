"""Human-readable rendering of summaries and capture health (rich tables)."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table

from interlock.health import CaptureHealth
from interlock.summary import Summary


def print_summary(summary: Summary) -> None:
    console = Console()
    table = Table(title=f"{summary.transactions:,} transactions", title_justify="left")
    for col in ("protocol", "function", "operation", "status"):
        table.add_column(col)
    table.add_column("count", justify="right")
    for (p, f, o, s), n in sorted(summary.by_operation.items()):
        table.add_row(p, f, o, s, f"{n:,}")
    console.print(table)
    conv = Table(title="conversations", title_justify="left")
    for col in ("protocol", "client", "server"):
        conv.add_column(col)
    conv.add_column("transactions", justify="right")
    for (p, c, s), n in summary.conversations.most_common(20):
        conv.add_row(p, c, s, f"{n:,}")
    console.print(conv)
    if summary.anomalies:
        console.print(
            "anomalies: " + ", ".join(f"{k} x{v}" for k, v in summary.anomalies.most_common())
        )


def print_health(health: CaptureHealth, stream: TextIO) -> None:
    """The capture-health summary: facts about the recording, not alerts."""
    units = ", ".join(f"{k} {v:,}" for k, v in sorted(health.units.items())) or "none"
    parts = [
        f"{health.frames:,} frames",
        f"units: {units}",
        f"tcp flows {health.tcp_flows:,} (one-sided {health.one_sided_flows:,})",
        f"udp flows {health.udp_flows:,}",
        f"holes {health.tcp_holes:,}",
        f"retransmissions {health.tcp_retransmissions:,}",
        f"truncated frames {health.truncated_frames:,}",
    ]
    extra = {
        "ip fragments reassembled": health.ip_fragments_reassembled,
        "ip fragments dropped": health.ip_fragments_dropped,
        "segments skipped": health.tcp_segments_skipped,
        "buffer overflows": health.reassembly_buffer_overflows,
        "flows evicted": health.flows_evicted,
        "flows expired": health.flows_expired,
        "unsupported link frames": health.unsupported_link_frames,
        "non-IP frames": health.non_ip_frames,
        "link-layer flows": health.link_flows,
        "flows found by content": health.flows_probed,
        "kernel drops": health.kernel_drops or 0,
    }
    parts += [f"{k} {v:,}" for k, v in extra.items() if v]
    stream.write("capture health: " + "; ".join(parts) + "\n")
    stream.flush()

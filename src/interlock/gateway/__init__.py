"""The inline enforcement gateway: a protocol-neutral relay, a decision per request,
a hash-chained audit log and latency histograms. docs/gateway.md describes it whole."""

from __future__ import annotations

from interlock.gateway.config import Address, GatewayConfig, parse_address, parse_duration
from interlock.gateway.server import Gateway

__all__ = ["Address", "Gateway", "GatewayConfig", "parse_address", "parse_duration"]

"""The shipped behaviour pack's rules, built with the behaviour kinds (no rule loader)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from interlock.detect.behaviour import KINDS
from interlock.detect.hits import Detector, PlantContext, RuleInfo


def shipped_rules() -> list[dict[str, Any]]:
    text = resources.files("interlock.detect").joinpath("rules/behaviour.yaml").read_text("utf-8")
    rules: list[dict[str, Any]] = yaml.safe_load(text)["rules"]
    return rules


def pack_detectors(context: PlantContext) -> list[Detector]:
    built = []
    for entry in shipped_rules():
        info = RuleInfo(
            entry["id"], entry["title"], entry["severity"], tuple(entry["techniques"]),
            entry.get("description", ""),
        )  # fmt: skip
        built.append(KINDS[entry["detector"]](info, entry.get("params") or {}, context))
    return built

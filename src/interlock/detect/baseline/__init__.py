"""A learned baseline of the network and the deviations from it (docs/detect-baseline.md).

learn:   transactions -> Learner -> Baseline -> YAML file (reviewed, edited by people)
detect:  YAML file -> load_baseline -> BaselineDetector -> hits
"""

from __future__ import annotations

from interlock.detect.baseline.detector import BaselineDetector
from interlock.detect.baseline.document import to_json, to_yaml
from interlock.detect.baseline.learner import LIMITS, Learner
from interlock.detect.baseline.loader import BaselineError, load_baseline, parse_baseline
from interlock.detect.baseline.model import Baseline, Settings
from interlock.detect.baseline.rules import RULE_IDS, all_rules

__all__ = [
    "LIMITS",
    "RULE_IDS",
    "Baseline",
    "BaselineDetector",
    "BaselineError",
    "Learner",
    "Settings",
    "all_rules",
    "load_baseline",
    "parse_baseline",
    "to_json",
    "to_yaml",
]

"""Behavioural detector kinds: the registry a rule's ``detector: <kind>`` names.

A rule pack entry with ``detector: <kind>`` and ``params: {...}`` is built by the factory
registered here under that kind. The factory validates its params and raises
``RuleParamError(key, message)`` for a bad one; the loader reports it at the file:line of
that key (or of ``params`` when the key is missing). Factories are called once with an
empty plant context when a pack is checked, and once per run with the real one.

The ``match:`` kind is not here: match rules are compiled into the dispatch index
(``interlock.detect.index``), so their cost does not grow with the rules that cannot match.
Adding a kind is one line in ``DETECTOR_KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from interlock.detect.hits import Detector, PlantContext, RuleInfo

DetectorFactory = Callable[[RuleInfo, dict[str, Any], PlantContext], Detector]


class RuleParamError(ValueError):
    """A detector's parameter is wrong; ``key`` names it (None: the params as a whole)."""

    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


DETECTOR_KINDS: Final[dict[str, DetectorFactory]] = {}

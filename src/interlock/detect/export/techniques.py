"""ATT&CK for ICS names and tactics as the exports write them, from detection's own table
(``interlock.detect.attack``, v18.1 with the v19 crosswalk)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from interlock.detect import attack

ATTACK_VERSION: Final = attack.ATTACK_VERSION.removeprefix("ics-attack-")
FRAMEWORK: Final = "MITRE ATT&CK for ICS"


@dataclass(frozen=True, slots=True)
class Tactic:
    id: str
    name: str

    @property
    def url(self) -> str:
        return f"https://attack.mitre.org/tactics/{self.id}/"


@dataclass(frozen=True, slots=True)
class Technique:
    id: str
    name: str | None
    """None when the id is not in the table (a newer or revoked id): exports keep the id."""
    tactics: tuple[Tactic, ...]

    @property
    def url(self) -> str:
        return f"https://attack.mitre.org/techniques/{self.id.replace('.', '/')}/"


def describe(technique_id: str) -> Technique:
    known = attack.TECHNIQUES.get(technique_id)
    if known is None:
        return Technique(technique_id, None, ())
    tactics = tuple(Tactic(t, attack.TACTICS[t]) for t in known.tactics)
    return Technique(technique_id, known.name, tactics)

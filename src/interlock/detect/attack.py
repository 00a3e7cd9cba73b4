"""MITRE ATT&CK for ICS as data: the v18.1 techniques rules may name, and the v19 crosswalk.

Source: ATT&CK for ICS v18.1 (``ics-attack-18.1.json``, MITRE's STIX bundle): 12 tactics,
83 active techniques; ``../shared/reference/attack-ics.md`` lists them. Rules and alerts
carry v18.1 ids (``ATTACK_VERSION``). v19 (April 2026) revoked nine ids in favour of
sub-techniques; ``V19_CROSSWALK`` records MITRE's v18 -> v19 translation
(``ics-sub-techniques-crosswalk.json``, 2026-04-28; not checked against v19's own STIX
bundle), and every alert exports both, so that a SIEM on either version can map it.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

ATTACK_VERSION: Final = "ics-attack-18.1"
V19_VERSION: Final = "ics-attack-19"

TACTICS: Final[dict[str, str]] = {
    "TA0108": "Initial Access",
    "TA0104": "Execution",
    "TA0110": "Persistence",
    "TA0111": "Privilege Escalation",
    "TA0103": "Evasion",
    "TA0102": "Discovery",
    "TA0109": "Lateral Movement",
    "TA0100": "Collection",
    "TA0101": "Command and Control",
    "TA0107": "Inhibit Response Function",
    "TA0106": "Impair Process Control",
    "TA0105": "Impact",
}

# Each tactic's techniques in matrix order (v18.1); a technique under two tactics is listed
# under both, as the matrix shows it.
_MATRIX: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "TA0108": (
        ("T0817", "Drive-by Compromise"),
        ("T0819", "Exploit Public-Facing Application"),
        ("T0822", "External Remote Services"),
        ("T0847", "Replication Through Removable Media"),
        ("T0848", "Rogue Master"),
        ("T0860", "Wireless Compromise"),
        ("T0862", "Supply Chain Compromise"),
        ("T0864", "Transient Cyber Asset"),
        ("T0865", "Spearphishing Attachment"),
        ("T0866", "Exploitation of Remote Services"),
        ("T0883", "Internet Accessible Device"),
        ("T0886", "Remote Services"),
    ),
    "TA0104": (
        ("T0807", "Command-Line Interface"),
        ("T0821", "Modify Controller Tasking"),
        ("T0823", "Graphical User Interface"),
        ("T0834", "Native API"),
        ("T0853", "Scripting"),
        ("T0858", "Change Operating Mode"),
        ("T0863", "User Execution"),
        ("T0871", "Execution through API"),
        ("T0874", "Hooking"),
        ("T0895", "Autorun Image"),
    ),
    "TA0110": (
        ("T0839", "Module Firmware"),
        ("T0857", "System Firmware"),
        ("T0859", "Valid Accounts"),
        ("T0873", "Project File Infection"),
        ("T0889", "Modify Program"),
        ("T0891", "Hardcoded Credentials"),
    ),
    "TA0111": (
        ("T0874", "Hooking"),
        ("T0890", "Exploitation for Privilege Escalation"),
    ),
    "TA0103": (
        ("T0820", "Exploitation for Evasion"),
        ("T0849", "Masquerading"),
        ("T0851", "Rootkit"),
        ("T0856", "Spoof Reporting Message"),
        ("T0858", "Change Operating Mode"),
        ("T0872", "Indicator Removal on Host"),
        ("T0894", "System Binary Proxy Execution"),
    ),
    "TA0102": (
        ("T0840", "Network Connection Enumeration"),
        ("T0842", "Network Sniffing"),
        ("T0846", "Remote System Discovery"),
        ("T0887", "Wireless Sniffing"),
        ("T0888", "Remote System Information Discovery"),
    ),
    "TA0109": (
        ("T0812", "Default Credentials"),
        ("T0843", "Program Download"),
        ("T0859", "Valid Accounts"),
        ("T0866", "Exploitation of Remote Services"),
        ("T0867", "Lateral Tool Transfer"),
        ("T0886", "Remote Services"),
        ("T0891", "Hardcoded Credentials"),
    ),
    "TA0100": (
        ("T0801", "Monitor Process State"),
        ("T0802", "Automated Collection"),
        ("T0811", "Data from Information Repositories"),
        ("T0830", "Adversary-in-the-Middle"),
        ("T0845", "Program Upload"),
        ("T0852", "Screen Capture"),
        ("T0861", "Point & Tag Identification"),
        ("T0868", "Detect Operating Mode"),
        ("T0877", "I/O Image"),
        ("T0887", "Wireless Sniffing"),
        ("T0893", "Data from Local System"),
    ),
    "TA0101": (
        ("T0869", "Standard Application Layer Protocol"),
        ("T0884", "Connection Proxy"),
        ("T0885", "Commonly Used Port"),
    ),
    "TA0107": (
        ("T0800", "Activate Firmware Update Mode"),
        ("T0803", "Block Command Message"),
        ("T0804", "Block Reporting Message"),
        ("T0805", "Block Serial COM"),
        ("T0809", "Data Destruction"),
        ("T0814", "Denial of Service"),
        ("T0816", "Device Restart/Shutdown"),
        ("T0835", "Manipulate I/O Image"),
        ("T0838", "Modify Alarm Settings"),
        ("T0851", "Rootkit"),
        ("T0857", "System Firmware"),
        ("T0878", "Alarm Suppression"),
        ("T0881", "Service Stop"),
        ("T0892", "Change Credential"),
    ),
    "TA0106": (
        ("T0806", "Brute Force I/O"),
        ("T0836", "Modify Parameter"),
        ("T0839", "Module Firmware"),
        ("T0855", "Unauthorized Command Message"),
        ("T0856", "Spoof Reporting Message"),
    ),
    "TA0105": (
        ("T0813", "Denial of Control"),
        ("T0815", "Denial of View"),
        ("T0826", "Loss of Availability"),
        ("T0827", "Loss of Control"),
        ("T0828", "Loss of Productivity and Revenue"),
        ("T0829", "Loss of View"),
        ("T0831", "Manipulation of Control"),
        ("T0832", "Manipulation of View"),
        ("T0837", "Loss of Protection"),
        ("T0879", "Damage to Property"),
        ("T0880", "Loss of Safety"),
        ("T0882", "Theft of Operational Information"),
    ),
}


class Technique(NamedTuple):
    id: str
    name: str
    tactics: tuple[str, ...]
    """Tactic ids (TA01xx), in matrix order."""


def _techniques() -> dict[str, Technique]:
    names: dict[str, str] = {}
    tactics: dict[str, list[str]] = {}
    for tactic, entries in _MATRIX.items():
        for technique, name in entries:
            names[technique] = name
            tactics.setdefault(technique, []).append(tactic)
    return {t: Technique(t, names[t], tuple(tactics[t])) for t in sorted(names)}


TECHNIQUES: Final[dict[str, Technique]] = _techniques()
"""The 83 active techniques of v18.1, by id."""

V19_CROSSWALK: Final[dict[str, tuple[str, str]]] = {
    "T0803": ("T1691.001", "Block Operational Technology Message: Command Message"),
    "T0804": ("T1691.002", "Block Operational Technology Message: Reporting Message"),
    "T0855": ("T1692.001", "Unauthorized Message: Command Message"),
    "T0856": ("T1692.002", "Unauthorized Message: Reporting Message"),
    "T0857": ("T1693.001", "Modify Firmware: System Firmware"),
    "T0839": ("T1693.002", "Modify Firmware: Module Firmware"),
    "T0812": ("T1694.001", "Insecure Credentials: Default Credentials"),
    "T0891": ("T1694.002", "Insecure Credentials: Hardcoded Credentials"),
    "T0805": ("T1695.001", "Block Communications: Serial COM"),
}
"""v18 ids revoked in v19 -> (v19 id, v19 name). Every other v18.1 id is kept in v19."""


def v19_ids(techniques: tuple[str, ...] | list[str]) -> list[str]:
    """The same techniques as v19 names them (revoked ids translated, the rest kept)."""
    return [V19_CROSSWALK[t][0] if t in V19_CROSSWALK else t for t in techniques]


def attack_details(techniques: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """What an alert records about its techniques: names, tactics, and the v19 ids."""
    return {
        "version": ATTACK_VERSION,
        "techniques": [
            {
                "id": t,
                "name": TECHNIQUES[t].name,
                "tactics": [
                    {"id": tactic, "name": TACTICS[tactic]} for tactic in TECHNIQUES[t].tactics
                ],
            }
            for t in techniques
            if t in TECHNIQUES
        ],
        "v19": v19_ids(techniques),
    }

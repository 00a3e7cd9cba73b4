"""ATT&CK for ICS names and tactics for the exports: a stand-in for ``interlock.detect.attack``.

Transcribed from ATT&CK for ICS v18.1 (MITRE's STIX bundle ``ics-attack-18.1.json``: 12 tactics,
83 techniques, as tabulated in ``../shared/reference/attack-ics.md``). When the detection
package's own technique table lands, ``describe`` becomes a thin call into it; nothing else in
the exports reads these literals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

ATTACK_VERSION: Final = "18.1"
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
    known = TECHNIQUES.get(technique_id)
    if known is None:
        return Technique(technique_id, None, ())
    name, tactic_ids = known
    return Technique(technique_id, name, tuple(Tactic(t, TACTICS[t]) for t in tactic_ids))


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
TECHNIQUES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "T0800": ("Activate Firmware Update Mode", ("TA0107",)),
    "T0801": ("Monitor Process State", ("TA0100",)),
    "T0802": ("Automated Collection", ("TA0100",)),
    "T0803": ("Block Command Message", ("TA0107",)),
    "T0804": ("Block Reporting Message", ("TA0107",)),
    "T0805": ("Block Serial COM", ("TA0107",)),
    "T0806": ("Brute Force I/O", ("TA0106",)),
    "T0807": ("Command-Line Interface", ("TA0104",)),
    "T0809": ("Data Destruction", ("TA0107",)),
    "T0811": ("Data from Information Repositories", ("TA0100",)),
    "T0812": ("Default Credentials", ("TA0109",)),
    "T0813": ("Denial of Control", ("TA0105",)),
    "T0814": ("Denial of Service", ("TA0107",)),
    "T0815": ("Denial of View", ("TA0105",)),
    "T0816": ("Device Restart/Shutdown", ("TA0107",)),
    "T0817": ("Drive-by Compromise", ("TA0108",)),
    "T0819": ("Exploit Public-Facing Application", ("TA0108",)),
    "T0820": ("Exploitation for Evasion", ("TA0103",)),
    "T0821": ("Modify Controller Tasking", ("TA0104",)),
    "T0822": ("External Remote Services", ("TA0108",)),
    "T0823": ("Graphical User Interface", ("TA0104",)),
    "T0826": ("Loss of Availability", ("TA0105",)),
    "T0827": ("Loss of Control", ("TA0105",)),
    "T0828": ("Loss of Productivity and Revenue", ("TA0105",)),
    "T0829": ("Loss of View", ("TA0105",)),
    "T0830": ("Adversary-in-the-Middle", ("TA0100",)),
    "T0831": ("Manipulation of Control", ("TA0105",)),
    "T0832": ("Manipulation of View", ("TA0105",)),
    "T0834": ("Native API", ("TA0104",)),
    "T0835": ("Manipulate I/O Image", ("TA0107",)),
    "T0836": ("Modify Parameter", ("TA0106",)),
    "T0837": ("Loss of Protection", ("TA0105",)),
    "T0838": ("Modify Alarm Settings", ("TA0107",)),
    "T0839": ("Module Firmware", ("TA0110", "TA0106")),
    "T0840": ("Network Connection Enumeration", ("TA0102",)),
    "T0842": ("Network Sniffing", ("TA0102",)),
    "T0843": ("Program Download", ("TA0109",)),
    "T0845": ("Program Upload", ("TA0100",)),
    "T0846": ("Remote System Discovery", ("TA0102",)),
    "T0847": ("Replication Through Removable Media", ("TA0108",)),
    "T0848": ("Rogue Master", ("TA0108",)),
    "T0849": ("Masquerading", ("TA0103",)),
    "T0851": ("Rootkit", ("TA0103", "TA0107")),
    "T0852": ("Screen Capture", ("TA0100",)),
    "T0853": ("Scripting", ("TA0104",)),
    "T0855": ("Unauthorized Command Message", ("TA0106",)),
    "T0856": ("Spoof Reporting Message", ("TA0103", "TA0106")),
    "T0857": ("System Firmware", ("TA0110", "TA0107")),
    "T0858": ("Change Operating Mode", ("TA0104", "TA0103")),
    "T0859": ("Valid Accounts", ("TA0110", "TA0109")),
    "T0860": ("Wireless Compromise", ("TA0108",)),
    "T0861": ("Point & Tag Identification", ("TA0100",)),
    "T0862": ("Supply Chain Compromise", ("TA0108",)),
    "T0863": ("User Execution", ("TA0104",)),
    "T0864": ("Transient Cyber Asset", ("TA0108",)),
    "T0865": ("Spearphishing Attachment", ("TA0108",)),
    "T0866": ("Exploitation of Remote Services", ("TA0108", "TA0109")),
    "T0867": ("Lateral Tool Transfer", ("TA0109",)),
    "T0868": ("Detect Operating Mode", ("TA0100",)),
    "T0869": ("Standard Application Layer Protocol", ("TA0101",)),
    "T0871": ("Execution through API", ("TA0104",)),
    "T0872": ("Indicator Removal on Host", ("TA0103",)),
    "T0873": ("Project File Infection", ("TA0110",)),
    "T0874": ("Hooking", ("TA0104", "TA0111")),
    "T0877": ("I/O Image", ("TA0100",)),
    "T0878": ("Alarm Suppression", ("TA0107",)),
    "T0879": ("Damage to Property", ("TA0105",)),
    "T0880": ("Loss of Safety", ("TA0105",)),
    "T0881": ("Service Stop", ("TA0107",)),
    "T0882": ("Theft of Operational Information", ("TA0105",)),
    "T0883": ("Internet Accessible Device", ("TA0108",)),
    "T0884": ("Connection Proxy", ("TA0101",)),
    "T0885": ("Commonly Used Port", ("TA0101",)),
    "T0886": ("Remote Services", ("TA0108", "TA0109")),
    "T0887": ("Wireless Sniffing", ("TA0102", "TA0100")),
    "T0888": ("Remote System Information Discovery", ("TA0102",)),
    "T0889": ("Modify Program", ("TA0110",)),
    "T0890": ("Exploitation for Privilege Escalation", ("TA0111",)),
    "T0891": ("Hardcoded Credentials", ("TA0110", "TA0109")),
    "T0892": ("Change Credential", ("TA0107",)),
    "T0893": ("Data from Local System", ("TA0100",)),
    "T0894": ("System Binary Proxy Execution", ("TA0103",)),
    "T0895": ("Autorun Image", ("TA0104",)),
}

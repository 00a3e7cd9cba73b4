"""Vendor names for the numeric vendor ids devices announce: ASHRAE's BACnet registry
(I-Am, vendor-identifier) and ODVA's CIP registry (ListIdentity, Identity object).

No Python package ships either registry. Wireshark's dissectors carry both, and
`tshark -G values` prints them: when tshark is installed (Debian's `tshark` package, a
maintained copy from the package registry), the names are read from it once per process,
locally; nothing is fetched from the network. Without tshark the ids stay numbers (the
``vendor_id`` value is kept either way), so a name's presence depends on the sensor's
installed Wireshark, which its source (``bacnet.vendor_registry``, ``cip.vendor_registry``)
says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from typing import Final

REGISTRY_FIELDS: Final = {"bacnet": "bacapp.vendor_identifier", "cip": "enip.lir.vendor"}
"""The Wireshark field whose value strings are each registry."""

UNASSIGNED: Final = ("Reserved", "Unknown")
"""Names that say an id is not a vendor's ("Reserved for ASHRAE")."""


def vendor_name(registry: str, vendor_id: object) -> str | None:
    """The registered name of vendor_id in registry ("bacnet" or "cip"), if known."""
    if not isinstance(vendor_id, int) or isinstance(vendor_id, bool):
        return None
    return _registries().get(registry, {}).get(vendor_id)


@lru_cache(maxsize=1)
def _registries() -> dict[str, dict[int, str]]:
    tshark = shutil.which("tshark")
    if tshark is None:
        return {}
    try:
        done = subprocess.run(
            [tshark, "-G", "values"],
            capture_output=True,
            timeout=60,
            check=False,
            # no personal Wireshark configuration changes what the dissectors register
            env={**os.environ, "WIRESHARK_CONFIG_DIR": os.devnull},
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_value_strings(done.stdout.decode("utf-8", "replace"))


def parse_value_strings(text: str) -> dict[str, dict[int, str]]:
    """The registries in `tshark -G values` output ("V<TAB>field<TAB>number<TAB>name")."""
    wanted = {field: registry for registry, field in REGISTRY_FIELDS.items()}
    found: dict[str, dict[int, str]] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or parts[0] != "V" or parts[1] not in wanted:
            continue
        name = parts[3].strip()
        if parts[2].isdigit() and name and not name.startswith(UNASSIGNED):
            found.setdefault(wanted[parts[1]], {})[int(parts[2])] = name
    return found

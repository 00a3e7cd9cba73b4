"""TeamViewer (TCP/UDP 5938) and AnyDesk (TCP 7070, 6568), kept minimal: the protocol is
identified, each segment or datagram is one unit with its direction and length, and the
connection is one SESSION transaction (remote access) once both sides have spoken.

Evidence (public sources, no vendor specification exists):
- TeamViewer: TCP payloads start with 0x17 0x24 (nDPI's teamviewer.c; libprotoident's
  lpi_teamviewer.cc: the first payload of each side is 37 bytes starting 17 24 0a 20);
  later ones may start 0x11 0x30 (nDPI). UDP: byte 0 a counter, 0x17 0x24 at offset 11
  (nDPI). The probe claims other ports only for a 37-byte segment starting 17 24 0a 20.
- AnyDesk: TLS on TCP 7070 and 6568 (nDPI recognizes it by port and its certificate);
  no cleartext magic is documented, so it is recognized by port only and the probe
  claims nothing (TLS on another port is not AnyDesk evidence). A unit notes whether it
  starts with a TLS record header.

Anomaly codes:
- ``teamviewer.unknown_magic``: a TeamViewer-port payload starting with neither magic.
"""

from __future__ import annotations

__all__: list[str] = []

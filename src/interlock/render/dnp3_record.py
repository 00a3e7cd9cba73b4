"""DNP3 link frames as Wireshark 4.0 shows them (packet-dnp.c), for `interlock dissect`.

One record per link frame: dnp3.src, dnp3.dst and dnp3.ctl.prifunc or .secfunc; the frame
that completes an application fragment also carries dnp3.al.func, .seq, .iin and one
dnp3.al.obj per object header. Wireshark's quirks live here only:

- a frame whose LEN is below 5 is a bounds error before anything is shown;
- reassembly fails when the transport sequence wraps from 63 to 0 inside a fragment
  (its fragment ids are the sequence numbers minus the fragment index, unsigned);
- IIN and objects are read for some function codes only, and objects are sized with
  Wireshark 4.0's narrower object library (an object it does not know swallows the rest
  of the fragment; an analog output command event of 32 bits takes one byte);
- group 0 attributes are read only as far as their data type is understood, and octet
  strings (groups 110 and 111) are shown with variation 0.
The shared object-header walk (interlock.protocols.dnp3.headers) does the reading.

Not reproduced: Wireshark keys transport reassembly by IP address pair (across TCP
connections) and by sequence number alone, and a new FIR can absorb segments left over
from an older, failed reassembly (after a wrap or a lost segment) however old they are;
the frame then shows the stale bytes' function and sequence (2 fields of the corpus).
"""

from __future__ import annotations

from typing import Any, Final

from interlock.protocols.dnp3.headers import ObjectHeader, ObjectRules, walk
from interlock.protocols.dnp3.link import HEADER_LEN, MIN_LENGTH, LinkFrame
from interlock.protocols.dnp3.objects import VARIABLE, layout, layout_size
from interlock.protocols.dnp3.session import Observation

# Objects Wireshark 4.0 can size, by group (groups 0, 110 and 111 are handled apart).
_KNOWN: Final[dict[int, frozenset[int]]] = {
    1: frozenset({0, 1, 2}),
    2: frozenset({0, 1, 2, 3}),
    3: frozenset({0, 1, 2}),
    4: frozenset({0, 1, 2}),
    10: frozenset({1, 2}),
    11: frozenset({0, 1, 2}),
    12: frozenset({1, 2, 3}),
    13: frozenset({1, 2}),
    20: frozenset(range(0, 9)),
    21: frozenset(range(1, 13)),
    22: frozenset(range(0, 9)),
    23: frozenset(range(1, 9)),
    30: frozenset(range(0, 7)),
    31: frozenset({7, 8}),
    32: frozenset(range(0, 9)),
    33: frozenset({5, 6, 7, 8}),
    34: frozenset(range(0, 4)),
    40: frozenset(range(1, 5)),
    41: frozenset(range(1, 5)),
    42: frozenset(range(0, 9)),
    43: frozenset(range(1, 9)),
    50: frozenset({1, 3}),
    51: frozenset({1}),
    52: frozenset({2}),
    60: frozenset(range(1, 5)),
    70: frozenset({3, 4, 5, 6}),
    80: frozenset({1}),
}
# (bytes taken, bytes read) where Wireshark 4.0 reads an object differently from its size.
_QUIRKS: Final[dict[tuple[int, int], tuple[int, int]]] = {(43, 1): (1, 5), (43, 3): (7, 7)}
_OCTET_STRINGS: Final = frozenset({110, 111})
_HEADER_ONLY: Final = frozenset({0x01, 0x07, 0x08, 0x09, 0x0A})
_WITH_DATA: Final = frozenset({0x02, 0x03, 0x04, 0x05, 0x06, 0x14, 0x15, 0x19, 0x1A, 0x1B})
_WITH_IIN: Final = frozenset({0x81, 0x82})


def _kind(group: int, variation: int) -> str | None:
    if group == 0 or group in _OCTET_STRINGS:
        return VARIABLE
    known = _KNOWN.get(group)
    return layout(group, variation) if known is not None and variation in known else None


def _attribute(buf: bytes, pos: int) -> tuple[int, int]:
    """A group 0 attribute as Wireshark 4.0 reads it: the value's length is consumed only
    for visible strings, integers (1, 2, 4 bytes) and floats (4, 8 bytes)."""
    if pos >= len(buf) or buf[pos] not in (1, 2, 3, 4):
        return 1, 1
    if pos + 2 > len(buf):
        return 2, 2
    data_type, length = buf[pos], buf[pos + 1]
    if data_type == 1:
        return 2 + length, 2 + length
    if data_type in (2, 3):
        return (2 + length, 2 + length) if length in (1, 2, 4) else (2, 2)
    if data_type == 4:
        return (2 + length, 2 + length) if length in (4, 8) else (2, 2)
    return 1, 1


def _file(variation: int, buf: bytes, pos: int, size: int) -> tuple[int, int]:
    if variation == 3:  # file command: fixed part, then the name
        if pos + 4 > len(buf):
            return 4, 4
        taken = 26 + (buf[pos + 2] | (buf[pos + 3] << 8))
        return taken, taken
    # Then (object size - fixed part) bytes of data, in unsigned arithmetic: one short
    # reads "the rest" and steps back a byte; more than one short is a bounds error.
    fixed = {4: 13, 5: 8, 6: 9}[variation]
    if size - fixed == -1:
        return fixed - 1, fixed
    taken = fixed + ((size - fixed) & 0xFFFFFFFF)
    return taken, taken


def _size(
    group: int, variation: int, buf: bytes, pos: int, prefix_value: int, prefix_code: int
) -> tuple[int, int] | None:
    if group == 0:
        return _attribute(buf, pos)
    if group in _OCTET_STRINGS:
        return variation, variation
    if group == 70:
        return _file(variation, buf, pos, prefix_value)
    quirk = _QUIRKS.get((group, variation))
    if quirk is not None:
        return quirk
    size = layout_size(layout(group, variation) or "")
    return size, size


WIRESHARK_4_0: Final = ObjectRules(_kind, _size, True)


def _shown(header: ObjectHeader) -> int:
    if header.group in _OCTET_STRINGS:
        return header.group << 8
    return (header.group << 8) | header.variation


def _application(raw: bytes, f: dict[str, Any]) -> None:
    if len(raw) < 2:
        return
    function = raw[1]
    f["dnp3.al.func"] = function
    f["dnp3.al.seq"] = raw[0] & 0x0F
    pos = 2
    if function in _WITH_IIN:
        if len(raw) < 4:
            return
        f["dnp3.al.iin"] = (raw[2] << 8) | raw[3]
        pos = 4
    elif function not in _HEADER_ONLY and function not in _WITH_DATA:
        return
    headers, _ = walk(raw, pos, function in _HEADER_ONLY, WIRESHARK_4_0)
    if headers:
        f["dnp3.al.obj"] = [_shown(h) for h in headers]


def dnp3_record(
    frame: LinkFrame, role: int, answered: Observation | None
) -> tuple[None, dict[str, Any], tuple[str, ...]]:
    """Fields and anomalies of one link frame; role is not used (DNP3 says DIR itself)."""
    anomalies = frame.anomalies
    if answered is not None and answered.anomaly:
        anomalies = (*anomalies, answered.anomaly)
    f: dict[str, Any] = {}
    if frame.size < HEADER_LEN - 2 or 0 <= frame.length < MIN_LENGTH:
        return None, f, anomalies
    f["dnp3.src"] = frame.src
    f["dnp3.dst"] = frame.dst
    f["dnp3.ctl.prifunc" if frame.primary else "dnp3.ctl.secfunc"] = frame.function
    if answered is not None and answered.fragment is not None and not answered.seq_wrapped:
        _application(answered.fragment.apdu.raw, f)
    return None, f, anomalies

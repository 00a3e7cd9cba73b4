"""Walking one SNMP message's TLVs: the anomalies found so far, and the stop that the
first malformed element causes (what follows it is not decoded, as in Wireshark)."""

from __future__ import annotations

from interlock.protocols.snmp.ber import INTEGER, MAX_INTEGER_OCTETS, Tlv, read_tlv


class Reader:
    __slots__ = ("anomalies", "data", "stopped")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.anomalies: list[str] = []
        self.stopped = False

    def child(self, pos: int, end: int) -> Tlv:
        """The TLV at pos inside an element ending at end. Running past an enclosing
        element that is itself whole is a bad length, not a truncated capture."""
        tlv = read_tlv(self.data, pos, end)
        if tlv.anomaly == "snmp.truncated" and end < len(self.data):
            return tlv._replace(anomaly="snmp.bad_length")
        return tlv

    def expect(self, tlv: Tlv, tag: int) -> bool:
        """Whether tlv is whole and has this tag; if not, note why and stop."""
        if self.stopped:
            return False
        if tlv.anomaly:
            self.stop(tlv.anomaly)
            return False
        if tlv.tag != tag:
            self.stop("snmp.bad_tag")
            return False
        if tag == INTEGER and (tlv.end - tlv.start > MAX_INTEGER_OCTETS or tlv.end == tlv.start):
            self.note("snmp.bad_integer")
        return True

    def note(self, code: str) -> None:
        if code not in self.anomalies:
            self.anomalies.append(code)

    def stop(self, code: str) -> None:
        self.note(code)
        self.stopped = True

    def codes(self) -> tuple[str, ...]:
        return tuple(self.anomalies)

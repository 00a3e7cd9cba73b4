"""The IEC 104 dissect record: Wireshark 4.0's field names, values and stopping points."""

from __future__ import annotations

from interlock.protocols.iec104.apci import parse_apdu
from interlock.protocols.iec104.session import Observation
from interlock.render.iec104_record import iec104_record


def _fields(hex_apdu: str) -> dict[str, object]:
    data = bytes.fromhex(hex_apdu)
    return iec104_record(parse_apdu(data, 0, len(data)), 1, None)[1]


def test_u_and_s_frames() -> None:
    assert _fields("680443000000") == {
        "iec60870_104.apdulen": 4,
        "iec60870_104.type": 3,
        "iec60870_104.utype": 16,
    }
    assert _fields("680401000a00") == {
        "iec60870_104.apdulen": 4,
        "iec60870_104.type": 1,
        "iec60870_104.rx": 5,
    }


def test_i_frame_with_sequence_of_objects() -> None:
    fields = _fields("6810" + "04000200" + "018414000a00" + "010000" + "01000180")
    assert fields == {
        "iec60870_104.apdulen": 16,
        "iec60870_104.type": 0,
        "iec60870_104.tx": 2,
        "iec60870_104.rx": 1,
        "iec60870_asdu.typeid": 1,
        "iec60870_asdu.sq": 1,
        "iec60870_asdu.numix": 4,
        "iec60870_asdu.causetx": 20,
        "iec60870_asdu.nega": 0,
        "iec60870_asdu.test": 0,
        "iec60870_asdu.oa": 0,
        "iec60870_asdu.addr": 10,
        "iec60870_asdu.ioa": [1, 2, 3, 4],
    }


def test_fields_stop_where_the_bytes_stop() -> None:
    # Wireshark's test capture: an ASDU of two bytes shows its type id and VSQ only.
    fields = _fields("0808080808080808" + "680618181818" + "1818")
    assert fields["iec60870_asdu.typeid"] == 24 and fields["iec60870_asdu.numix"] == 24
    assert "iec60870_asdu.causetx" not in fields
    assert _fields("0001680202" + "68") == {"iec60870_104.apdulen": 2}
    assert _fields("000000000000") == {}


def test_session_anomalies_are_added() -> None:
    data = bytes.fromhex("680401000a00")
    seen = Observation(None, ("iec104.sequence_gap",))
    assert iec104_record(parse_apdu(data, 0, 6), 0, seen)[2] == ["iec104.sequence_gap"]

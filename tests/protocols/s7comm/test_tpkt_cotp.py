"""TPKT framing and COTP TPDUs, against frames built by python-snap7 (a real S7 stack)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from snap7.connection import ISOTCPConnection

from interlock.protocols.s7comm.cotp import (
    CC,
    CR,
    DT,
    INVALID,
    encode_connect,
    encode_dt,
    parse_tpdu,
    s7_tsap,
)
from interlock.protocols.s7comm.tpkt import (
    encode_tpkt,
    parse,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)

S7_JOB = bytes.fromhex("32010000000100080000f0000001000101e0")


def test_a_connection_request_built_by_snap7_names_rack_and_slot() -> None:
    connection = ISOTCPConnection("127.0.0.1", local_tsap=0x0100, remote_tsap=0x0102)
    frame = connection._build_tpkt(connection._build_cotp_cr())
    unit = parse(frame, 0, len(frame))
    assert unit.length == len(frame) and unit.anomalies == ()
    tpdu = unit.tpdu
    assert (tpdu.code, tpdu.class_option, tpdu.anomalies) == (CR, 0, ())
    assert tpdu.param(0xC1) == b"\x01\x00" and tpdu.param(0xC2) == b"\x01\x02"
    tsap = s7_tsap(tpdu.param(0xC2))
    assert tsap is not None and (tsap.connection_type, tsap.rack, tsap.slot) == (1, 0, 2)
    assert probe(frame, 0, len(frame))


def test_a_data_tpdu_is_the_fast_path_and_round_trips() -> None:
    frame = encode_tpkt(encode_dt(S7_JOB))
    unit = parse_exact(frame, 0, len(frame))
    assert unit is not None and unit == parse(frame, 0, len(frame))
    assert (unit.tpdu.code, unit.tpdu.eot, unit.tpdu.payload) == (DT, True, S7_JOB)
    assert unit_length(frame, 0) == len(frame) and starts_unit(frame, 0, len(frame))
    assert probe(frame, 0, len(frame))
    fragment = encode_tpkt(encode_dt(S7_JOB[:5], eot=False))
    assert parse(fragment, 0, len(fragment)).tpdu.eot is False
    assert not probe(fragment, 0, len(fragment))


def test_the_probe_knows_a_whole_s7comm_plus_pdu_but_not_a_first_fragment() -> None:
    data = bytes.fromhex("31000004ca0000000100000120")
    whole = bytes([0x72, 1]) + len(data).to_bytes(2, "big") + data + b"\x72\x01\x00\x00"
    frame = encode_tpkt(encode_dt(whole))
    assert probe(frame, 0, len(frame))
    first = encode_tpkt(encode_dt(whole[:-4]))
    assert not probe(first, 0, len(first))


def test_connect_encoder_and_class_checks() -> None:
    cc = encode_connect(CC, b"\x01\x00", b"\x03\x01", src_ref=7, dst_ref=1)
    tpdu = parse_tpdu(cc, 0, len(cc))
    assert (tpdu.code, tpdu.src_ref, tpdu.dst_ref) == (CC, 7, 1)
    assert tpdu.param(0xC0) == b"\x0a"
    bad_class = bytearray(cc)
    bad_class[6] = 0x50  # class 5 does not exist: Wireshark rejects the TPDU
    assert parse_tpdu(bytes(bad_class), 0, len(bad_class)).code == INVALID


def test_data_tpdus_of_other_classes_and_invalid_ones() -> None:
    normal = bytes((4, 0xF0, 0x12, 0x34, 0x80)) + b"\x32"
    tpdu = parse_tpdu(normal, 0, len(normal))
    assert (tpdu.code, tpdu.dst_ref, tpdu.eot, tpdu.payload) == (DT, 0x1234, True, b"\x32")
    with_checksum = bytes((8, 0xF0, 0, 1, 0x00, 0xC3, 2, 0, 0)) + b"x"
    assert parse_tpdu(with_checksum, 0, len(with_checksum)).eot is False
    no_checksum = bytes((8, 0xF0, 0, 1, 0x80, 0xC0, 2, 0, 0)) + b"x"
    assert parse_tpdu(no_checksum, 0, len(no_checksum)).code == INVALID
    for odd in (bytes((3, 0xF0, 0x80, 0)), bytes((0, 0xF0)), bytes((9, 0xF0, 0x80))):
        assert parse_tpdu(odd, 0, len(odd)).code == INVALID


def test_the_start_test_follows_wireshark() -> None:
    frame = encode_tpkt(encode_dt(S7_JOB))
    assert starts_unit(frame[:1], 0, 1)  # one byte of version 3 is enough to wait for more
    assert not starts_unit(b"\x00" + frame[1:], 0, len(frame))
    assert unit_length(frame[:3], 0) == 0  # header incomplete: wait
    assert unit_length(b"\x00" + frame[1:], 0) == -1  # no packet starts here: drop the rest
    assert unit_length(b"\x03\x00\x00\x02", 0) == -1  # shorter than its own header
    assert not probe(frame + b"\x00", 0, len(frame) + 1)  # the probe wants exactly one packet


def test_irregular_packets_carry_anomalies() -> None:
    cut = encode_tpkt(encode_dt(S7_JOB))[:-3]
    assert parse(cut, 0, len(cut)).anomalies == ("s7comm.tpkt_truncated",)
    header_only = b"\x03\x00\x00\x04"
    unit = parse(header_only, 0, 4)
    assert unit.tpdu.code == INVALID and unit.tpdu.anomalies == ("s7comm.cotp_missing",)


@settings(max_examples=400)
@given(st.binary(max_size=120), st.integers(0, 12))
def test_framing_never_raises_nor_reads_past_its_range(data: bytes, offset: int) -> None:
    start = min(offset, len(data))
    end = len(data)
    unit = parse(data, start, end)
    assert len(unit.tpdu.payload) <= max(0, end - start - 4)
    exact = parse_exact(data, start, end)
    assert exact is None or exact == unit
    assert unit_length(data, start) >= -1
    starts_unit(data, start, end)
    probe(data, start, end)
    tpdu = parse_tpdu(data, start, end)
    assert len(tpdu.payload) <= end - start

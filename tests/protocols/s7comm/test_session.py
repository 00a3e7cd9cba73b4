"""The connection state: COTP reassembly, userdata fragments, S7comm-plus continuations and
pairing, seen through the dissect records as Wireshark 4.0 would show them."""

from __future__ import annotations

from snap7.s7protocol import S7Protocol

from interlock.protocols.s7comm.header import ACK_DATA, JOB, USERDATA, encode_pdu
from interlock.protocols.s7comm.session import MAX_PENDING, S7COMM, S7Session
from interlock.protocols.s7comm.tpkt import encode_tpkt, parse
from interlock.protocols.s7comm_plus.frame import encode_fragment, encode_request
from protocols.s7comm.conversation import dt, records  # tests/ is on sys.path

READ = S7Protocol().build_read_request(1, 0, 0, 2, 1)  # snap7: one byte of DB0
ACK = encode_pdu(ACK_DATA, 1, b"\x04\x01", b"\xff\x04\x00\x08\x2a")


def fields(recs: list[dict[str, object]], frame: int) -> list[dict[str, object]]:
    return [r["fields"] for r in recs if r["frame"] == frame]  # type: ignore[misc]


def test_a_pdu_split_over_cotp_fragments_is_reported_on_the_last() -> None:
    recs = records([(0, dt(READ[:7], eot=False)), (0, dt(b"", eot=False)), (0, dt(READ[7:]))])
    assert [r["frame"] for r in recs] == [6]
    assert recs[0]["fields"]["s7comm.param.func"] == 4


def test_several_packets_in_a_segment_and_one_split_over_segments() -> None:
    both = dt(READ) + dt(READ)
    whole = dt(ACK)
    recs = records([(0, both), (1, whole[:5]), (1, whole[5:])])
    assert [r["frame"] for r in recs] == [4, 4, 6]


def test_what_follows_a_bad_version_byte_is_dropped_until_the_next_segment() -> None:
    recs = records([(0, dt(READ) + b"\x00\x00\x00\x07\x02\xf0"), (0, dt(READ))])
    assert [r["frame"] for r in recs] == [4, 5]


def szl_fragments() -> list[bytes]:
    """A response spread over two userdata PDUs (data unit reference 0xD5), and the
    follow-up request between them, as a CPU and Snap7 exchange them."""
    head = bytes.fromhex("0001120812840102d5")
    first_data = bytes.fromhex("ff09000a001c0000002200030001")
    second_data = bytes.fromhex("ff0900024142")
    first = encode_pdu(USERDATA, 2, head + b"\x01\x00\x00", first_data)
    follow = encode_pdu(USERDATA, 3, bytes.fromhex("000112081244010200000000"), b"\x0a\x00\x00\x00")
    last = encode_pdu(USERDATA, 3, head + b"\x00\x00\x00", second_data)
    return [first, follow, last]


def test_userdata_fragments_are_joined_and_the_szl_id_shown_on_the_last() -> None:
    first, follow, last = szl_fragments()
    recs = records([(1, dt(first)), (0, dt(follow)), (1, dt(last))])
    assert "s7comm.data.userdata.szl_id" not in recs[0]["fields"]
    assert "s7comm.data.userdata.szl_id" not in recs[1]["fields"]
    assert recs[2]["fields"]["s7comm.data.userdata.szl_id"] == 0x001C


def test_s7comm_plus_continuations_have_no_opcode() -> None:
    first = encode_fragment(2, encode_request(0x04CA, 0x27, 0x3BE, bytes(20)), trailer=False)
    follow = encode_fragment(2, b"\x00\x82" + bytes(30))
    recs = records([(0, dt(first)), (0, dt(follow))])
    assert [r["proto"] for r in recs] == ["s7comm-plus", "s7comm-plus"]
    assert recs[0]["fields"]["s7comm-plus.data.opcode"] == 0x31
    assert recs[1]["fields"] == {
        "s7comm-plus.header.protocolversion": 2,
        "s7comm-plus.header.datlg": 32,
    }


def test_connection_tpdus_and_other_payloads_make_no_record() -> None:
    cr = bytes.fromhex("0300001611e00000000100c1020100c2020102c0010a")
    recs = records([(0, cr), (0, dt(b"\x01\x02\x03")), (0, dt(b"\x32\x09" + bytes(10)))])
    assert recs == []


def unit(payload: bytes):  # type: ignore[no-untyped-def]
    frame = dt(payload)
    return parse(frame, 0, len(frame))


def test_pairing_by_pdu_reference_and_the_bound() -> None:
    session = S7Session()
    job = encode_pdu(JOB, 7, b"\x04\x01")
    assert session.observe(unit(job), True, 4, 1.0).request is None
    answer = session.observe(unit(encode_pdu(ACK_DATA, 7, b"\x04\x01")), False, 5, 1.1)
    assert answer.kind == S7COMM and answer.request is not None and answer.request.frame == 4
    other = session.observe(unit(encode_pdu(ACK_DATA, 8, b"\x04\x01")), False, 6, 1.2)
    assert other.request is None
    for ref in range(MAX_PENDING + 10):
        session.observe(unit(encode_pdu(JOB, ref & 0xFFFF, b"\x04\x01")), True, 10, 2.0)
    assert len(session.requests) == MAX_PENDING


def test_s7comm_plus_pairs_by_sequence_number() -> None:
    session = S7Session()
    request = encode_fragment(2, encode_request(0x054C, 9, 0x3BE))
    response = bytes.fromhex("720200103200000542000000093400000000000072020000")
    session.observe(unit(request), True, 4, 1.0)
    seen = session.observe(unit(response), False, 5, 1.1)
    assert seen.request is not None and seen.request.adu.s7p is not None
    assert seen.request.adu.s7p.session_id == 0x3BE


def test_tsdu_growth_is_bounded() -> None:
    session = S7Session()
    chunk = unit(b"\x00" * 60000)._replace(tpdu=unit(b"\x00" * 60000).tpdu._replace(eot=False))
    anomalies: tuple[str, ...] = ()
    for _ in range(40):
        anomalies += session.observe(chunk, True, 4, 1.0).anomalies
    assert "s7comm.cotp_reassembly_overflow" in anomalies
    assert encode_tpkt(b"")  # the encoder frames an empty TPDU too


def test_a_last_data_unit_flag_other_than_0_or_1_ends_the_unit_undecoded() -> None:
    """Wireshark: only 1 means "more follow", only 0 lets the payload be decoded."""
    first, _follow, last = szl_fragments()
    odd = first[:19] + b"\x02" + first[20:]
    recs = records([(1, dt(odd)), (1, dt(last))])
    assert "s7comm.data.userdata.szl_id" not in recs[0]["fields"]
    assert recs[1]["fields"]["s7comm.data.userdata.szl_id"] == 0x4142

"""A small DNP3 capture the project makes itself, built with Interlock's own encoders.

One TCP connection from a master (link address 1) to a gateway that fronts two
outstations (link addresses 10 and 11, one IP address): link status, a class 0 poll
answered in two link frames whose transport sequence wraps from 63 to 0 (Wireshark 4.0
shows no application layer there), device attribute reads (identity), select/operate of
a CROB, direct operate of an analog output, cold restart, disable unsolicited, an
unsolicited response and its confirm, a WRITE clearing IIN1.7, two frames in one segment,
a frame over two segments, a bad data CRC and an impossible length. Then a READ over UDP.

Regenerate the committed capture and its golden files (review the diff):
    .venv/bin/python tests/protocols/dnp3/demo_capture.py
which writes tests/data/dnp3-demo.pcap, dnp3-demo.dissect.jsonl,
dnp3-demo.transactions.jsonl and, when tshark is installed, dnp3-demo.wireshark.tsv
(Wireshark 4.0's own dissection, for the agreement test).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from interlock.capture.writer import PcapWriter
from interlock.protocols.dnp3.application import encode_apdu
from interlock.protocols.dnp3.crc import with_crc
from interlock.protocols.dnp3.link import encode_frame
from interlock.protocols.dnp3.transport import segment
from interlock.sim.tcp_frames import TcpConversation

DATA = Path(__file__).resolve().parents[2] / "data"
MASTER_IP, GATEWAY_IP, RTU_IP = "10.20.0.1", "10.10.0.5", "10.10.0.6"
MASTER, OUTSTATION_A, OUTSTATION_B = 1, 10, 11
START = 1_767_225_600.0
FROM_MASTER, FROM_OUTSTATION = 0xC4, 0x44  # DIR/PRM + unconfirmed user data


def obj(group: int, variation: int, qualifier: int, rng: bytes = b"", data: bytes = b"") -> bytes:
    """One object header and its objects."""
    return bytes((group, variation, qualifier)) + rng + data


def crob(code: int, count: int, on_ms: int, off_ms: int, status: int = 0) -> bytes:
    return struct.pack("<BBIIB", code, count, on_ms, off_ms, status)


def attribute(variation: int, data_type: int, value: bytes) -> bytes:
    return obj(0, variation, 0x00, bytes((0, 0)), bytes((data_type, len(value))) + value)


def frames(control: int, dst: int, src: int, apdu: bytes, tseq: int) -> list[bytes]:
    return [encode_frame(control, dst, src, s) for s in segment(apdu, tseq)]


class Link:
    """Transport sequence numbers of one direction between two link addresses."""

    def __init__(self, control: int, dst: int, src: int, tseq: int) -> None:
        self.control, self.dst, self.src, self.tseq = control, dst, src, tseq

    def send(self, apdu: bytes) -> list[bytes]:
        sent = frames(self.control, self.dst, self.src, apdu, self.tseq)
        self.tseq = (self.tseq + len(sent)) & 0x3F
        return sent


def class0_response(seq: int) -> bytes:
    binaries = obj(1, 2, 0x00, bytes((0, 15)), bytes(0x81 if i % 3 else 0x01 for i in range(16)))
    analogs = obj(
        30,
        1,
        0x01,
        struct.pack("<HH", 0, 39),
        b"".join(struct.pack("<Bi", 1, 100 * i - 7) for i in range(40)),
    )
    counters = obj(
        20, 1, 0x00, bytes((0, 9)), b"".join(struct.pack("<BI", 1, 5000 + i) for i in range(10))
    )
    return encode_apdu(0xC0 | seq, 0x81, binaries + analogs + counters, iin=0x0000)


Exchange = tuple[int, list[bytes]]
"""(direction, the link frames sent in one TCP segment); direction 0 is the master."""


def ask(
    to: Link, back: Link, seq: int, function: int, body: bytes, answer: bytes, iin: int = 0
) -> list[Exchange]:
    """A request and its single-fragment response."""
    return [
        (0, to.send(encode_apdu(0xC0 | seq, function, body))),
        (1, back.send(encode_apdu(0xC0 | seq, 0x81, answer, iin=iin))),
    ]


def device_attributes() -> bytes:
    return b"".join(
        (
            attribute(252, 1, b"Interlock Labs"),
            attribute(250, 1, b"RTU-560 demo"),
            attribute(242, 1, b"4.2.1"),
            attribute(243, 1, b"B"),
            attribute(248, 1, b"SN-000451"),
            attribute(240, 2, struct.pack("<H", 2048)),
        )
    )


def controls(to_a: Link, from_a: Link, to_b: Link, from_b: Link) -> list[Exchange]:
    """Identity, controls, restart and mode changes, to both outstations."""
    crob_on = obj(12, 1, 0x28, struct.pack("<HH", 1, 3), crob(0x03, 1, 0, 0))
    analog_out = obj(41, 2, 0x17, bytes((1, 0)), struct.pack("<hB", 1234, 0))
    classes = obj(60, 2, 0x06) + obj(60, 3, 0x06) + obj(60, 4, 0x06)
    restart_delay = obj(52, 2, 0x07, b"\x01", struct.pack("<H", 1500))
    return [
        *ask(to_b, from_b, 1, 0x01, obj(0, 254, 0x06), device_attributes()),
        *ask(to_a, from_a, 2, 0x03, crob_on, crob_on),
        *ask(to_a, from_a, 3, 0x04, crob_on, crob_on),
        *ask(to_b, from_b, 2, 0x05, analog_out, analog_out),
        *ask(to_a, from_a, 4, 0x0D, b"", restart_delay, iin=0x8000),
        *ask(to_a, from_a, 5, 0x02, obj(80, 1, 0x00, bytes((7, 7)), b"\x00"), b""),
        *ask(to_b, from_b, 3, 0x15, classes, b""),
        *ask(to_a, from_a, 6, 0x12, b"", b"", iin=0x0001),  # refused: no function support
    ]


def tcp_exchanges() -> list[Exchange]:
    """Every TCP segment's link frames, in order."""
    to_a, from_a = (
        Link(FROM_MASTER, OUTSTATION_A, MASTER, 5),
        Link(FROM_OUTSTATION, MASTER, OUTSTATION_A, 63),
    )
    to_b, from_b = (
        Link(FROM_MASTER, OUTSTATION_B, MASTER, 20),
        Link(FROM_OUTSTATION, MASTER, OUTSTATION_B, 30),
    )
    out: list[Exchange] = [
        (0, [encode_frame(0xC9, OUTSTATION_A, MASTER)]),  # request link status
        (1, [encode_frame(0x0B, MASTER, OUTSTATION_A)]),  # link status
        (0, to_a.send(encode_apdu(0xC0, 0x01, obj(60, 1, 0x06)))),
    ]
    response = from_a.send(class0_response(0))  # two frames, transport sequence 63 then 0
    out += [(1, [response[0]]), (1, [response[1]]), *controls(to_a, from_a, to_b, from_b)]
    event = obj(2, 2, 0x17, b"\x01\x04", b"\x81" + (1_767_225_601_250).to_bytes(6, "little"))
    out += [
        (1, from_a.send(encode_apdu(0xF0, 0x82, event, iin=0x0200))),  # unsolicited, CON
        (0, to_a.send(encode_apdu(0xD0, 0x00))),  # its confirm
    ]
    # Two requests in one segment, one to each outstation, and their responses.
    both = to_a.send(encode_apdu(0xC7, 0x01, obj(1, 0, 0x06)))
    both += to_b.send(encode_apdu(0xC4, 0x01, obj(30, 0, 0x06)))
    inputs = obj(30, 2, 0x00, bytes((0, 1)), b"\x01\x10\x00\x01\x20\x00")
    out += [
        (0, both),
        (
            1,
            from_a.send(
                encode_apdu(0xC7, 0x81, obj(1, 1, 0x00, bytes((0, 9)), b"\xa5\x02"), iin=0)
            ),
        ),
        (1, from_b.send(encode_apdu(0xC4, 0x81, inputs, iin=0))),
    ]
    return out + damaged(to_a)


def damaged(to_a: Link) -> list[Exchange]:
    """A frame with a bad data CRC, then one whose LEN (3) is impossible."""
    bad_crc = bytearray(to_a.send(encode_apdu(0xC8, 0x01, obj(60, 1, 0x06)))[0])
    bad_crc[-1] ^= 0xFF
    good = encode_frame(FROM_MASTER, OUTSTATION_A, MASTER, b"\xc0\xc9\x01\x3c\x01\x06")
    bad_length = with_crc(good[:2] + b"\x03" + good[3:8]) + good[10:]  # header CRC right
    return [(0, [bytes(bad_crc)]), (0, [bad_length])]


def _udp_frame(src: str, sport: int, dst: str, dport: int, payload: bytes) -> bytes:
    from capture.builders import ETH_IPV4, ethernet, ipv4, udp

    return ethernet(ipv4(src, dst, 17, udp(sport, dport, payload)), ETH_IPV4)


def udp_frames() -> list[bytes]:
    """A READ of binary inputs over UDP 20000, and its response."""
    request = frames(
        FROM_MASTER, 20, MASTER, encode_apdu(0xC0, 0x01, obj(1, 2, 0x00, b"\x00\x03")), 0
    )
    reply = encode_apdu(0xC0, 0x81, obj(1, 2, 0x00, b"\x00\x03", b"\x81\x01\x81\x01"), iin=0x0000)
    response = frames(FROM_OUTSTATION, MASTER, 20, reply, 0)
    return [
        _udp_frame(MASTER_IP, 20000, RTU_IP, 20000, b"".join(request)),
        _udp_frame(RTU_IP, 20000, MASTER_IP, 20000, b"".join(response)),
    ]


def packets() -> list[bytes]:
    conv = TcpConversation(MASTER_IP, 40_001, GATEWAY_IP, 20000)
    out = conv.handshake()
    for direction, sent in tcp_exchanges():
        payload = b"".join(sent)
        if len(payload) > 200:  # one frame over two segments, as a slow serial gateway does
            out += [conv.data(direction, payload[:100]), conv.data(direction, payload[100:])]
        else:
            out.append(conv.data(direction, payload))
    return out + conv.close() + udp_frames()


def write_capture(path: Path) -> None:
    with path.open("wb") as fh:
        writer = PcapWriter(fh)
        for n, packet in enumerate(packets()):
            writer.write(START + n * 0.01, packet)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    capture = DATA / "dnp3-demo.pcap"
    write_capture(capture)
    write_golden(capture, "dnp3")


if __name__ == "__main__":
    main()

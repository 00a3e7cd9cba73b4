"""A small EtherNet/IP capture the project makes itself, built with Interlock's own encoders.

One TCP session between an engineering station and a Logix-like controller: ListIdentity,
RegisterSession, an Identity read through an Unconnected Send, a Get_Attribute_List, a
Forward Open, connected messaging (a Multiple Service Packet with Logix tag reads and
writes, Stop, Start, a refused Set_Attribute_Single), Reset, an error reply with
extended status, two packets in one segment and one packet over two segments, Forward
Close, a Forward Open for class 1 I/O and UnregisterSession; then ListIdentity over UDP
and class 1 I/O on UDP 2222 (on that connection, and on one never opened).

Regenerate the committed capture and its golden files (review the diff):
    .venv/bin/python tests/protocols/enip/session_capture.py
which writes tests/data/enip-session.pcap, enip-session.dissect.jsonl,
enip-session.transactions.jsonl and, when tshark is installed,
enip-session.wireshark.tsv (Wireshark 4.0's own dissection, for the agreement test).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from interlock.capture.writer import PcapWriter
from interlock.protocols.cip.connection import (
    ConnectionRequest,
    ForwardOpenReply,
    Triad,
    encode_forward_close,
    encode_forward_open,
    encode_forward_open_reply,
)
from interlock.protocols.cip.epath import encode_logical, encode_port, encode_symbol
from interlock.protocols.cip.message import (
    encode_multiple_service,
    encode_request,
    encode_response,
    encode_unconnected_send,
)
from interlock.protocols.enip import commands as cmd
from interlock.protocols.enip.cpf import IdentityItem, encode_identity, encode_items
from interlock.protocols.enip.encap import encode, encode_command_data
from interlock.sim.tcp_frames import TcpConversation

DATA = Path(__file__).resolve().parents[2] / "data"
STATION, PLC = "192.168.1.10", "192.168.1.20"
START = 1_767_225_600.0
SESSION = 0x6E01A5C3
TRIAD = Triad(0x1234, 0x0001, 0x00C0FFEE)
O2T_ID, T2O_ID = 0x80010001, 0x00420007
IO_TRIAD = Triad(0x1235, 0x0001, 0x00C0FFEE)
IO_O2T, IO_T2O = 0x80020003, 0x00420009
CONTROLLER = IdentityItem(
    1, f"{PLC}:44818", 1, 14, 95, 20, 11, 0x3060, 0x60D1E2F3, "1756-L73/B LOGIX5573", 3
)


def identity_path(instance: int = 1, attribute: int | None = None) -> bytes:
    path = encode_logical("class", 1) + encode_logical("instance", instance)
    return path + (encode_logical("attribute", attribute) if attribute is not None else b"")


def identity_attributes() -> bytes:
    """Identity attributes 1-7 as Get_Attributes_All returns them."""
    name = CONTROLLER.product_name.encode()
    return (
        struct.pack("<HHHBBHI", 1, 14, 95, 20, 11, 0x3060, CONTROLLER.serial)
        + bytes((len(name),))
        + name
    )


def rr_data(cip: bytes, context: int = 0, session: int = SESSION) -> bytes:
    items = encode_items([(cmd.ITEM_NULL_ADDRESS, b""), (cmd.ITEM_UNCONNECTED_DATA, cip)])
    return encode(cmd.SEND_RR_DATA, encode_command_data(items, 0, 10), session, 0, context)


def unit_data(connection: int, sequence: int, cip: bytes) -> bytes:
    items = encode_items(
        [
            (cmd.ITEM_CONNECTED_ADDRESS, connection.to_bytes(4, "little")),
            (cmd.ITEM_CONNECTED_DATA, sequence.to_bytes(2, "little") + cip),
        ]
    )
    return encode(cmd.SEND_UNIT_DATA, encode_command_data(items), SESSION)


def connected(sequence: int, request: bytes, reply: bytes) -> tuple[bytes, bytes]:
    return unit_data(O2T_ID, sequence, request), unit_data(T2O_ID, sequence, reply)


def _udp_frame(src: str, sport: int, dst: str, dport: int, payload: bytes) -> bytes:
    from capture.builders import ETH_IPV4, ethernet, ipv4, udp

    return ethernet(ipv4(src, dst, 17, udp(sport, dport, payload)), ETH_IPV4)


def tcp_exchanges() -> list[tuple[int, bytes]]:
    """(direction, payload) of the TCP session after the handshake: 0 station, 1 PLC."""
    backplane = encode_port(1, 0)
    mr_path = encode_logical("class", 2) + encode_logical("instance", 1)
    cm_path = encode_logical("class", 6) + encode_logical("instance", 1)
    gaa = encode_request(0x01, identity_path())
    fwd_open = ConnectionRequest(O2T_ID, T2O_ID, TRIAD, 500_000, 500_000, 2, 2, 0xA3)
    tag = encode_symbol("Motor_Speed")
    valves = encode_symbol("Line") + encode_symbol("Valves") + encode_logical("member", 3)
    msp = encode_multiple_service(
        [
            encode_request(0x0E, identity_path(1, 7)),
            encode_request(0x4C, tag, b"\x01\x00"),
            encode_request(0x4D, valves, b"\xc3\x00\x01\x00\x2a\x00"),
        ]
    )
    msp_reply = encode_multiple_service(
        [
            encode_response(0x0E, 0, identity_attributes()[14:]),
            encode_response(0x4C, 0, b"\xca\x00\x00\x00\x48\x42"),
            encode_response(0x4D, 0),
        ]
    )
    gal = encode_request(0x03, identity_path(), struct.pack("<HHHH", 3, 1, 7, 102))
    gal_reply = struct.pack("<HHHH", 3, 1, 0, 1) + struct.pack("<HH", 7, 0)
    gal_reply += identity_attributes()[14:] + struct.pack("<HH", 102, 0x14)
    tcpip = encode_logical("class", 0xF5) + encode_logical("instance", 1)
    two_reads = rr_data(encode_request(0x0E, identity_path(1, 1)), 21) + rr_data(
        encode_request(0x0E, identity_path(1, 6)), 22
    )
    big_reply = rr_data(encode_response(0x0E, 0, struct.pack("<I", CONTROLLER.serial)), 22)
    tcpip_gal = encode_request(0x03, tcpip, struct.pack("<HHHHH", 4, 1, 5, 6, 13))
    interface = bytes(
        (192, 168, 1, 20, 255, 255, 255, 0, 192, 168, 1, 1, 192, 168, 1, 1, 0, 0, 0, 0)
    )
    tcpip_reply = (
        struct.pack("<HHHI", 4, 1, 0, 0x00000001)
        + struct.pack("<HH", 5, 0) + interface + struct.pack("<H", 9) + b"plant.lan\x00"
        + struct.pack("<HH", 6, 0) + struct.pack("<H", 6) + b"plc-07"
        + struct.pack("<HHH", 13, 0, 120)
    )  # fmt: skip
    failed_route = encode_unconnected_send(gaa, encode_port(1, 5))
    key = b"\x34\x04\x01\x00\x0e\x00\x5f\x00\x14\x0b"  # electronic key: vendor 1, type 14...
    assembly = encode_logical("class", 4) + encode_logical("instance", 1)
    io_path = backplane + key + assembly + encode_logical("connection_point", 150)
    io_path += encode_logical("connection_point", 100)
    io_open = ConnectionRequest(0, 0, IO_TRIAD, 10_000, 10_000, 2, 2, 0x01)  # class 1, cyclic
    io_granted = ForwardOpenReply(IO_O2T, IO_T2O, IO_TRIAD, 10_000, 10_000)
    return [
        (0, encode(cmd.LIST_IDENTITY)),
        (1, encode(cmd.LIST_IDENTITY, encode_items([(0x0C, encode_identity(CONTROLLER, PLC))]))),
        (0, encode(cmd.REGISTER_SESSION, b"\x01\x00\x00\x00")),
        (1, encode(cmd.REGISTER_SESSION, b"\x01\x00\x00\x00", SESSION)),
        (0, rr_data(encode_request(0x52, cm_path, encode_unconnected_send(gaa, backplane)), 1)),
        (1, rr_data(encode_response(0x01, 0, identity_attributes()), 1)),
        (0, rr_data(gal, 2)),
        (1, rr_data(encode_response(0x03, 0, gal_reply), 2)),
        (0, rr_data(encode_request(0x54, cm_path, encode_forward_open(fwd_open, backplane + mr_path)), 3)),
        (1, rr_data(encode_response(0x54, 0, encode_forward_open_reply(ForwardOpenReply(O2T_ID, T2O_ID, TRIAD, 500_000, 500_000))), 3)),
        *zip((0, 1), connected(1, encode_request(0x0A, mr_path, msp), encode_response(0x0A, 0, msp_reply))),
        *zip((0, 1), connected(2, encode_request(0x07, encode_logical("class", 0x8E) + encode_logical("instance", 1)), encode_response(0x07))),
        *zip((0, 1), connected(3, encode_request(0x06, encode_logical("class", 0x8E) + encode_logical("instance", 1)), encode_response(0x06))),
        *zip((0, 1), connected(4, encode_request(0x10, tcpip + encode_logical("attribute", 5), b"\x0a\x00\x00\x02"), encode_response(0x10, 0x0E))),
        (0, rr_data(encode_request(0x05, identity_path(), b"\x00"), 4)),
        (1, rr_data(encode_response(0x05), 4)),
        (0, rr_data(encode_request(0x0E, encode_logical("class", 0x99) + encode_logical("instance", 1) + encode_logical("attribute", 1)), 5)),
        (1, rr_data(encode_response(0x0E, 0x05, b"", (0x0000,)), 5)),
        (0, two_reads),
        (1, rr_data(encode_response(0x0E, 0, b"\x01\x00"), 21) + big_reply[:20]),
        (1, big_reply[20:]),
        *zip((0, 1), connected(5, tcpip_gal, encode_response(0x03, 0, tcpip_reply))),
        (0, rr_data(encode_request(0x52, cm_path, failed_route), 7)),
        (1, rr_data(encode_response(0x52, 0x01, b"\x01\x00", (0x0204,)), 7)),
        (0, encode(cmd.LIST_SERVICES, b"", SESSION)),
        (1, encode(cmd.LIST_SERVICES, encode_items([(0x100, struct.pack("<HH16s", 1, 0x120, b"Communications"))]), SESSION)),
        (0, rr_data(encode_request(0x4E, cm_path, encode_forward_close(TRIAD, backplane + mr_path)), 6)),
        (1, rr_data(encode_response(0x4E, 0, struct.pack("<HHIBB", *TRIAD, 0, 0)), 6)),
        (0, rr_data(encode_request(0x54, cm_path, encode_forward_open(io_open, io_path)), 8)),
        (1, rr_data(encode_response(0x54, 0, encode_forward_open_reply(io_granted)), 8)),
        (0, encode(cmd.UNREGISTER_SESSION, b"", SESSION)),
    ]  # fmt: skip


def udp_frames() -> list[bytes]:
    """ListIdentity broadcast and its reply on UDP 44818; class 1 I/O on UDP 2222."""
    reply = encode(cmd.LIST_IDENTITY, encode_items([(0x0C, encode_identity(CONTROLLER, PLC))]))

    def io(connection: int, sequence: int, data: bytes) -> bytes:
        address = struct.pack("<II", connection, sequence)
        return encode_items([(0x8002, address), (0x00B1, data)])

    return [
        _udp_frame(STATION, 50_123, "255.255.255.255", 44818, encode(cmd.LIST_IDENTITY)),
        _udp_frame(PLC, 44818, STATION, 50_123, reply),
        _udp_frame(STATION, 2222, PLC, 2222, io(IO_O2T, 1, b"\x01\x00\x01\x00\x00\x00\x55")),
        _udp_frame(PLC, 2222, STATION, 2222, io(IO_T2O, 1, b"\x01\x00\x10\x27")),
        _udp_frame(PLC, 2222, STATION, 2222, io(0x00990001, 7, b"\x01\x00")),  # unknown
    ]


def frames() -> list[bytes]:
    conversation = TcpConversation(STATION, 50_000, PLC, 44818)
    out = conversation.handshake()
    out += [conversation.data(direction, payload) for direction, payload in tcp_exchanges()]
    out += conversation.close()
    return out + udp_frames()


def write_capture(path: Path) -> None:
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for i, frame in enumerate(frames()):
            writer.write(START + i * 0.001, frame)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    capture = DATA / "enip-session.pcap"
    write_capture(capture)
    write_golden(capture, "enip_cip")


if __name__ == "__main__":
    main()

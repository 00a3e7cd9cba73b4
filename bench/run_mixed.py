"""Per-protocol speed against tshark on real traffic: the public corpus, replicated.

For every protocol folder of ../shared/corpus/pcaps, the captures (as Ethernet frames) are copied over
and over into one capture per protocol (bench/data/mixed-<folder>.pcap, never committed)
until it holds --frames frames. Each copy gives every IP address a new one of its own
(10.0.0.0/8, fd00::/8), so each copy is a new set of conversations (not retransmissions)
while the ports, and so the protocol detection, stay as they were. Checksums are left stale: neither
tool validates them.

Then, per protocol, interlock (`dissect --jsonl --proto P`) and tshark (`-T fields` with
the contract's columns, as ../shared/tools/make_truth.sh writes them) run alternately for
--rounds rounds with output to /dev/null; the report gives medians, packets/s and the
ratio. One verification run per tool counts the frames in which each found the protocol.

usage: .venv/bin/python bench/run_mixed.py [--frames 200000] [--rounds 3] [--folders ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

import snapshot
from measure import Sample, run_measured
from peers import ensure_tshark, tshark_version
from report import machine

from interlock.capture import open_capture
from interlock.capture.linktypes import ETHERNET, network_layer
from interlock.capture.writer import PcapWriter
from interlock.errors import CaptureError
from interlock.protocols.registry import PROTOCOLS

ROOT: Final = Path(__file__).resolve().parent.parent
DATA: Final = ROOT / "bench" / "data"
CORPUS: Final = ROOT.parent / "shared" / "corpus" / "pcaps"

# folder -> (contract proto name, tshark display filter, tshark fields); the columns of
# ../shared/tools/make_truth.sh.
TSHARK: Final[dict[str, tuple[str, str, str]]] = {
    "modbus": (
        "modbus",
        "mbtcp",
        "mbtcp.trans_id mbtcp.unit_id modbus.func_code modbus.reference_num modbus.word_cnt modbus.bit_cnt modbus.exception_code modbus.request_frame",
    ),
    "dnp3": (
        "dnp3",
        "dnp3",
        "dnp3.src dnp3.dst dnp3.ctl.prifunc dnp3.ctl.secfunc dnp3.al.func dnp3.al.seq dnp3.al.obj dnp3.al.iin",
    ),
    "enip_cip": (
        "enip",
        "enip",
        "enip.command enip.session enip.status cip.service cip.sc cip.class cip.instance cip.attribute cip.genstat cip.symbol",
    ),
    "s7comm": (
        "s7comm",
        "s7comm",
        "s7comm.header.rosctr s7comm.header.pduref s7comm.param.func s7comm.param.itemcount s7comm.param.userdata.type s7comm.param.userdata.funcgroup s7comm.param.userdata.subfunc s7comm.data.userdata.szl_id s7comm.header.errcls s7comm.header.errcod",
    ),
    "iec104": (
        "iec104",
        "iec60870_104",
        "iec60870_104.type iec60870_104.utype iec60870_104.tx iec60870_104.rx iec60870_asdu.typeid iec60870_asdu.causetx iec60870_asdu.addr iec60870_asdu.oa iec60870_asdu.numix iec60870_asdu.ioa",
    ),
    "bacnet": (
        "bacnet",
        "bvlc || bacnet",
        "bvlc.function bacnet.control bacapp.type bacapp.confirmed_service bacapp.unconfirmed_service bacapp.invoke_id bacapp.objectType bacapp.instance_number bacapp.property_identifier",
    ),
    "opcua": (
        "opcua",
        "opcua",
        "opcua.transport.type opcua.transport.endpoint opcua.security.spu opcua.servicenodeid.numeric",
    ),
    "mqtt": (
        "mqtt",
        "mqtt",
        "mqtt.msgtype mqtt.ver mqtt.clientid mqtt.username mqtt.topic mqtt.qos mqtt.msgid",
    ),
    "tls": (
        "tls",
        "tls",
        "tls.record.version tls.handshake.type tls.handshake.version tls.handshake.extensions_server_name tls.handshake.ciphersuite tls.handshake.extensions_supported_group tls.handshake.extensions_key_share_group",
    ),
    "dns": (
        "dns",
        "dns",
        "dns.id dns.flags.response dns.flags.rcode dns.qry.name dns.qry.type dns.count.answers dns.a dns.aaaa",
    ),
    "http": (
        "http",
        "http",
        "http.request.method http.host http.request.uri http.user_agent http.response.code http.content_type",
    ),
}


class AddressMap:
    """Gives every (copy, original address) its own new address, so copies never collide."""

    def __init__(self) -> None:
        self.assigned: dict[tuple[int, bytes], bytes] = {}

    def get(self, copy: int, address: bytes) -> bytes:
        new = self.assigned.get((copy, address))
        if new is None:
            n = len(self.assigned) + 1
            prefix = b"\x0a" if len(address) == 4 else b"\xfd" + bytes(11)
            new = prefix + n.to_bytes(3 if len(address) == 4 else 4, "big")
            self.assigned[(copy, address)] = new
        return new


def remap(data: bytes, copy: int, addresses: AddressMap) -> bytes | None:
    """The frame with its IP addresses mapped for this copy; None for frames to leave out."""
    ethertype, pos = network_layer(ETHERNET, data)
    if ethertype == 0x0800 and len(data) >= pos + 20:
        src, dst, size = pos + 12, pos + 16, 4
    elif ethertype == 0x86DD and len(data) >= pos + 40:
        src, dst, size = pos + 8, pos + 24, 16
    else:
        return None
    out = bytearray(data)
    for at in (src, dst):
        out[at : at + size] = addresses.get(copy, data[at : at + size])
    return bytes(out)


def as_ethernet(linktype: int, data: bytes) -> bytes | None:
    """The frame as Ethernet (loopback and cooked captures get a made-up Ethernet header)."""
    if linktype == ETHERNET:
        return data
    ethertype, pos = network_layer(linktype, data)
    if ethertype not in (0x0800, 0x86DD):
        return None
    return _FAKE_MACS + ethertype.to_bytes(2, "big") + data[pos:]


_FAKE_MACS: Final = bytes.fromhex("020000000002020000000001")


def needs_decode_as(folder: str, capture: Path) -> bool:
    """Whether tshark only sees the protocol with -d (a non-standard port, per the MANIFEST)."""
    manifest = CORPUS.parent / "MANIFEST.tsv"
    name = f"pcaps/{folder}/{capture.name}"
    return any(
        line.startswith(name + "\t") and "-d tcp.port" in line
        for line in manifest.read_text().splitlines()
    )


def build(folder: str, frames: int) -> tuple[Path, int]:
    """bench/data/mixed-<folder>.pcap with at least `frames` frames (made once).

    Captures on a non-standard port are left out: tshark would need -d to see them."""
    path = DATA / f"mixed-{folder}-{frames}.pcap"
    if path.exists():
        return path, sum(1 for _ in open_capture(path))
    sources: list[list[tuple[float, bytes, int]]] = []
    for capture in sorted((CORPUS / folder).iterdir()):
        if needs_decode_as(folder, capture):
            continue
        try:
            records = [
                (f.ts, frame, f.wire_len + len(frame) - len(f.data))
                for f in open_capture(capture)
                if (frame := as_ethernet(f.linktype, f.data)) is not None
            ]
        except CaptureError:
            continue
        if records:
            sources.append(records)
    if not sources:
        raise SystemExit(f"no readable captures in {CORPUS / folder}")
    DATA.mkdir(parents=True, exist_ok=True)
    written, copy, ts = 0, 1, 1_767_225_600.0
    addresses = AddressMap()
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        while written < frames:
            for records in sources:  # every replica of every file is its own address space
                base = records[0][0]
                for when, data, wire_len in records:
                    frame = remap(data, copy, addresses)
                    if frame is not None:
                        writer.write(ts + max(0.0, when - base), frame, wire_len)
                        written += 1
                ts += 60.0
                copy += 1
    return path, written


def tshark_argv(tshark: str, folders: list[str], capture: Path) -> list[str]:
    display_filter = " || ".join(f"({TSHARK[f][1]})" for f in folders)
    fields = [name for f in folders for name in TSHARK[f][2].split()]
    argv = [tshark, "-n", "-r", str(capture), "-Y", display_filter, "-T", "fields"]
    for name in ("frame.number", *fields):
        argv += ["-e", name]
    return [*argv, "-E", "occurrence=a", "-E", "aggregator=,"]


def measure_row(name: str, frames: int, ours: list[str], theirs: list[str], rounds: int) -> str:
    """One table row: both tools alternately for `rounds` rounds, medians."""
    found = (frames_with_protocol(ours, True), frames_with_protocol(theirs, False))
    samples: dict[str, list[Sample]] = {"interlock": [], "tshark": []}
    for _ in range(rounds):
        samples["interlock"].append(run_measured(ours))
        samples["tshark"].append(run_measured(theirs))
    wall = {k: statistics.median(s.wall for s in v) for k, v in samples.items()}
    rss = {k: max(s.max_rss_mb for s in v) for k, v in samples.items()}
    row = (
        f"| {name} | {frames:,} | {found[0]:,} / {found[1]:,} | {wall['interlock']:.2f} | "
        f"{frames / wall['interlock']:,.0f} | {wall['tshark']:.2f} | {frames / wall['tshark']:,.0f} | "
        f"{wall['tshark'] / wall['interlock']:.2f}× | {rss['interlock']:,.0f} / {rss['tshark']:,.0f} |"
    )
    print(row, file=sys.stderr)
    return row


def concatenate(captures: list[Path], folders: list[str], frames: int) -> tuple[Path, int]:
    """One capture holding every per-protocol capture, one after the other."""
    path = DATA / f"mixed-all-{'-'.join(folders)}-{frames}.pcap"
    written = 0
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for capture in captures:
            for frame in open_capture(capture):
                writer.write(frame.ts, frame.data, frame.wire_len)
                written += 1
    return path, written


def frames_with_protocol(argv: list[str], jsonl: bool) -> int:
    out = subprocess.run(argv, capture_output=True, check=False).stdout.splitlines()
    if not jsonl:
        return len(out)
    import orjson

    return len({orjson.loads(line)["frame"] for line in out})


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folders", nargs="*", default=None)
    parser.add_argument("--rev", default=None, help="build this commit (default: the working tree)")
    args = parser.parse_args(argv)
    tshark = ensure_tshark()
    with tempfile.TemporaryDirectory(prefix="interlock-mixed-") as tmp:
        build_ = snapshot.take(Path(tmp), args.rev)
        return compare(args, argv, tshark, build_.command(), build_.label)


def compare(
    args: argparse.Namespace, argv: list[str], tshark: str, interlock: list[str], label: str
) -> int:
    folders = args.folders or [f for f, (p, _, _) in TSHARK.items() if p in PROTOCOLS]
    rows = []
    captures = []
    for folder in folders:
        proto = TSHARK[folder][0]
        capture, frames = build(folder, args.frames)
        captures.append(capture)
        ours = [*interlock, "dissect", str(capture), "--jsonl", "--proto", proto]
        theirs = tshark_argv(tshark, [folder], capture)
        rows.append(measure_row(folder, frames, ours, theirs, args.rounds))
    mixed, frames = concatenate(captures, folders, args.frames)
    ours = [*interlock, "dissect", str(mixed), "--jsonl"]
    rows.append(
        measure_row(
            "all, one mixed capture", frames, ours, tshark_argv(tshark, folders, mixed), args.rounds
        )
    )
    print(f"## Per-protocol speed on replicated corpus traffic ({args.rounds} rounds, medians)\n")
    command = "bench/run_mixed.py " + " ".join(argv)
    print(f"- command (from the repository root): `.venv/bin/python {command.strip()}`")
    for key, value in machine(tshark_version(tshark), label):
        print(f"- {key}: {value}")
    print()
    print(
        "| folder | frames | frames with the protocol (interlock / tshark) | interlock s | interlock pkt/s | tshark s | tshark pkt/s | speed-up | peak RSS MB (interlock / tshark) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

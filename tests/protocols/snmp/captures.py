"""The SNMP and NBNS golden captures (crafted: see frames.py in each folder) and their
golden outputs.

Regenerate both captures and their golden files (review the diff):
    PYTHONPATH=src .venv/bin/python tests/protocols/snmp/captures.py
which writes tests/data/identity-{snmp,nbns}.pcap, .dissect.jsonl, .transactions.jsonl
and .wireshark.tsv (tshark 4.0's dissection for the fields in FIELDS; the SNMP exchange
on UDP 1161 is decoded with `-d udp.port==1161,snmp`, as Interlock's probe finds it), and
the NBNS frames of a corpus capture (tests/data/identity-corpus-*.nbns.tsv).
snmp.community is never asked of tshark: the committed files must not hold it.
snmp.msgFlags is not compared: tshark writes it as hex bytes ("04"), which the shared
agreement helper cannot read as a number (its bits are, as snmp.v3.flags.*).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from interlock.capture.writer import PcapWriter

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from protocols.identity.agreement import AGGREGATOR  # noqa: E402
from protocols.nbns.frames import nbns_frames  # noqa: E402
from protocols.snmp.frames import snmp_frames  # noqa: E402

DATA = ROOT / "data"
START = 1_767_225_600.0
CAPTURES: dict[str, Callable[[], list[bytes]]] = {"snmp": snmp_frames, "nbns": nbns_frames}
DECODE_AS: dict[str, tuple[str, ...]] = {"snmp": ("-d", "udp.port==1161,snmp"), "nbns": ()}
FIELDS: dict[str, tuple[str, ...]] = {
    "snmp": (
        "snmp.version", "snmp.data", "snmp.request_id", "snmp.error_status",
        "snmp.error_index", "snmp.non_repeaters", "snmp.max_repetitions",
        "snmp.variable_bindings", "snmp.name", "snmp.value.int", "snmp.value.octets",
        "snmp.value.oid", "snmp.value.null", "snmp.value.ipv4", "snmp.value.counter",
        "snmp.value.g32", "snmp.value.timeticks", "snmp.value.opaque", "snmp.value.u32",
        "snmp.value.unk", "snmp.noSuchObject", "snmp.noSuchInstance", "snmp.endOfMibView",
        "snmp.enterprise", "snmp.agent_addr", "snmp.generic_trap", "snmp.specific_trap",
        "snmp.time_stamp", "snmp.msgVersion", "snmp.msgID", "snmp.msgMaxSize",
        "snmp.v3.flags.auth", "snmp.v3.flags.crypt", "snmp.v3.flags.report",
        "snmp.msgSecurityModel", "snmp.msgAuthoritativeEngineID",
        "snmp.msgAuthoritativeEngineBoots", "snmp.msgAuthoritativeEngineTime",
        "snmp.msgUserName", "snmp.msgData", "snmp.contextEngineID", "snmp.contextName",
        "snmp.engineid.conform", "snmp.engineid.enterprise", "snmp.engineid.format",
        "snmp.engineid.data", "snmp.engineid.ipv4", "snmp.engineid.mac", "snmp.engineid.text",
    ),
    "nbns": (
        "nbns.id", "nbns.flags", "nbns.flags.response", "nbns.flags.opcode",
        "nbns.flags.authoritative", "nbns.flags.truncated", "nbns.flags.recdesired",
        "nbns.flags.recavail", "nbns.flags.broadcast", "nbns.flags.rcode",
        "nbns.count.queries", "nbns.count.answers", "nbns.count.auth_rr", "nbns.count.add_rr",
        "nbns.name", "nbns.type", "nbns.class", "nbns.ttl", "nbns.data_length",
        "nbns.nb_flags", "nbns.nb_flags.group", "nbns.nb_flags.ont", "nbns.addr",
        "nbns.number_of_names", "nbns.netbios_name", "nbns.name_flags",
        "nbns.name_flags.group", "nbns.name_flags.ont", "nbns.name_flags.drg",
        "nbns.name_flags.cnf", "nbns.name_flags.act", "nbns.name_flags.prm", "nbns.unit_id",
    ),
}  # fmt: skip
CORPUS_FRAMES: tuple[tuple[str, str], ...] = (
    ("enip_cip/iti_openics_eip_ip_address_change_attempt.pcap", "nbns"),
)


def capture_path(proto: str) -> Path:
    return DATA / f"identity-{proto}.pcap"


def truth_path(proto: str) -> Path:
    return DATA / f"identity-{proto}.wireshark.tsv"


def corpus_truth_path(capture: str, proto: str) -> Path:
    return DATA / f"identity-corpus-{Path(capture).stem}.{proto}.tsv"


def write_capture(proto: str, path: Path) -> None:
    with path.open("wb") as stream:
        writer = PcapWriter(stream)
        for i, frame in enumerate(CAPTURES[proto]()):
            writer.write(START + i * 0.25, frame)


def truth(capture: Path, proto: str, out: Path) -> None:
    """tshark's dissection of capture for FIELDS[proto] (frames matching proto)."""
    command = ["tshark", "-n", "-r", str(capture), *DECODE_AS[proto], "-Y", proto]
    command += ["-T", "fields", "-E", "header=y", "-E", "occurrence=a"]
    command += ["-E", f"aggregator={AGGREGATOR}"]
    command += [a for name in ("frame.number", *FIELDS[proto]) for a in ("-e", name)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    out.write_text(done.stdout)


def main() -> None:
    from tests_support import CORPUS, write_golden

    for proto in CAPTURES:
        path = capture_path(proto)
        write_capture(proto, path)
        write_golden(path)
        truth(path, proto, truth_path(proto))
    for capture, proto in CORPUS_FRAMES:
        truth(CORPUS / "pcaps" / capture, proto, corpus_truth_path(capture, proto))


if __name__ == "__main__":
    main()

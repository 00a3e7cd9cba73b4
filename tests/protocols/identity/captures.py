"""The identity protocols' golden captures, one per protocol, and their golden outputs.

Regenerate every capture and its golden files (review the diff):
    PYTHONPATH=src .venv/bin/python tests/protocols/identity/captures.py
which writes tests/data/identity-<proto>.pcap, .dissect.jsonl, .transactions.jsonl and
.wireshark.tsv (tshark 4.0's dissection of the capture for the fields in FIELDS; the
agreement test compares it with Interlock's output both ways).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from interlock.capture.writer import PcapWriter

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from protocols.identity import link_frames, udp_frames  # noqa: E402
from protocols.identity.agreement import truth  # noqa: E402

DATA = ROOT / "data"
START = 1_767_225_600.0

CAPTURES: dict[str, Callable[[], list[bytes]]] = {
    "arp": link_frames.arp_frames,
    "lldp": link_frames.lldp_frames,
    "cdp": link_frames.cdp_frames,
    "pn_dcp": link_frames.dcp_frames,
    "dhcp": udp_frames.dhcp_frames,
}
FIELDS: dict[str, tuple[str, ...]] = {
    "arp": (
        "arp.hw.type", "arp.proto.type", "arp.hw.size", "arp.proto.size", "arp.opcode",
        "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
        "arp.src.hw", "arp.dst.hw", "arp.isgratuitous", "arp.isprobe", "arp.isannouncement",
    ),
    "lldp": (
        "lldp.tlv.type", "lldp.tlv.len", "lldp.chassis.subtype", "lldp.chassis.id",
        "lldp.chassis.id.mac", "lldp.chassis.id.ip4", "lldp.network_address.subtype",
        "lldp.port.subtype", "lldp.port.id", "lldp.port.id.mac", "lldp.time_to_live",
        "lldp.port.desc", "lldp.tlv.system.name", "lldp.tlv.system.desc",
        "lldp.tlv.system_cap", "lldp.tlv.enable_system_cap", "lldp.mgn.address.len",
        "lldp.mgn.address.subtype", "lldp.mgn.addr.ip4", "lldp.mgn.addr.ip6",
        "lldp.mgn.interface.subtype", "lldp.mgn.interface.number", "lldp.mgn.obj.len",
        "lldp.orgtlv.oui", "lldp.ieee.802_1.subtype", "lldp.ieee.802_1.port_vlan.id",
        "lldp.ieee.802_1.vlan.id", "lldp.ieee.802_1.vlan.name", "lldp.ieee.802_3.subtype",
        "lldp.ieee.802_3.mac_phy_auto_neg_status",
        "lldp.ieee.802_3.pmd_auto_neg_advertised_caps", "lldp.ieee.802_3.pmd_mau_type",
        "lldp.profinet.subtype", "lldp.profinet.cable_delay_local",
        "lldp.profinet.rtc2_port_status", "lldp.profinet.rtc3_port_status",
        "lldp.profinet.cm_mac_add",
    ),
    "cdp": (
        "cdp.version", "cdp.ttl", "cdp.checksum", "cdp.tlv.type", "cdp.tlv.len",
        "cdp.deviceid", "cdp.portid", "cdp.capabilities", "cdp.software_version",
        "cdp.platform", "cdp.vtp_management_domain", "cdp.native_vlan", "cdp.duplex",
        "cdp.number_of_addresses", "cdp.protocol_type", "cdp.protocol_length",
        "cdp.address_length", "cdp.nrgyz.ip_address",
    ),
    "pn_dcp": (
        "pn_dcp.service_id", "pn_dcp.service_type", "pn_dcp.xid", "pn_dcp.response_delay",
        "pn_dcp.data_length", "pn_dcp.option", "pn_dcp.suboption_ip", "pn_dcp.suboption_device",
        "pn_dcp.suboption_control", "pn_dcp.suboption_all", "pn_dcp.block_length",
        "pn_dcp.block_info", "pn_dcp.suboption_ip_block_info", "pn_dcp.block_qualifier",
        "pn_dcp.block_qualifier_reset",
        "pn_dcp.suboption_ip_mac_address", "pn_dcp.suboption_ip_ip",
        "pn_dcp.suboption_ip_subnetmask", "pn_dcp.suboption_ip_standard_gateway",
        "pn_dcp.suboption_device_devicevendorvalue", "pn_dcp.suboption_device_nameofstation",
        "pn_dcp.suboption_vendor_id", "pn_dcp.suboption_device_id",
        "pn_dcp.suboption_device_role", "pn_dcp.suboption_device_aliasname",
        "pn_dcp.suboption_control_option", "pn_dcp.block_error",
        "pn_dcp.suboption_control_signal_value",
    ),
    "dhcp": (
        "dhcp.type", "dhcp.hw.type", "dhcp.hw.len", "dhcp.hops", "dhcp.id", "dhcp.secs",
        "dhcp.flags", "dhcp.ip.client", "dhcp.ip.your", "dhcp.ip.server", "dhcp.ip.relay",
        "dhcp.hw.mac_addr", "dhcp.server", "dhcp.file", "dhcp.cookie", "dhcp.option.type",
        "dhcp.option.length", "dhcp.option.dhcp", "dhcp.option.hostname",
        "dhcp.option.vendor_class_id", "dhcp.option.request_list_item",
        "dhcp.option.requested_ip_address", "dhcp.option.dhcp_server_id",
        "dhcp.option.ip_address_lease_time", "dhcp.option.subnet_mask", "dhcp.option.router",
        "dhcp.option.domain_name_server", "dhcp.option.domain_name",
        "dhcp.option.option_overload", "dhcp.client_id.type", "dhcp.fqdn.flags",
        "dhcp.fqdn.rcode1", "dhcp.fqdn.rcode2", "dhcp.fqdn.name",
    ),
}  # fmt: skip
DISPLAY_FILTER: dict[str, str] = {}


# Corpus captures (read in place, never copied) whose incidental identity frames are
# compared with tshark: (folder/file, protocols). Their truth is committed as
# tests/data/identity-corpus-<file stem>.<proto>.tsv (tshark output only).
CORPUS_FRAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("enip_cip/iti_openics_eip_ip_address_change_attempt.pcap", ("arp", "lldp", "dhcp")),
    ("enip_cip/iti_openics_eip_firmware_change.pcap", ("arp", "lldp", "dhcp")),
    ("enip_cip/icsnpp_enip_cip_example_io.pcap", ("arp", "lldp")),
    ("enip_cip/iti_openics_eip_reboot_or_restart.pcap", ("lldp",)),
    ("scan/zeek_nmap_version_scan.pcap", ("arp",)),
    ("bacnet/zeek_q_in_q_bacnet.pcap", ("arp",)),
    ("s7comm/iti_s7comm_reading_plc_status.pcap", ("arp",)),
)


def corpus_truth_path(capture: str, proto: str) -> Path:
    return DATA / f"identity-corpus-{Path(capture).stem}.{proto}.tsv"


def write_corpus_truth() -> None:
    from tests_support import CORPUS

    for capture, protos in CORPUS_FRAMES:
        for proto in protos:
            path = CORPUS / "pcaps" / capture
            truth(
                path,
                DISPLAY_FILTER.get(proto, proto),
                FIELDS[proto],
                corpus_truth_path(capture, proto),
            )


def capture_path(proto: str) -> Path:
    return DATA / f"identity-{proto}.pcap"


def write_capture(proto: str, path: Path) -> None:
    with path.open("wb") as stream:
        writer = PcapWriter(stream)
        for i, frame in enumerate(CAPTURES[proto]()):
            writer.write(START + i * 0.25, frame)


def main() -> None:
    from tests_support import write_golden

    for proto in CAPTURES:
        path = capture_path(proto)
        write_capture(proto, path)
        write_golden(path)
        out = DATA / f"identity-{proto}.wireshark.tsv"
        truth(path, DISPLAY_FILTER.get(proto, proto), FIELDS[proto], out)
    write_corpus_truth()


if __name__ == "__main__":
    main()

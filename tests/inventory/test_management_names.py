"""Identity from SNMP (MIB-II system group, SNMPv3 engine id), the NetBIOS name service,
and DNP3 device attributes (group 0), as tshark shows them in the captures."""

from __future__ import annotations

from pathlib import Path

from inventory.analyzed import analyze, identity, with_address
from tests_support import DATA, corpus_dir


def test_snmp_system_group_an_agent_answered(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "identity-snmp.pcap")
    agent = with_address(inv, "10.0.0.20")
    system = {"snmp.system"}
    # snmp.value.octets / snmp.value.oid of the get-response in frame 2
    assert identity(agent, "sys_descr") == {"Siemens SIMATIC S7-1500 CPU 1516-3 PN/DP V2.9": system}
    assert identity(agent, "sys_object_id") == {"1.3.6.1.4.1.4329.6.1.2513": system}
    assert identity(agent, "contact") == {"ot-team@plant.example": system}
    assert identity(agent, "location") == {"Hall 3, cabinet 12": system}
    # sysName answered in frames 2 and 18; the refused Set's echo (frame 8) is no identity.
    assert identity(agent, "hostname") == {"plc-line-7": system}
    [name] = [v for v in agent.identity.values() if v.attribute == "hostname"]
    assert (name.evidence.frame, name.span.count) == (2, 2)
    # snmp.msgAuthoritativeEngineID of the report (frame 14) and the answer (frame 16)
    assert identity(agent, "snmp_engine_id") == {
        "80001f888059dc486145a26d6400000000": {"snmp.engine_id"}
    }
    manager = with_address(inv, "10.0.0.10")
    assert {v.source for v in manager.identity.values()} == {"ieee.oui"}


def test_netbios_names_belong_to_the_node_that_holds_them(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "identity-nbns.pcap")
    holder = with_address(inv, "192.168.10.105")
    # frame 2: query response, nbns.addr 192.168.10.105 for PLC-LINE-7<20>; frame 9: node
    # status sent by 192.168.10.105 with nbns.netbios_name HMI-2<00>, HMI-2<20>, WORKGROUP<00>
    assert identity(holder, "netbios_name") == {
        "PLC-LINE-7": {"nbns.query"},
        "HMI-2": {"nbns.node_status"},
    }
    assert identity(holder, "workgroup") == {"WORKGROUP": {"nbns.node_status"}}
    asker = with_address(inv, "192.168.10.21")
    # It asked for the node status, and its own registration of HMI-2 was refused (frame 4,
    # rcode 6); its refresh of the group WORKGROUP (frame 6) names its workgroup.
    assert identity(asker, "netbios_name") == {}
    assert identity(asker, "workgroup") == {"WORKGROUP": {"nbns.refresh"}}


def test_netbios_name_in_a_corpus_capture(tmp_path: Path) -> None:
    capture = corpus_dir() / "pcaps" / "enip_cip" / "iti_openics_eip_ip_address_change_attempt.pcap"
    inv, _ = analyze(tmp_path, capture)
    # frames 371, 2081, 2240: name query responses, DBLICENSESERVER<20> at 192.168.10.105
    server = with_address(inv, "192.168.10.105")
    assert identity(server, "netbios_name") == {"DBLICENSESERVER": {"nbns.query"}}
    [name] = [v for v in server.identity.values() if v.attribute == "netbios_name"]
    assert (name.evidence.frame, name.span.count) == (371, 3)


def test_dnp3_device_attributes_describe_the_outstation_behind_the_address(
    tmp_path: Path,
) -> None:
    inv, _ = analyze(tmp_path, DATA / "dnp3-demo.pcap")
    gateway = with_address(inv, "10.10.0.5")
    [outstation] = [c for c in inv.children_of(gateway.id) if c.child_key == "11"]
    assert outstation.child_kind == "dnp3_outstation"
    # frame 11 from 10.10.0.5, dnp3.src 11, objects 0x00fc/fa/f2/f3/f8 dnp3.al.da.value
    source = {"dnp3.device_attributes"}
    assert identity(outstation, "vendor") == {"Interlock Labs": source}
    assert identity(outstation, "product") == {"RTU-560 demo": source}
    assert identity(outstation, "firmware") == {"4.2.1": source}
    assert identity(outstation, "revision") == {"B": source}
    assert identity(outstation, "serial") == {"SN-000451": source}
    assert identity(gateway, "vendor") == {}

"""Identity from public corpus captures (../shared/corpus), as Wireshark shows it there."""

from __future__ import annotations

from pathlib import Path

from inventory.analyzed import analyze, identity, with_address
from tests_support import corpus_dir


def pcap(folder: str, name: str) -> Path:
    return corpus_dir() / "pcaps" / folder / name


def test_opcua_get_endpoints_and_mdns_name(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, pcap("opcua", "icsnpp_opcua_discover_getendpoints_urls.pcap"))
    server = with_address(inv, "192.168.224.105")
    # opcua ApplicationUri in the GetEndpoints response (frame 85); dns.a in mDNS frame 1
    assert identity(server, "application_uri") == {
        "urn:open62541.server.application": {"opcua.get_endpoints"}
    }
    assert identity(server, "product_uri") == {"http://open62541.org": {"opcua.get_endpoints"}}
    assert identity(server, "hostname")["Maui-16714"] == {"mdns.answer"}


def test_opcua_certificates_of_both_sides(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, pcap("opcua", "icsnpp_opcua_open62541_encrypted.pcap"))
    host = with_address(inv, "::1")  # client and server run on one host
    # sha1 of opcua.security.scert in frame 31 (client) and frame 33 (server)
    thumbprints = identity(host, "certificate_sha1")
    assert "opcua.open_secure_channel" in thumbprints["85ef235574b9ee5b514de6d99728bfc880cc7d5c"]
    assert "opcua.get_endpoints" in thumbprints["02ef7d93ab6cbb3a6f9c202307188ddf171ec991"]
    assert "CN=open62541Server@localhost,O=open62541,C=DE" in identity(host, "certificate_subject")


def test_tls_server_certificate(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, pcap("tls", "suricata_tls_certs_alert.pcap"))
    server = with_address(inv, "2606:2800:220:1:248:1893:25c8:1946")
    # x509sat of the first certificate; tls.handshake.extensions_server_name example.com
    [subject] = identity(server, "certificate_subject")
    assert subject.startswith("CN=www.example.org,OU=Technology,")
    assert identity(server, "hostname") == {"example.com": {"tls.sni"}}
    client = with_address(inv, "2a03:b0c0:2:d0::bd3:4001")
    assert identity(client, "certificate_subject") == {}


def test_mqtt_client_ids(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, pcap("mqtt", "zeek_mqtt.pcap"))
    # mqtt.clientid of both CONNECTs from 10.0.1.4
    assert set(identity(with_address(inv, "10.0.1.4"), "client_id")) == {
        "paho/34AAE54A75D839566E",
        "paho/DDE4DDAF4108D3E363",
    }


def test_http_server_and_user_agent(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, pcap("http", "suricata_http_all_headers.pcap"))
    # http.server, http.user_agent
    assert identity(with_address(inv, "65.208.228.223"), "server_software") == {
        "Apache": {"http.server"}
    }
    agent = "Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US; rv:1.6) Gecko/20040113"
    assert identity(with_address(inv, "145.254.160.237"), "user_agent") == {
        agent: {"http.user_agent"}
    }


def test_link_layer_dhcp_and_cip_identity_of_one_plant_capture(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, pcap("enip_cip", "iti_openics_eip_ip_address_change_attempt.pcap"))
    # LLDP frame 256 from 00:21:91:06:f1:66: lldp.port.id 19, lldp.mgn.addr.ip4 208.73.217.142
    switch = with_address(inv, "00:21:91:06:f1:66")
    assert identity(switch, "port_id") == {"19": {"lldp"}}
    assert identity(switch, "management_address") == {"208.73.217.142": {"lldp"}}
    # CDP frame 272 from 00:1e:f6:73:59:81: cdp.deviceid Ns5gt, cdp.platform
    router = with_address(inv, "00:1e:f6:73:59:81")
    assert identity(router, "hostname") == {"Ns5gt": {"cdp"}}
    assert identity(router, "model") == {"cisco WS-CE500-24TT": {"cdp"}}
    # DHCP frames 2945-2948 for dhcp.hw.mac_addr 00:e0:62:60:35:d0: request list 1,3,28,6;
    # the server's offer and ack give dhcp.ip.your 192.168.10.131, dhcp.option.hostname
    koyo = with_address(inv, "00:e0:62:60:35:d0")
    assert "192.168.10.131" in koyo.addresses
    assert identity(koyo, "dhcp_fingerprint") == {"1,3,28,6": {"dhcp.discover", "dhcp.request"}}
    assert identity(koyo, "hostname") == {"KoyoDL405": {"dhcp.offer", "dhcp.ack"}}
    # BOOTP reply frame 3359: 192.168.10.120 and hostname ConLgxEIP for 00:00:bc:3e:eb:e4
    enbt = with_address(inv, "00:00:bc:3e:eb:e4")
    assert {"192.168.10.120", "192.168.10.125"} <= set(enbt.addresses)
    assert identity(enbt, "hostname") == {"ConLgxEIP": {"dhcp.bootp"}}
    # CIP Identity Get_Attributes_All through the backplane: cip.id.product_name in frame 4
    # (slot 0) and frame 14 (route path port 1, link address 2)
    slots = {c.child_key: c for c in inv.children_of(enbt.id) if c.child_kind == "cip_slot"}
    assert identity(slots["0"], "product") == {"1756-L61/B LOGIX5561": {"cip.identity"}}
    assert identity(slots["0"], "serial") == {"0x0051823f": {"cip.identity"}}
    assert identity(slots["2"], "product") == {"MVI56 ProSoft Technology, Inc.": {"cip.identity"}}
    assert identity(enbt, "product") == {"1756-ENBT/A": {"cip.identity", "enip.list_identity"}}


def test_modbus_report_server_id_text(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, pcap("modbus", "iti_modbus_test_data_part1.pcap"))
    # FC 17 answers from 10.0.0.3 (frames 41, 44): modbus.data 1200ff "Wingpath Limited"
    device = with_address(inv, "10.0.0.3")
    assert identity(device, "server_id") == {
        "00ff57696e6770617468204c696d69746564": {"modbus.fc17"}
    }
    assert identity(device, "server_id_text") == {"Wingpath Limited": {"modbus.fc17"}}

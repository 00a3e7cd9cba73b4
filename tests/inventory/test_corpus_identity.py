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

"""Identity from every protocol the engine dissects, on the project's own captures: each
value asserted here is what Wireshark shows in that capture (checked with tshark; the
field is named beside each assertion), with its source, side and evidence frame."""

from __future__ import annotations

from pathlib import Path

from inventory.analyzed import analyze, identity, roles, with_address
from tests_support import DATA


def test_bacnet_i_am_and_device_object_properties(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "bacnet-bacpypes3.pcap")
    device = with_address(inv, "10.0.0.2")
    # bacapp.instance_number 1001, bacapp.vendor_identifier 999 in the I-Am from 10.0.0.2
    assert identity(device, "device_instance") == {"1001": {"bacnet.i_am"}}
    assert "bacnet.i_am" in identity(device, "vendor_id")["999"]
    # bacapp.object_name of device:1001 (object-name, property 77)
    assert identity(device, "name") == {"Boiler room controller": {"bacnet.read-property"}}
    assert "building_controller" in roles(device)
    [instance] = [v for v in device.identity.values() if v.attribute == "device_instance"]
    assert instance.evidence.frame == 2 and instance.confidence == 0.9
    assert identity(with_address(inv, "10.0.0.1"), "device_instance") == {}


def test_opcua_application_descriptions_of_server_and_client(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "opcua-asyncua.pcap")
    server, client = with_address(inv, "10.10.0.30"), with_address(inv, "10.20.0.7")
    # opcua ApplicationUri in GetEndpoints (frame 9) and CreateSession (frame 10) messages
    assert identity(server, "application_uri") == {
        "urn:freeopcua:python:server": {"opcua.get_endpoints", "opcua.create_session"}
    }
    assert "Interlock tank farm" in identity(server, "application_name")
    assert identity(client, "application_uri") == {
        "urn:example.org:FreeOpcUa:opcua-asyncio": {"opcua.create_session"}
    }
    [uri] = [v for v in client.identity.values() if v.attribute == "application_uri"]
    assert uri.evidence.frame == 10  # the CreateSession request, where the client said it
    assert "opcua_server" in roles(server)


def test_mqtt_client_ids_belong_to_the_clients(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "mqtt-mosquitto.pcap")
    # mqtt.clientid of the CONNECT packets
    assert identity(with_address(inv, "10.30.0.11"), "client_id") == {"hmi-5": {"mqtt.connect"}}
    assert identity(with_address(inv, "10.30.0.12"), "client_id") == {"sensor-1": {"mqtt.connect"}}
    broker = with_address(inv, "10.30.0.2")
    assert identity(broker, "client_id") == {} and "broker" in roles(broker)


def test_tls_certificate_belongs_to_the_server(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "tls-ssl.pcap")
    server, client = with_address(inv, "10.10.1.5"), with_address(inv, "10.10.1.20")
    # x509sat: CN=plc-gateway.interlock.test, O=Interlock Test; tls.handshake.extensions_server_name
    subject = "CN=plc-gateway.interlock.test,O=Interlock Test"
    assert identity(server, "certificate_subject") == {subject: {"tls.certificate"}}
    assert identity(server, "certificate_issuer") == {
        "CN=Interlock Test CA,O=Interlock Test": {"tls.certificate"}
    }
    assert len(next(iter(identity(server, "certificate_sha256")))) == 64
    assert identity(server, "hostname") == {"plc-gateway.interlock.test": {"tls.sni"}}
    assert identity(client, "certificate_subject") == {}


def test_http_server_and_user_agent(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "http-stdlib.pcap")
    server, client = with_address(inv, "10.20.0.80"), with_address(inv, "10.20.0.7")
    # http.server "PlantHTTP/1.0 " (trailing blank dropped), http.user_agent, http.host
    assert identity(server, "server_software") == {"PlantHTTP/1.0": {"http.server"}}
    assert "PlantScada/2.1 (http.client)" in identity(client, "user_agent")
    assert identity(server, "hostname") == {"plc.plant.example": {"http.host"}}
    [agent] = [v for v in client.identity.values() if v.value == "PlantScada/2.1 (http.client)"]
    assert agent.confidence == 0.6 and agent.evidence.frame == 4


def test_ssh_banners_belong_to_each_side(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "ssh-openssh.pcap")
    # ssh.protocol of each side
    assert identity(with_address(inv, "10.10.0.5"), "ssh_banner") == {
        "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5": {"ssh.banner"}
    }
    client = with_address(inv, "10.20.0.7")
    assert identity(client, "ssh_banner") == {
        "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6": {"ssh.banner"}
    }
    assert roles(client)["remote_access_client"] == "opens ssh to 10.10.0.5"


def test_ftp_banner_and_system(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "ftp-ftplib.pcap")
    server = with_address(inv, "10.10.0.21")
    # ftp.response.arg of the 220 greeting and of the SYST reply
    assert identity(server, "ftp_banner") == {"(vsFTPd 3.0.5)": {"ftp.banner"}}
    assert identity(server, "ftp_system") == {"UNIX Type: L8": {"ftp.syst"}}


def test_remote_access_names_and_roles(tmp_path: Path) -> None:
    inv, changes = analyze(tmp_path, DATA / "remote-access.pcap")
    station = with_address(inv, "10.20.0.7")
    # ntlmssp.auth.hostname EWS-01, ntlmssp.auth.domain PLANT; vnc.desktop_name; telnet data
    assert identity(station, "netbios_name") == {"EWS-01": {"smb.session_setup"}}
    assert identity(station, "domain") == {"PLANT": {"smb.session_setup"}}
    hmi = with_address(inv, "10.10.0.30")
    assert identity(hmi, "vnc_desktop_name") == {"HMI-01 panel": {"vnc.server_init"}}
    rtu = with_address(inv, "10.10.0.40")
    assert "RTU-7 substation gateway (BusyBox v1.36.1)" in identity(rtu, "telnet_banner")
    reason = roles(station)["remote_access_client"]
    for opened in ("rdp to 10.10.0.30", "vnc to 10.10.0.30", "telnet to 10.10.0.40"):
        assert opened in reason
    assert roles(hmi)["remote_access_endpoint"] == "accepts rdp, vnc"
    remote = sorted(c.summary.rsplit(" ", 1)[1] for c in changes if c.kind == "new_remote_access")
    assert remote == ["anydesk", "rdp", "smb", "teamviewer", "telnet", "vnc"]


def test_dns_answers_name_the_addresses_they_give(tmp_path: Path) -> None:
    inv, _ = analyze(tmp_path, DATA / "http-stdlib.pcap", DATA / "dns-dnspython.pcap")
    # dns.a 10.20.0.80 for www.plant.example: the HTTP server the first capture showed
    web = with_address(inv, "10.20.0.80")
    assert identity(web, "hostname")["www.plant.example"] == {"dns.answer"}
    assert "dns_server" in roles(with_address(inv, "10.20.0.53"))

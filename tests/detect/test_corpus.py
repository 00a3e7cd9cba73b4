"""The public attack captures raise the techniques they show, with the outcome their
responses say; the benign ones raise nothing high; replays give the same alerts."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from interlock.capture import open_capture
from interlock.detect.job import detect_frames
from interlock.detect.loader import load_rules
from tests_support import corpus_dir

pytestmark = pytest.mark.corpus
RULES = load_rules()

ATTACKS = {
    # capture: {(rule, technique, outcome)} that must be among its alerts
    "s7comm/iti_snap7_s300_stop_cpu.pcapng": {("ics.s7.plc_stop", "T0858", "succeeded")},
    "s7comm/icsnpp_snap7_everything.pcap": {
        ("ics.s7.plc_stop", "T0858", "succeeded"),
        ("ics.s7.plc_restart", "T0816", "succeeded"),
        ("ics.s7.block_upload", "T0845", "succeeded"),
        ("ics.s7.szl_read", "T0888", "succeeded"),
    },
    "s7comm/iti_tia_s300_download_ob1.pcapng": {
        ("ics.s7.block_download", "T0843", "succeeded"),
        ("ics.s7.blocks_activated", "T0889", "succeeded"),
    },
    "dnp3/iti_dnp3_cold_restart_and_response.pcap": {
        # The outstation answered IIN2.0 (function code not supported).
        ("ics.dnp3.cold_restart", "T0816", "refused"),
    },
    "enip_cip/iti_openics_eip_reboot_or_restart.pcap": {
        ("ics.cip.stop", "T0858", "succeeded"),
        ("ics.cip.start", "T0858", "succeeded"),
        ("ics.cip.object_reset", "T0816", "succeeded"),
    },
    "enip_cip/iti_openics_eip_firmware_change.pcap": {
        ("ics.cip.firmware_update", "T0857", "succeeded"),
        ("ics.cip.identity_reset", "T0816", "succeeded"),
        ("ics.enip.list_services", "T0888", "succeeded"),
    },
    "enip_cip/iti_openics_eip_lock_plc_attempt.pcap": {
        ("ics.cip.identity_read", "T0888", "succeeded"),
    },
    "enip_cip/iti_openics_eip_ip_address_change_attempt.pcap": {
        ("ics.enip.list_identity", "T0888", "attempted"),
        ("ics.cip.identity_read", "T0888", "succeeded"),
    },
    "modbus/iti_modbus_test_data_part1.pcap": {
        ("ics.modbus.restart_communications", "T0816", "succeeded"),
        ("ics.modbus.force_listen_only", "T0814", "refused"),
        ("ics.modbus.read_device_identification", "T0888", "attempted"),
        ("ics.modbus.report_server_id", "T0888", "succeeded"),
        ("ics.modbus.protocol_violation", "T0814", "attempted"),
    },
    "modbus/iti_modicon_test.pcap": {("ics.modbus.umas_program_upload", "T0845", "succeeded")},
    "bacnet/icsnpp_bacnet_error_reject_abort_malformed.pcap": {
        ("ics.bacnet.communication_disabled", "T0814", "attempted"),
        ("ics.bacnet.reinitialize_device", "T0816", "refused"),
    },
    "dnp3/iti_openics_dnp3_malformed.pcap": {("ics.dnp3.protocol_violation", "T0814", "attempted")},
    "opcua/icsnpp_opcua_discover_getendpoints_urls.pcap": {
        ("ics.opcua.get_endpoints", "T0888", "succeeded")
    },
}

BENIGN = [
    "modbus/icsnpp_modbus_example.pcap",
    "modbus/iti_modbustcp_write_heavy.pcap",
    "modbus/zeek_modbus_small.pcap",
    "modbus/zeek_modbus_eit_mei.pcap",
    "dnp3/icsnpp_dnp3_example.pcap",
    "dnp3/iti_dnp3_select_operate_and_responses.pcap",
    "dnp3/iti_dnp3_file_read.pcap",
    "dnp3/iti_dnp3_disable_unsolicited_and_response.pcap",
    "dnp3/iti_dnp3_auth_control_challenge_response.pcap",
    "dnp3/iti_opendnp3_conformance_8_9_2_2.pcap",
    "dnp3/zeek_dnp3_udp_read.pcap",
    "enip_cip/icsnpp_enip_cip_example_io.pcap",
    "enip_cip/iti_ethernetip_cip.pcap",
    "enip_cip/iti_enip_test.pcap",
    "s7comm/iti_s7comm_reading_plc_status.pcap",
    "s7comm/iti_s7comm_reading_setting_plc_time.pcap",
    "s7comm/iti_s7comm_varservice_libnodave_bench.pcap",
    "s7comm/iti_wincc_s400_production.pcapng",
    "s7comm/iti_step7_s300_auth_password.pcapng",
    "s7comm_plus/iti_s7_1200_hmi.pcap",
    "s7comm_plus/iti_s7_1511_db2_var1_hmi.pcap",
    "s7comm_plus/iti_s7_1200_uploading_ob1_tiav12.pcap",
    "iec104/iti_iec104_090813_diverse.pcap",
    "iec104/makrakis_iec104_first.pcap",
    "bacnet/icsnpp_bacnet_example.pcap",
    "bacnet/iti_bacnet_test.pcap",
    "bacnet/icsnpp_bacnet_segmented_data.pcap",
    "opcua/icsnpp_opcua_browse_next.pcap",
    "opcua/icsnpp_opcua_mainloop.pcap",
    "mqtt/suricata_mqtt311_pub_qos1.pcap",
    "http/suricata_http_file76.pcap",
    "tls/suricata_ja4_tls.pcap",
    "dns/zeek_dns_edns_ecs.pcap",
]


def alerts(capture: str) -> list[dict[str, object]]:
    path = corpus_dir() / "pcaps" / capture
    found, run = detect_frames(open_capture(path), RULES, path.name)
    assert run.error is None
    return [a.as_contract() for a in found.alerts]


@pytest.mark.parametrize("capture", sorted(ATTACKS))
def test_attack_captures_raise_their_techniques_with_the_right_outcome(capture: str) -> None:
    raised = {
        (a["rule"], technique, a["outcome"])
        for a in alerts(capture)
        for technique in a["techniques"]  # type: ignore[attr-defined]
    }
    missing = ATTACKS[capture] - raised
    assert not missing, f"{capture}: missing {sorted(missing)}; raised {sorted(raised)}"


@pytest.mark.parametrize("capture", BENIGN)
def test_benign_captures_raise_nothing_high(capture: str) -> None:
    severe = [
        (a["rule"], a["severity"]) for a in alerts(capture) if a["severity"] in ("high", "critical")
    ]
    assert severe == []


def test_the_firmware_transfer_is_one_alert_counting_every_request() -> None:
    [firmware] = [
        a for a in alerts("enip_cip/iti_openics_eip_firmware_change.pcap")
        if a["rule"] == "ics.cip.firmware_update"
    ]  # fmt: skip
    assert firmware["count"] == 5245
    assert firmware["details"]["outcomes"] == {"succeeded": 5244, "refused": 1}  # type: ignore[index]
    assert firmware["severity"] == "critical"


def test_a_replay_gives_byte_identical_alerts() -> None:
    captures = ["s7comm/icsnpp_snap7_everything.pcap", "bacnet/icsnpp_bacnet_example.pcap"]
    first = [orjson.dumps(alerts(c)) for c in captures]
    second = [orjson.dumps(alerts(c)) for c in captures]
    assert first == second
    assert all(len(orjson.loads(doc)) > 3 for doc in first)


def test_evidence_frames_are_the_requests_in_the_capture() -> None:
    [stop] = alerts("s7comm/iti_snap7_s300_stop_cpu.pcapng")
    path: Path = corpus_dir() / "pcaps" / "s7comm" / "iti_snap7_s300_stop_cpu.pcapng"
    assert stop["evidence"] == [{"capture": path.name, "frame": 1}]

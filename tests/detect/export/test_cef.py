"""CEF export, read back with an independent parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock import __version__
from interlock.detect.alert import AlertEndpoint
from interlock.detect.export import render_alerts
from interlock.detect.export.cef import escape_extension, escape_header, to_cef

from .conftest import alert_variants, make_alert
from .parsers import parse_cef


def test_header_and_extension_carry_the_alert() -> None:
    alert = make_alert(techniques=("T0816", "T0858"))
    event = parse_cef(to_cef(alert))
    assert event.version == "0"
    assert (event.vendor, event.product, event.device_version) == (
        "Interlock",
        "Interlock",
        __version__,
    )
    assert (event.signature, event.name, event.severity) == (alert.rule, alert.title, "8")
    ext = event.extension
    assert ext["src"] == "10.10.1.20" and ext["spt"] == "51514"
    assert ext["dst"] == "10.10.2.5" and ext["dpt"] == "502"
    assert ext["rt"] == str(round(alert.first_seen * 1000)) == ext["start"]
    assert ext["end"] == str(round(alert.last_seen * 1000))
    assert ext["cnt"] == "3" and ext["app"] == "modbus"
    assert ext["act"] == "alert" and ext["outcome"] == "success"
    assert ext["externalId"] == alert.id and ext["deviceExternalId"] == "plant-a"
    assert ext["msg"] == alert.message
    labelled = {ext[f"{k}Label"]: ext[k] for k in ("cs1", "cs2", "cs3", "cs4", "cs5", "cs6")}
    assert labelled["ATT&CK for ICS techniques"] == "T0816,T0858"
    assert labelled["ATT&CK for ICS tactics"] == "Inhibit Response Function,Execution,Evasion"
    assert labelled["Interlock rule"] == alert.rule
    assert labelled["Evidence frames"] == f"{'7f' * 32}:118,{'7f' * 32}:240"
    assert labelled["Device outcome"] == "succeeded"
    assert (ext["cn1Label"], ext["cn1"]) == ("Source asset id", "4")
    assert (ext["cn2Label"], ext["cn2"]) == ("Destination asset id", "9")


def test_severity_bands() -> None:
    # CEF: 0-3 Low, 4-6 Medium, 7-8 High, 9-10 Very-High
    bands = {
        "low": range(0, 4),
        "medium": range(4, 7),
        "high": range(7, 9),
        "critical": range(9, 11),
    }
    for severity, band in bands.items():
        assert int(parse_cef(to_cef(make_alert(severity=severity))).severity) in band


def test_awkward_text_round_trips() -> None:
    alert = alert_variants()[-1]
    event = parse_cef(to_cef(alert))
    assert event.name == alert.title and event.signature == alert.rule
    assert event.extension["msg"] == alert.message.replace("\r\n", "\n")
    assert event.extension["deviceExternalId"] == alert.site
    assert "spt" not in event.extension  # port 0: no port
    assert "cn1" not in event.extension and "cn2" not in event.extension


def test_ipv6_and_mac_endpoints_use_their_own_keys() -> None:
    v6 = parse_cef(
        to_cef(
            make_alert(src=AlertEndpoint("2001:db8::20", 1), dst=AlertEndpoint("2001:db8::5", 2))
        )
    ).extension
    assert (v6["c6a2"], v6["c6a3"]) == ("2001:db8::20", "2001:db8::5")
    assert v6["c6a2Label"] == "Source IPv6 Address" and "src" not in v6
    mac = parse_cef(
        to_cef(
            make_alert(
                src=AlertEndpoint("00-1B-1B-AA-BB-01", None), dst=AlertEndpoint("01:0e:cf:00:00:00")
            )
        )
    ).extension
    assert (mac["smac"], mac["dmac"]) == ("00:1b:1b:aa:bb:01", "01:0e:cf:00:00:00")


@pytest.mark.parametrize("alert", alert_variants(), ids=lambda a: a.protocol)
def test_one_line_per_alert(alert) -> None:
    (line,) = render_alerts([alert], "cef")
    assert "\n" not in line and "\r" not in line
    assert parse_cef(line).extension["externalId"] == alert.id


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(title=text, message=text, site=text)
def test_any_text_survives_escaping(title: str, message: str, site: str) -> None:
    event = parse_cef(to_cef(make_alert(title=title, message=message, site=site)))
    flat = title.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    assert event.name == flat
    if message:
        assert event.extension["msg"] == message.replace("\r\n", "\n")
    assert event.extension["deviceExternalId"] == site.replace("\r\n", "\n")


def test_escaping_rules() -> None:
    assert escape_header("a|b\\c\nd") == "a\\|b\\\\c d"
    assert escape_extension("a=b\\c|d\r\ne\rf") == "a\\=b\\\\c|d\\ne\\rf"

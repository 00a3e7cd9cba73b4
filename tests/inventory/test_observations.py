"""What a run records from transactions: the sender of a request standing alone on UDP,
facts about MAC addresses, and bindings."""

from __future__ import annotations

import ipaddress

from interlock.inventory.observations import RunObservations
from interlock.model import Endpoint, OperationClass, Transaction
from interlock.net.flows import TCP, UDP, Flow

A, B = "10.0.0.1", "10.0.0.2"


def flow(transport: int) -> Flow:
    addresses = ipaddress.ip_address(A).packed + ipaddress.ip_address(B).packed
    return Flow(transport, addresses, 47808, 47808, (None, None))


def i_am() -> Transaction:
    """As the engine names it: the flow's first sender (A) as client, though B sent it."""
    return Transaction(
        "bacnet", Endpoint(A, 47808), Endpoint(B, 47808), 0, "i-am", OperationClass.IDENTITY,
        "unsolicited", 10, None, 1000.0, None,
        details={"device": "device:1001", "vendor_id": 260},
    )  # fmt: skip


def test_an_unconfirmed_request_on_udp_is_about_its_sender() -> None:
    obs = RunObservations("c1", "lab")
    obs.unit_sent(10, flow(UDP), 1)  # direction 1: from B
    obs.transaction(i_am())
    assert {key[0] for key in obs.identity} == {B}


def test_on_tcp_the_handshake_names_the_sides() -> None:
    obs = RunObservations("c1", "lab")
    obs.unit_sent(10, flow(TCP), 1)
    obs.transaction(i_am())
    assert {key[0] for key in obs.identity} == {A}


def test_facts_about_a_group_mac_are_dropped_and_a_unicast_mac_is_a_station() -> None:
    obs = RunObservations("c1", "lab")
    for sender in ("01:80:c2:00:00:0e", "00:0e:cf:aa:bb:01"):
        obs.transaction(lldpdu(sender))
    assert list(obs.stations) == ["00:0e:cf:aa:bb:01"]
    assert {key[0] for key in obs.identity} == {"00:0e:cf:aa:bb:01"}


def lldpdu(sender: str) -> Transaction:
    return Transaction(
        "lldp", Endpoint(sender, 0), Endpoint("01:80:c2:00:00:0e", 0), 0, "lldpdu",
        OperationClass.IDENTITY, "unsolicited", None, 1, None, 1000.0,
        details={"system_name": "sw"},
    )  # fmt: skip

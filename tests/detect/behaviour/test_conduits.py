"""conduit_violation: the plant context's conduit verdict decides, once per pair."""

from __future__ import annotations

from detect.behaviour.builders import detector, tx
from detect.behaviour.replay import Plant, feed
from interlock.detect.hits import AssetView

HMI, PLC, LAPTOP, OUTSIDER = "10.20.0.7", "10.10.0.5", "10.30.0.9", "192.0.2.1"


def _plant() -> Plant:
    return Plant(
        assets={
            HMI: AssetView(1, 2.0, "supervisory"),
            PLC: AssetView(2, 1.0, "cell-a"),
            LAPTOP: AssetView(3, 3.0, "enterprise"),
        },
        conduits={(HMI, PLC): True, (LAPTOP, PLC): False},
    )


def _write(client: str, ts: float, status: str = "ok", operation: str = "write"):  # type: ignore[no-untyped-def]
    return tx("modbus", "write_single_register", f"{client}:40000", f"{PLC}:502", ts,
              operation=operation, status=status)  # type: ignore[arg-type]  # fmt: skip


def test_a_write_no_conduit_allows_is_a_hit_with_both_zones() -> None:
    plant = _plant()
    conduit = detector("conduit_violation", context=plant, severity="high")
    hits = feed(
        conduit, [_write(HMI, 1.0), _write(LAPTOP, 2.0, "exception"), _write(OUTSIDER, 3.0)]
    )
    [hit] = hits
    assert hit.src.ip == LAPTOP and hit.outcome == "refused"
    assert "(zone enterprise to zone cell-a): no conduit allows it" in hit.message
    assert hit.details["client"] == {"asset": 3, "purdue_level": 3.0, "zone": "enterprise"}
    assert hit.details["server"]["zone"] == "cell-a"
    assert hit.details["operation"] == "write"


def test_reads_are_not_judged_and_verdicts_are_asked_once_per_pair() -> None:
    plant = _plant()
    conduit = detector("conduit_violation", context=plant)
    items = [_write(LAPTOP, float(i)) for i in range(10)]
    items += [_write(LAPTOP, 20.0, operation="read")]
    items += [_write(LAPTOP, 30.0, operation="restart")]
    hits = feed(conduit, items)
    assert len(hits) == 11
    assert plant.asked == [
        (LAPTOP, PLC, "modbus", "write"),
        (LAPTOP, PLC, "modbus", "restart"),
    ]


def test_chosen_operations_and_protocols_only() -> None:
    plant = _plant()
    conduit = detector(
        "conduit_violation", {"operations": ["program"], "protocols": ["s7comm"]}, plant
    )
    assert feed(conduit, [_write(LAPTOP, 1.0)]) == []
    download = tx("s7comm", "download_block", f"{LAPTOP}:1", f"{PLC}:102", 2.0, operation="program")
    assert len(feed(conduit, [download])) == 1

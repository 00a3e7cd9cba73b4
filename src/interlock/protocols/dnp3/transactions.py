"""DNP3 request/response pairs as the engine's typed transactions.

A transaction is an application fragment from a master and the response fragment(s)
from the outstation with the same sequence number; unsolicited responses stand alone
(status "unsolicited"). Link-only frames, partial fragments and confirms are not
transactions. Targets name the outstation (its link address is the unit) and the object
group's address space; details carry what inventory and detection need: device
attributes (group 0), control operations (CROB and analog output commands), IIN bits.
"""

from __future__ import annotations

import math
from typing import Any

from interlock.model import Endpoint, OperationClass, Target, Transaction, TransactionStatus
from interlock.protocols.dnp3.application import objects_of
from interlock.protocols.dnp3.attributes import attribute_name
from interlock.protocols.dnp3.functions import (
    CONFIRM,
    FUNCTIONS,
    IIN_ERRORS,
    OPEN_FILE,
    READ,
    RESPONSES,
    UNSOLICITED_RESPONSE,
    WRITE,
    function_name,
    iin_names,
)
from interlock.protocols.dnp3.headers import ObjectHeader
from interlock.protocols.dnp3.objects import layout, space_name
from interlock.protocols.dnp3.qualifiers import INDEX_PREFIXES
from interlock.protocols.dnp3.session import Fragment, Observation, SeenRequest, pairing_key
from interlock.protocols.dnp3.values import analog_command, attribute, crob, point_value

__all__ = ["build", "is_request", "pairing_key", "view"]

_FILE_WRITE_MODES = (2, 3)  # write, append (File Control Mode of a file command)


def view(message: Any, answered: Observation | None) -> tuple[Fragment, SeenRequest | None] | None:
    """What a link frame means to the transaction sink: the fragment it completed and, for
    a response, the request it answers; None when it completed nothing to pair."""
    if answered is None or answered.fragment is None:
        return None
    function = answered.fragment.apdu.function
    if function < 0 or function == CONFIRM:
        return None
    return answered.fragment, answered.request


def is_request(fragment: Fragment) -> bool:
    """Requests and responses by function code, whichever side opened the connection."""
    return fragment.apdu.function not in RESPONSES


def operation_of(function: int, headers: list[ObjectHeader]) -> OperationClass:
    """The operation class of a request, refined by the objects it names."""
    info = FUNCTIONS.get(function)
    if info is None:
        return OperationClass.OTHER
    groups = {h.group for h in headers}
    if function == READ and groups == {0}:
        return OperationClass.IDENTITY
    if function == WRITE and 70 in groups:
        return OperationClass.PROGRAM
    if function == OPEN_FILE and _file_mode(headers) in _FILE_WRITE_MODES:
        return OperationClass.PROGRAM
    return info.operation


def _file_mode(headers: list[ObjectHeader]) -> int:
    for h in headers:
        for _, data in h.items if (h.group, h.variation) == (70, 3) else ():
            if len(data) >= 22:
                return data[20] | (data[21] << 8)
    return -1


def _targets(outstation: int, headers: list[ObjectHeader]) -> tuple[Target, ...]:
    """One target per header; per point for headers that list point indexes. Quantity 0
    with start 0 means every point of the group (qualifier 0x06)."""
    targets = []
    for h in headers:
        space = space_name(h.group)
        if (h.qualifier >> 4) & 0x07 in INDEX_PREFIXES:
            targets += [Target(outstation, space, index, 1) for index, _ in h.items]
        else:
            targets.append(Target(outstation, space, max(h.start, 0), max(h.quantity, 0)))
    return tuple(targets)


def _controls(headers: list[ObjectHeader]) -> list[dict[str, object]]:
    controls: list[dict[str, object]] = []
    for h in headers:
        fields = layout(h.group, h.variation) or ""
        for index, data in h.items:
            decoded = crob(data) if h.group == 12 and h.variation in (1, 2) else None
            if h.group == 41:
                decoded = analog_command(fields, data)
            if decoded is not None:
                controls.append(
                    {"group": h.group, "variation": h.variation, "index": index, **decoded}
                )
    return controls


def _attributes(headers: list[ObjectHeader]) -> dict[str, object]:
    found: dict[str, object] = {}
    for h in headers:
        if h.group != 0:
            continue
        for _, data in h.items:
            decoded = attribute(data)
            if decoded is not None:
                found[attribute_name(h.variation)] = decoded[1]
    return found


def _readings(headers: list[ObjectHeader]) -> tuple[int, ...]:
    values: list[int] = []
    for h in headers:
        fields = layout(h.group, h.variation)
        if not fields or h.group in (0, 12, 41, 50, 51, 52, 70, 80) or h.group >= 110:
            continue
        for _, data in h.items:
            value = point_value(fields, data)
            if value is not None and math.isfinite(value):
                values.append(round(value))
    return tuple(values)


def _control_values(controls: list[dict[str, object]]) -> tuple[int, ...]:
    out: list[int] = []
    for c in controls:
        value = c.get("value", 0)
        if "op_type" in c:
            out.append(
                1 if c["op_type"] in ("latch_on", "pulse_on") or c["trip_close"] == "close" else 0
            )
        elif isinstance(value, int | float) and math.isfinite(value):
            out.append(round(value))
    return tuple(out)


def _operation(
    request: Fragment | None, response: Fragment | None, headers: list[ObjectHeader]
) -> OperationClass:
    if request is not None:
        return operation_of(request.apdu.function, headers)
    unsolicited = response is not None and response.apdu.function == UNSOLICITED_RESPONSE
    return OperationClass.READ if unsolicited else OperationClass.OTHER


def _status(
    request: Fragment | None, response: Fragment | None, controls: list[dict[str, object]]
) -> tuple[TransactionStatus, int | None]:
    if request is None:
        assert response is not None
        unsolicited = response.apdu.function == UNSOLICITED_RESPONSE
        return ("unsolicited" if unsolicited else "unknown"), None
    if response is None:
        return "unanswered", None
    iin = response.apdu.iin
    if iin >= 0 and iin & IIN_ERRORS:
        return "exception", iin & 0xFF
    if any(c.get("status") != "success" for c in controls):
        return "exception", None
    return "ok", None


def _details(
    first: Fragment,
    response: Fragment | None,
    headers: list[ObjectHeader],
    controls: list[dict[str, object]],
) -> dict[str, object]:
    details: dict[str, object] = {"master": first.master, "outstation": first.outstation}
    if response is not None and response.apdu.iin >= 0:
        details["iin"] = iin_names(response.apdu.iin)
    attributes = _attributes(headers)
    if attributes:
        details["device_attributes"] = attributes
    if controls:
        details["controls"] = controls
    return details


def build(
    client: Endpoint,
    server: Endpoint,
    request: Fragment | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Fragment | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a request fragment and/or its response fragment."""
    first = request or response
    assert first is not None
    req_headers, req_problem = objects_of(request.apdu) if request else ([], "")
    resp_headers, resp_problem = objects_of(response.apdu) if response else ([], "")
    function = first.apdu.function
    controls = _controls(resp_headers) or _controls(req_headers) if function != READ else []
    status, exception_code = _status(request, response, controls)
    details = _details(first, response, resp_headers or req_headers, controls)
    values = _control_values(controls) if controls else _readings(resp_headers)
    anomalies = [*(request.apdu.anomalies if request else ()), req_problem]
    anomalies += [*(response.apdu.anomalies if response else ()), resp_problem]
    return Transaction(
        protocol="dnp3",
        client=client,
        server=server,
        function=function,
        function_name=function_name(function),
        operation=_operation(request, response, req_headers),
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=_targets(first.outstation, req_headers if request else resp_headers),
        values=values,
        exception_code=exception_code,
        details=details,
        anomalies=tuple(dict.fromkeys(a for a in anomalies if a)),
    )

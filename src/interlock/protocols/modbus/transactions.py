"""Modbus request/response pairs as the engine's typed transactions."""

from __future__ import annotations

from interlock.model import (
    Endpoint,
    OperationClass,
    Target,
    Transaction,
    TransactionStatus,
    merge_anomalies,
)
from interlock.protocols.modbus.functions import (
    DEVICE_ID_OBJECTS,
    DIAGNOSTIC_OPERATIONS,
    FUNCTIONS,
    MEI_READ_DEVICE_ID,
    UMAS_FUNCTIONS,
    function_name,
)
from interlock.protocols.modbus.mbap import ModbusADU
from interlock.protocols.modbus.pdu import ModbusPDU, decode_pdu


def operation_of(request: ModbusPDU) -> OperationClass:
    """The operation class of a request, refined by sub-function where that matters."""
    fc = request.function
    if fc == 8 and request.sub_function is not None:
        return DIAGNOSTIC_OPERATIONS.get(request.sub_function, OperationClass.DIAGNOSTIC)
    if fc == 43 and request.mei_type != MEI_READ_DEVICE_ID:
        return OperationClass.OTHER
    if fc == 90 and request.umas_function is not None:
        return UMAS_FUNCTIONS.get(request.umas_function, ("", OperationClass.OTHER))[1]
    info = FUNCTIONS.get(fc)
    return info.operation if info else OperationClass.OTHER


def _targets(unit: int, pdu: ModbusPDU) -> tuple[Target, ...]:
    info = FUNCTIONS.get(pdu.function)
    if info is None or info.space is None:
        return ()
    if pdu.function in (20, 21):
        return tuple(
            Target(unit, f"file_{r.file_number}", r.record_number, r.record_length)
            for r in pdu.file_records
        )
    if pdu.start is None:
        return ()
    count = pdu.count if pdu.count is not None else 1
    targets = [Target(unit, info.space, pdu.start, count)]
    if pdu.function == 23 and pdu.write_start is not None:
        targets = [
            Target(unit, info.space, pdu.write_start, pdu.write_count or 0),
            Target(unit, info.space, pdu.start, count),
        ]
    return tuple(targets)


def pairing_key(adu: ModbusADU) -> tuple[int, int, int]:
    """What a request shares with its response: unit id, transaction id, function."""
    return (adu.unit_id, adu.trans_id, adu.function)


def build(
    client: Endpoint,
    server: Endpoint,
    request: ModbusADU | None,
    request_frame: int | None,
    request_ts: float | None,
    response: ModbusADU | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    """One transaction from a request and/or its response."""
    req = decode_pdu(request.pdu, True) if request is not None else None
    resp = decode_pdu(response.pdu, False) if response is not None else None
    first = request or response
    assert first is not None
    unit = first.unit_id
    fc = first.function
    status: TransactionStatus
    if resp is not None and resp.exception_code is not None:
        status = "exception"
    elif req is not None and resp is not None:
        status = "ok"
    elif req is not None:
        status = "unanswered"
    else:
        status = "unknown"
    decoded = req or resp
    assert decoded is not None
    if req is not None:
        values = req.values
        if req.function in (1, 2, 3, 4, 23, 24) and resp is not None:
            values = (
                resp.values if req.function != 1 and req.function != 2 else _coil_values(resp, req)
            )
    else:
        values = decoded.values
    details: dict[str, object] = {"unit_id": unit}
    if resp is not None and resp.objects:
        details["device_identification"] = {
            DEVICE_ID_OBJECTS.get(o.object_id, f"object_{o.object_id:#04x}"): o.value.decode(
                "latin-1"
            )
            for o in resp.objects
        }
    if resp is not None and fc == 17 and resp.data:
        details["server_id"] = resp.data.hex()
    if decoded.umas_function is not None:
        details["umas_function"] = decoded.umas_function
    anomalies = merge_anomalies(request, response, req, resp)
    return Transaction(
        protocol="modbus",
        client=client,
        server=server,
        function=fc,
        function_name=function_name(fc),
        operation=operation_of(req) if req is not None else OperationClass.OTHER,
        status=status,
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        targets=_targets(unit, req) if req is not None else (),
        values=values,
        sub_function=decoded.sub_function,
        exception_code=resp.exception_code if resp is not None else None,
        details=details,
        anomalies=anomalies,
    )


def _coil_values(resp: ModbusPDU, req: ModbusPDU) -> tuple[int, ...]:
    data, n = resp.data, req.count or 0
    return tuple((data[k // 8] >> (k % 8)) & 1 for k in range(n) if k // 8 < len(data))

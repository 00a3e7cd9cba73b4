"""Decode one S7 PDU (header, parameter part, data part) into typed values.

Job and Ack_Data parameter parts by function (Read/Write Var items, setup communication,
PLC stop, PI service, block transfer); userdata parameter and data heads. What a
userdata payload holds (SZL records, block lists) is decoded on demand by its own module
once fragments are joined. Pure; malformed PDUs become anomaly codes, never exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

from interlock.protocols.s7comm import functions as fn
from interlock.protocols.s7comm.header import (
    ACK_DATA,
    JOB,
    USERDATA,
    S7Header,
    header_anomalies,
    parse_header,
)
from interlock.protocols.s7comm.job import (
    BlockTransfer,
    PiService,
    SetupCommunication,
    parse_block_transfer,
    parse_pi_service,
    parse_plc_stop,
    parse_setup,
)
from interlock.protocols.s7comm.userdata import (
    UserdataData,
    UserdataParam,
    parse_userdata_data,
    parse_userdata_param,
)
from interlock.protocols.s7comm.variables import (
    DataItem,
    VarSpec,
    parse_data_items,
    parse_return_codes,
    parse_var_specs,
)


@dataclass(frozen=True, slots=True)
class S7Pdu:
    """A decoded S7 PDU. Parts that do not apply keep their defaults."""

    header: S7Header
    function: int = -1
    """Job and Ack_Data: the parameter part's function code; -1 otherwise."""
    item_count: int = -1
    var_specs: tuple[VarSpec, ...] = ()
    data_items: tuple[DataItem, ...] = ()
    """Write Var request values, or Read Var response results."""
    write_results: tuple[int, ...] = ()
    """Write Var response: one return code per item."""
    setup: SetupCommunication | None = None
    pi: PiService | None = None
    transfer: BlockTransfer | None = None
    userdata: UserdataParam | None = None
    userdata_data: UserdataData | None = None
    anomalies: tuple[str, ...] = ()


def decode_pdu(p: bytes) -> S7Pdu | None:
    """Decode the S7 PDU p; None when p does not pass the S7 heuristic."""
    h = parse_header(p)
    if h is None:
        return None
    anomalies = header_anomalies(p, h)
    if h.rosctr == USERDATA:
        head = parse_userdata_param(p, h)
        if head is None:
            anomalies += ("s7comm.userdata_param_truncated",)
        return S7Pdu(h, userdata=head, userdata_data=parse_userdata_data(p, h), anomalies=anomalies)
    if h.rosctr not in (JOB, ACK_DATA) or h.param_length == 0 or len(p) <= h.param_start:
        return S7Pdu(h, anomalies=anomalies)
    param = p[h.param_start : h.data_start]
    data = p[h.data_start : h.data_start + h.data_length]
    return _with_function(S7Pdu(h, function=param[0], anomalies=anomalies), param, data)


def _with_function(pdu: S7Pdu, param: bytes, data: bytes) -> S7Pdu:
    function = pdu.function
    is_job = pdu.header.rosctr == JOB
    if function in (fn.READ_VAR, fn.WRITE_VAR):
        return _variables(pdu, param, data, is_job)
    if function == fn.SETUP_COMMUNICATION:
        setup = parse_setup(param)
        return _replace(pdu, setup=setup, problem=None if setup else "s7comm.param_truncated")
    if function in (fn.PLC_STOP, fn.PI_SERVICE) and is_job:
        pi = parse_plc_stop(param) if function == fn.PLC_STOP else parse_pi_service(param)
        return _replace(pdu, pi=pi, problem=None if pi and pi.name else "s7comm.param_truncated")
    if function in fn.UPDOWNLOAD:
        return _replace(pdu, transfer=parse_block_transfer(param))
    if function not in fn.JOB_FUNCTIONS:
        return _replace(pdu, problem="s7comm.function_unknown")
    return pdu


def _variables(pdu: S7Pdu, param: bytes, data: bytes, is_job: bool) -> S7Pdu:
    if len(param) < 2:
        return _replace(pdu, problem="s7comm.param_truncated")
    count = param[1]
    problem = None
    specs: tuple[VarSpec, ...] = ()
    items: tuple[DataItem, ...] = ()
    results: tuple[int, ...] = ()
    if is_job:
        specs, _end, complete = parse_var_specs(param, 2, count)
        if not complete:
            problem = "s7comm.item_truncated"
        if pdu.function == fn.WRITE_VAR:
            items, complete = parse_data_items(data, 0, count)
            problem = problem or (None if complete else "s7comm.item_truncated")
    elif pdu.function == fn.READ_VAR:
        items, complete = parse_data_items(data, 0, count)
        problem = None if complete else "s7comm.item_truncated"
    else:
        results = parse_return_codes(data, 0, count)
        problem = None if len(results) == count else "s7comm.item_truncated"
    return S7Pdu(
        pdu.header,
        pdu.function,
        count,
        specs,
        items,
        results,
        anomalies=pdu.anomalies + ((problem,) if problem else ()),
    )


def _replace(
    pdu: S7Pdu,
    setup: SetupCommunication | None = None,
    pi: PiService | None = None,
    transfer: BlockTransfer | None = None,
    problem: str | None = None,
) -> S7Pdu:
    return S7Pdu(
        pdu.header,
        pdu.function,
        setup=setup,
        pi=pi,
        transfer=transfer,
        anomalies=pdu.anomalies + ((problem,) if problem else ()),
    )

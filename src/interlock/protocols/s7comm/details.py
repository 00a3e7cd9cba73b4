"""What an S7comm exchange does, in the engine's terms: function, name, operation class,
targets, values and details, from a decoded request and/or response.

The operation class follows the request: Read/Write Var are read and write; block
upload, download and deletion, and the PI services that activate or delete blocks are
program; PLC stop and a plain PI start (P_PROGRAM) are mode_change, a P_PROGRAM start
with a restart argument (cold "C ", or warm) is restart; SZL reads are diagnostic except
the identification lists 0x..11 and 0x..1C, which are identity; block lists and block
information are discovery.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.model import OperationClass as Op
from interlock.model import Target
from interlock.protocols.s7comm import functions as fn
from interlock.protocols.s7comm.clock import decode_clock
from interlock.protocols.s7comm.job import BlockName, PiService
from interlock.protocols.s7comm.pdu import S7Pdu
from interlock.protocols.s7comm.szl import identity, is_identity, parse_request, parse_response
from interlock.protocols.s7comm.szl_ids import szl_name
from interlock.protocols.s7comm.userdata_functions import (
    GROUP_CPU,
    GROUP_NAMES,
    GROUP_TIME,
    SUBF_READ_SZL,
    subfunction,
)
from interlock.protocols.s7comm.variables import DataItem, VarSpec


class Meaning(NamedTuple):
    function: int
    function_name: str
    operation: Op
    sub_function: int | None
    targets: tuple[Target, ...]
    values: tuple[int, ...]
    details: dict[str, object]


def block_text(block: BlockName) -> str:
    return f"{block.block_type}{block.number if block.number is not None else '?'}"


def job_meaning(req: S7Pdu | None, resp: S7Pdu | None) -> Meaning:
    """Job/Ack_Data (and Ack) exchanges."""
    first = req if req is not None and req.function >= 0 else resp
    function = first.function if first is not None else -1
    info = fn.JOB_FUNCTIONS.get(function)
    if info is not None:
        name = info.name
    else:
        name = f"function_{function:#04x}" if function >= 0 else "ack"
    operation = info.operation if info else Op.OTHER
    details: dict[str, object] = {}
    targets: tuple[Target, ...] = ()
    values: tuple[int, ...] = ()
    if function in (fn.READ_VAR, fn.WRITE_VAR):
        targets, values, details = _variables(function, req, resp)
    elif function == fn.SETUP_COMMUNICATION:
        setup = (resp.setup if resp is not None else None) or (req.setup if req else None)
        if setup is not None:
            details = setup._asdict()
    elif req is not None and req.pi is not None:
        operation, details = _pi(function, req.pi)
    elif function in fn.UPDOWNLOAD:
        details = _transfer(req, resp)
    return Meaning(function, name, operation, None, targets, values, details)


def _pi(function: int, pi: PiService) -> tuple[Op, dict[str, object]]:
    details: dict[str, object] = {"pi_service": pi.name} if pi.name else {}
    if pi.arguments:
        details["arguments"] = list(pi.arguments)
    if pi.blocks:
        details["blocks"] = [block_text(b) for b in pi.blocks]
    if function == fn.PLC_STOP:
        return Op.MODE_CHANGE, details
    label, operation = fn.PI_SERVICES.get(pi.name, (pi.name, Op.OTHER))
    if label:
        details["pi_function"] = label
    if pi.name == "P_PROGRAM" and any(a.strip() for a in pi.arguments):
        cold = any(a.strip().startswith(fn.COLD_RESTART_ARGUMENT) for a in pi.arguments)
        details["restart"] = "cold" if cold else "warm"
        operation = Op.RESTART
    return operation, details


def _transfer(req: S7Pdu | None, resp: S7Pdu | None) -> dict[str, object]:
    details: dict[str, object] = {}
    for pdu in (req, resp):
        transfer = pdu.transfer if pdu is not None else None
        if transfer is None:
            continue
        if transfer.block is not None:
            details["block"] = block_text(transfer.block)
            details["file_system"] = transfer.block.file_system
        if transfer.upload_id:
            details["upload_id"] = transfer.upload_id
    return details


def _variables(
    function: int, req: S7Pdu | None, resp: S7Pdu | None
) -> tuple[tuple[Target, ...], tuple[int, ...], dict[str, object]]:
    specs = req.var_specs if req is not None else ()
    targets = tuple(_target(s) for s in specs)
    written = req.data_items if req is not None else ()
    read = resp.data_items if resp is not None else ()
    values = tuple(
        b for item in (written if function == fn.WRITE_VAR else read) for b in item.value
    )
    items: list[dict[str, object]] = [_spec_detail(s) for s in specs]
    results = [i.return_code for i in read] if function == fn.READ_VAR else []
    if resp is not None and function == fn.WRITE_VAR:
        results = list(resp.write_results)
    for detail, code in zip(items, results):
        detail["return_code"] = fn.RETURN_CODES.get(code, f"code_{code:#04x}")
    _add_values(items, written if function == fn.WRITE_VAR else read)
    return targets, values, {"items": items} if items else {}


def _target(spec: VarSpec) -> Target:
    """unit: the DB number (0 outside data blocks); start: the byte offset; quantity: the
    item's count of its transport size (details carry the bit and the size)."""
    area = fn.AREAS.get(spec.area, f"area_{spec.area:#04x}")
    return Target(spec.db_number, area, spec.byte_address, spec.quantity)


def _spec_detail(spec: VarSpec) -> dict[str, object]:
    if spec.syntax_id != fn.SYNTAX_S7ANY:
        return {"syntax_id": spec.syntax_id, "address": spec.raw.hex()}
    detail: dict[str, object] = {
        "area": fn.AREAS.get(spec.area, f"area_{spec.area:#04x}"),
        "byte": spec.byte_address,
        "bit": spec.bit_address,
        "transport_size": fn.TRANSPORT_SIZES.get(spec.transport_size, str(spec.transport_size)),
        "count": spec.quantity,
    }
    if spec.area == fn.AREA_DB:
        detail["db"] = spec.db_number
    return detail


def _add_values(items: list[dict[str, object]], values: tuple[DataItem, ...]) -> None:
    for detail, item in zip(items, values):
        if item.value:
            detail["value"] = item.value.hex()


def userdata_meaning(
    req: S7Pdu | None,
    resp: S7Pdu | None,
    req_payload: bytes | None,
    resp_payload: bytes | None,
) -> Meaning:
    """Userdata exchanges (and pushes): group, sub-function, SZL and identity details. The
    function number is (group << 8) | sub-function (0x0401 read SZL), apart from Job codes."""
    first = req if req is not None and req.userdata is not None else resp
    param = first.userdata if first is not None else None
    if param is None:
        return Meaning(-1, "userdata", Op.OTHER, None, (), (), {})
    name, operation = subfunction(param.group, param.subfunc)
    details: dict[str, object] = {"group": GROUP_NAMES.get(param.group, str(param.group))}
    if param.group == GROUP_CPU and param.subfunc == SUBF_READ_SZL:
        operation = _szl(req_payload, resp_payload, resp, details) or operation
    elif param.group == GROUP_TIME:
        clock = decode_clock(req_payload) or decode_clock(resp_payload)
        if clock is not None:
            details["clock"] = clock
    function = (param.group << 8) | param.subfunc
    return Meaning(function, name, operation, param.subfunc, (), (), details)


def _szl(
    req_payload: bytes | None,
    resp_payload: bytes | None,
    resp: S7Pdu | None,
    details: dict[str, object],
) -> Op | None:
    request = parse_request(req_payload) if req_payload else None
    ok = (
        resp is not None
        and resp.userdata_data is not None
        and resp.userdata_data.return_code == fn.RETURN_OK
    )
    response = parse_response(resp_payload) if resp_payload and ok else None
    szl_id = request.szl_id if request else response.szl_id if response else None
    if szl_id is None:
        return None
    details["szl_id"] = szl_id
    details["szl_index"] = request.szl_index if request else response.szl_index if response else 0
    details["szl_name"] = szl_name(szl_id)
    if response is not None and is_identity(response.szl_id):
        facts = identity(response)
        if facts:
            details["identity"] = facts
    return Op.IDENTITY if is_identity(szl_id) else Op.DIAGNOSTIC

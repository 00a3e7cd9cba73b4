"""Parameter parts of the Job functions other than Read Var and Write Var: setup
communication, PLC stop, PI service, and the block upload and download sequence.

Layouts as Wireshark's S7comm dissector decodes them:
- setup communication (0xF0): function, reserved, max AmQ calling (2), max AmQ called (2),
  PDU length (2);
- PLC stop (0x29): function, 5 unknown bytes, name length, PI service name ("P_PROGRAM");
- PI service (0x28): function, 7 unknown bytes, parameter block length (2), parameter
  block, name length, service name; "_INSE"/"_DELE" blocks: count, a byte, then 8-character
  block names ("0800001P": type, number, file system);
- upload/download (0x1A-0x1F): function, status, 2 unknown bytes, upload id (4), then on
  requests that name a block a length-prefixed file name "_0800001P".
Pure; a part cut short yields None or what it holds.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.s7comm.functions import BLOCK_TYPES


class SetupCommunication(NamedTuple):
    max_amq_calling: int
    max_amq_called: int
    pdu_length: int


class BlockName(NamedTuple):
    """A block as the PG names it: type ("OB", "DB", ...), number, target file system."""

    block_type: str
    number: int | None
    file_system: str


class PiService(NamedTuple):
    name: str
    arguments: tuple[str, ...]
    """Argument strings (P_PROGRAM's "C " for a cold restart, _MODU's "EP")."""
    blocks: tuple[BlockName, ...]


class BlockTransfer(NamedTuple):
    """Upload/download parameters: status byte, upload id, and the named block if any."""

    status: int
    upload_id: int
    block: BlockName | None


def _text(raw: bytes) -> str:
    return raw.decode("latin-1")


def parse_setup(param: bytes) -> SetupCommunication | None:
    if len(param) < 8:
        return None
    return SetupCommunication(
        (param[2] << 8) | param[3], (param[4] << 8) | param[5], (param[6] << 8) | param[7]
    )


def parse_block_name(raw: bytes) -> BlockName | None:
    """An 8-character block name ("0800001P"), or None when it is not one."""
    if len(raw) != 8:
        return None
    type_code = _text(raw[0:2]).upper()
    digits = _text(raw[2:7])
    return BlockName(
        BLOCK_TYPES.get(type_code, type_code),
        int(digits) if digits.isdigit() else None,
        _text(raw[7:8]),
    )


def parse_plc_stop(param: bytes) -> PiService | None:
    if len(param) < 7:
        return None
    length = param[6]
    return PiService(_text(param[7 : 7 + length]), (), ())


def parse_pi_service(param: bytes) -> PiService | None:
    if len(param) < 10:
        return None
    block_len = (param[8] << 8) | param[9]
    block = param[10 : 10 + block_len]
    pos = 10 + block_len
    name = _text(param[pos + 1 : pos + 1 + param[pos]]) if pos < len(param) else ""
    if name in ("_INSE", "_DELE") and block:
        count = block[0]
        names = (parse_block_name(block[2 + 8 * i : 10 + 8 * i]) for i in range(count))
        return PiService(name, (), tuple(n for n in names if n is not None))
    return PiService(name, _arguments(block), ())


def _arguments(block: bytes) -> tuple[str, ...]:
    """PI arguments: one string, or several each prefixed by its length when they parse so."""
    if not block:
        return ()
    parts: list[str] = []
    pos = 0
    while pos < len(block):
        length = block[pos]
        if length == 0 or pos + 1 + length > len(block) or length >= 0x20:
            return (_text(block),)
        parts.append(_text(block[pos + 1 : pos + 1 + length]))
        pos += 1 + length
    return tuple(parts)


def parse_block_transfer(param: bytes) -> BlockTransfer | None:
    """The parameters of functions 0x1A-0x1F (requests and responses)."""
    if len(param) < 2:
        return None
    upload_id = int.from_bytes(param[4:8], "big") if len(param) >= 8 else 0
    block = None
    if len(param) > 8:
        name = param[9 : 9 + param[8]]
        # "_" then the 8-character block name
        if len(name) == 9 and name[:1] == b"_":
            block = parse_block_name(name[1:])
    return BlockTransfer(param[1], upload_id, block)

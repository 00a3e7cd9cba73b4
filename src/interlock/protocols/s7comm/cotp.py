"""COTP, ISO 8073 / X.224 connection-oriented transport, as carried by TPKT on TCP 102.

One TPDU: length indicator, type (high nibble of the second byte), the fixed part of its
type, a variable part of parameters (CR/CC: TSAPs, TPDU size), then user data. S7 uses
class 0, whose DT TPDU is three bytes (LI 2, 0xF0, EOT bit and TPDU number).

Pure: bytes in, typed values out; malformed TPDUs become anomaly codes. COTP reassembly
(DT with EOT clear) is a per-connection matter and lives in ``session``.
"""

from __future__ import annotations

from typing import Final, NamedTuple

CR: Final = 0xE
CC: Final = 0xD
DR: Final = 0x8
DC: Final = 0xC
DT: Final = 0xF
ED: Final = 0x1
AK: Final = 0x6
EA: Final = 0x2
RJ: Final = 0x5
ER: Final = 0x7

TPDU_NAMES: Final[dict[int, str]] = {
    CR: "connection_request",
    CC: "connection_confirm",
    DR: "disconnect_request",
    DC: "disconnect_confirm",
    DT: "data",
    ED: "expedited_data",
    AK: "data_acknowledgement",
    EA: "expedited_data_acknowledgement",
    RJ: "reject",
    ER: "error",
}

PARAM_TPDU_SIZE: Final = 0xC0
PARAM_SRC_TSAP: Final = 0xC1
PARAM_DST_TSAP: Final = 0xC2

INVALID: Final = -1
"""The code of a TPDU Wireshark rejects (see parse_tpdu)."""

# Length indicators a DT TPDU may have (ISO 8073 13.7): class 0/1 (2), normal (4) and
# extended (7) formats, and both with a checksum parameter (8, 11) that must come first.
_DT_LENGTHS: Final = frozenset({2, 4, 7, 8, 11})
_DT_CHECKSUM_OFFSET: Final[dict[int, int]] = {8: 5, 11: 8}

_new = tuple.__new__


class CotpTpdu(NamedTuple):
    """One TPDU. Fields that do not apply to its type keep their defaults."""

    code: int
    """TPDU type (the high nibble of the second byte); INVALID (-1) for a TPDU cut short
    or rejected."""
    li: int
    eot: bool
    """DT: last data unit of a TSDU (True unless the TPDU continues in the next one)."""
    payload: bytes
    """User data after the header (DT: the S7 or S7comm-plus bytes)."""
    dst_ref: int = 0
    src_ref: int = 0
    class_option: int = 0
    params: tuple[tuple[int, bytes], ...] = ()
    """CR/CC/DR variable part: (code, value) in wire order."""
    anomalies: tuple[str, ...] = ()

    def param(self, code: int) -> bytes | None:
        for key, value in self.params:
            if key == code:
                return value
        return None


def parse_tpdu(buf: bytes, start: int, end: int) -> CotpTpdu:
    """Decode the TPDU in buf[start:end] (a TPKT payload). A TPDU Wireshark rejects as
    invalid (a length indicator its type cannot have, a DT whose checksum parameter is
    missing, a class above 4) has code INVALID and carries no payload."""
    if end - start >= 3 and buf[start] == 2 and buf[start + 1] >> 4 == DT:
        # The common case: a class 0 DT.
        return _new(
            CotpTpdu,
            (DT, 2, bool(buf[start + 2] & 0x80), buf[start + 3 : end], 0, 0, 0, (), ()),
        )
    if end - start < 2:
        return CotpTpdu(INVALID, -1, False, b"", anomalies=_CUT)
    li = buf[start]
    code = buf[start + 1] >> 4
    if li == 0 or start + 1 + li > end:
        return CotpTpdu(INVALID, li, False, b"", anomalies=("s7comm.cotp_length",))
    if code == DT:
        return _data(buf, start, end, li)
    if code in (CR, CC, DR):
        return _connection(buf, start, end, li, code)
    return CotpTpdu(code, li, True, b"")


_CUT: Final = ("s7comm.cotp_truncated",)


def _data(buf: bytes, start: int, end: int, li: int) -> CotpTpdu:
    checksum_at = _DT_CHECKSUM_OFFSET.get(li)
    if li not in _DT_LENGTHS or (checksum_at is not None and buf[start + checksum_at] != 0xC3):
        return CotpTpdu(INVALID, li, False, b"", anomalies=("s7comm.cotp_dt_invalid",))
    eot = bool(buf[start + 4 if li > 2 else start + 2] & 0x80)
    dst_ref = (buf[start + 2] << 8) | buf[start + 3] if li > 2 else 0
    return CotpTpdu(DT, li, eot, buf[start + 1 + li : end], dst_ref)


def _connection(buf: bytes, start: int, end: int, li: int, code: int) -> CotpTpdu:
    if li < 6:
        return CotpTpdu(INVALID, li, False, b"", anomalies=("s7comm.cotp_length",))
    dst_ref = (buf[start + 2] << 8) | buf[start + 3]
    src_ref = (buf[start + 4] << 8) | buf[start + 5]
    option = buf[start + 6]
    if code != DR and option >> 4 > 4:
        return CotpTpdu(INVALID, li, False, b"", anomalies=("s7comm.cotp_class",))
    params, anomalies = _variable_part(buf, start + 7, start + 1 + li)
    return CotpTpdu(
        code, li, True, buf[start + 1 + li : end], dst_ref, src_ref, option, params, anomalies
    )


def _variable_part(
    buf: bytes, pos: int, end: int
) -> tuple[tuple[tuple[int, bytes], ...], tuple[str, ...]]:
    params: list[tuple[int, bytes]] = []
    while pos + 2 <= end:
        code, length = buf[pos], buf[pos + 1]
        if pos + 2 + length > end:
            return tuple(params), ("s7comm.cotp_parameter_truncated",)
        params.append((code, buf[pos + 2 : pos + 2 + length]))
        pos += 2 + length
    if pos != end:
        return tuple(params), ("s7comm.cotp_parameter_truncated",)
    return tuple(params), ()


class Tsap(NamedTuple):
    """An S7 transport service access point: connection type, then rack and slot."""

    connection_type: int
    """1 PG (programming device), 2 OP (operator panel), 3 S7 basic, 0x10+ others."""
    rack: int
    slot: int


def s7_tsap(value: bytes | None) -> Tsap | None:
    """Decode a two-byte S7 TSAP (high byte connection type, low byte rack * 32 + slot)."""
    if value is None or len(value) != 2:
        return None
    return Tsap(value[0], value[1] >> 5, value[1] & 0x1F)


def encode_dt(payload: bytes, eot: bool = True, tpdu_nr: int = 0) -> bytes:
    """A class 0 DT TPDU around payload."""
    return bytes((2, 0xF0, (0x80 if eot else 0) | (tpdu_nr & 0x7F))) + payload


def encode_connect(
    code: int,
    src_tsap: bytes,
    dst_tsap: bytes,
    src_ref: int = 1,
    dst_ref: int = 0,
    tpdu_size: int = 0x0A,
) -> bytes:
    """A class 0 CR or CC TPDU with TPDU size and both TSAPs."""
    var = bytes((PARAM_TPDU_SIZE, 1, tpdu_size))
    var += bytes((PARAM_SRC_TSAP, len(src_tsap))) + src_tsap
    var += bytes((PARAM_DST_TSAP, len(dst_tsap))) + dst_tsap
    fixed = bytes((code << 4, dst_ref >> 8, dst_ref & 0xFF, src_ref >> 8, src_ref & 0xFF, 0))
    return bytes((len(fixed) + len(var),)) + fixed + var

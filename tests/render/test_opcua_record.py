"""The OPC UA dissect view reproduces Wireshark 4.0's quirks (render/opcua_record.py)."""

from __future__ import annotations

from interlock.protocols.opcua.session import OpcUaSession
from interlock.render.opcua_record import opcua_record
from protocols.opcua.helpers import BASIC256, hello, opn, parsed, read_request, secure


def render(session: OpcUaSession, data: bytes, from_client: bool = True) -> dict[str, object]:
    chunk = parsed(data)
    _proto, fields, _anomalies = opcua_record(chunk, 1, session.observe(chunk, from_client, 1, 0.0))
    return fields


def test_hello_fields() -> None:
    fields = render(OpcUaSession(), hello("opc.tcp://plc:4840"))
    assert fields["opcua.transport.type"] == "HEL"
    assert fields["opcua.transport.endpoint"] == "opc.tcp://plc:4840"
    assert "opcua.servicenodeid.numeric" not in fields


def test_only_the_final_chunk_names_the_service() -> None:
    session = OpcUaSession()
    body = read_request()
    first = render(session, secure("MSG", body[:10], chunk_type="C"))
    last = render(session, secure("MSG", body[10:]))
    assert "opcua.servicenodeid.numeric" not in first
    assert last["opcua.servicenodeid.numeric"] == 631
    assert last["opcua.service"] == "ReadRequest" and last["opcua.node"] == ["ns=2;s=Tank.Level"]


def test_encrypted_chunks_show_what_wireshark_reads_from_ciphertext() -> None:
    session = OpcUaSession()
    render(session, opn(b"\xd5" * 40, channel=0, policy=BASIC256))
    render(session, opn(b"\xfc" * 40, channel=4, policy=BASIC256), False)
    opaque = render(session, secure("MSG", b"\xcf" * 48, channel=4))
    assert opaque["opcua.encrypted"] is True and "opcua.servicenodeid.numeric" not in opaque
    lucky = render(session, secure("MSG", b"\x00\x2a" + b"\xcf" * 46, channel=4))
    assert lucky["opcua.servicenodeid.numeric"] == 42 and "opcua.service" not in lucky


def test_an_invalid_message_is_opcua_without_fields() -> None:
    proto, fields, anomalies = opcua_record(parsed(b"XYZF\x08\x00\x00\x00"), 1, None)
    assert (proto, fields, anomalies) == ("opcua", {}, ["opcua.message_type_unknown"])

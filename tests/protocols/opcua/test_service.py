"""Service bodies decoded from asyncua's encoding of them (an independent encoder)."""

from __future__ import annotations

from asyncua import ua

from interlock.protocols.opcua.messages import (
    CallItem,
    Endpoint,
    IdentityToken,
    ReadItem,
    ValueItem,
    WriteItem,
)
from interlock.protocols.opcua.service import decode_service
from protocols.opcua.helpers import body, open_request, read_request


def test_read_request() -> None:
    message = decode_service(read_request(handle=42))
    assert (message.name, message.service, message.request_handle) == ("ReadRequest", "Read", 42)
    assert message.items == (ReadItem("ns=2;s=Tank.Level", 13),)
    assert message.service_result == -1 and message.anomalies == ()


def test_node_id_forms() -> None:
    for node, text in (
        (ua.TwoByteNodeId(85), "i=85"),
        (ua.FourByteNodeId(2258, 1), "ns=1;i=2258"),
        (ua.NumericNodeId(70000, 3), "ns=3;i=70000"),
        (ua.NodeId(b"\x01\x02", 4, ua.NodeIdType.ByteString), "ns=4;b=0102"),
        (ua.NodeId(ua.Guid("72962b91-fa75-4ae6-8d28-b404dc7daf63"), 5), None),
    ):
        item = decode_service(read_request(node)).items[0]
        assert isinstance(item, ReadItem)
        assert item.node == (text or "ns=5;g=72962b91-fa75-4ae6-8d28-b404dc7daf63")


def test_read_response_values() -> None:
    response = ua.ReadResponse()
    response.Results = [ua.DataValue(ua.Variant(21.5, ua.VariantType.Double))]
    message = decode_service(body(response))
    assert message.is_response and message.service_result == 0
    assert message.items[0] == ValueItem(message.items[0].value, 0)  # type: ignore[union-attr]
    assert message.items[0].value.value == 21.5  # type: ignore[union-attr]


def test_write_request_keeps_the_value() -> None:
    request = ua.WriteRequest()
    value = ua.WriteValue()
    value.NodeId = ua.NodeId("Valve1.Open", 2)
    value.AttributeId = 13
    value.Value = ua.DataValue(ua.Variant([1, 2, 3], ua.VariantType.Int16))
    request.Parameters.NodesToWrite = [value]
    (item,) = decode_service(body(request)).items
    assert isinstance(item, WriteItem)
    assert (item.node, item.attribute, item.value.type_name, item.value.value) == (
        "ns=2;s=Valve1.Open",
        13,
        "Int16",
        [1, 2, 3],
    )


def test_call_request() -> None:
    request = ua.CallRequest()
    call = ua.CallMethodRequest()
    call.ObjectId = ua.NodeId(1, 2)
    call.MethodId = ua.NodeId(3, 2)
    call.InputArguments = [ua.Variant("start"), ua.Variant(True)]
    request.Parameters.MethodsToCall = [call]
    (item,) = decode_service(body(request)).items
    assert isinstance(item, CallItem)
    assert (item.object_id, item.method_id, item.argument_count) == ("ns=2;i=1", "ns=2;i=3", 2)
    assert [a.value for a in item.arguments] == ["start", True]


def test_username_token_flags_a_cleartext_password_without_keeping_it() -> None:
    request = ua.ActivateSessionRequest()
    token = ua.UserNameIdentityToken()
    token.PolicyId, token.UserName, token.Password = "username", "operator", b"hunter2"
    request.Parameters.UserIdentityToken = token
    encoded = body(request)
    message = decode_service(encoded)
    assert message.items == (IdentityToken("username", "username", "operator", True, True, ""),)
    assert "hunter2" not in repr(message)
    token.EncryptionAlgorithm = "http://www.w3.org/2001/04/xmlenc#rsa-oaep"
    message = decode_service(body(request))
    assert message.items[0].password_cleartext is False  # type: ignore[union-attr]


def test_anonymous_and_x509_tokens() -> None:
    request = ua.ActivateSessionRequest()
    request.Parameters.UserIdentityToken = ua.AnonymousIdentityToken(PolicyId="anon")
    assert decode_service(body(request)).items[0].kind == "anonymous"  # type: ignore[union-attr]
    request.Parameters.UserIdentityToken = ua.X509IdentityToken(CertificateData=b"\x30\x00")
    token = decode_service(body(request)).items[0]
    assert token.kind == "x509" and len(token.certificate_sha1) == 40  # type: ignore[union-attr]


def test_get_endpoints_response_is_identity_evidence() -> None:
    response = ua.GetEndpointsResponse()
    endpoint = ua.EndpointDescription()
    endpoint.EndpointUrl = "opc.tcp://plc1:4840"
    endpoint.SecurityMode = ua.MessageSecurityMode.SignAndEncrypt
    endpoint.SecurityPolicyUri = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"
    endpoint.Server.ApplicationUri = "urn:vendor:plc1"
    endpoint.Server.ApplicationName = ua.LocalizedText("PLC 1")
    endpoint.ServerCertificate = b"\x30\x82"
    token = ua.UserTokenPolicy()
    token.TokenType = ua.UserTokenType.UserName
    endpoint.UserIdentityTokens = [token]
    response.Endpoints = [endpoint]
    (item,) = decode_service(body(response)).items
    assert isinstance(item, Endpoint)
    assert (item.url, item.security_mode, item.server.uri, item.server.name) == (
        "opc.tcp://plc1:4840",
        3,
        "urn:vendor:plc1",
        "PLC 1",
    )
    assert item.token_types == (1,) and len(item.certificate_sha1) == 40


def test_open_secure_channel_request() -> None:
    message = decode_service(open_request(mode=3))
    assert message.get("requested_security_mode") == 3
    assert message.get("request_type") == 0


def test_anomalies() -> None:
    assert decode_service(b"\x01\x00\x10\x27").anomalies == ("opcua.service_unknown",)
    assert decode_service(read_request()[:-10]).anomalies == ("opcua.truncated",)
    assert decode_service(b"").anomalies == ("opcua.truncated",)
    bad = bytearray(read_request())
    bad[4] = 0x3F  # the authentication token's NodeId encoding
    assert decode_service(bytes(bad)).anomalies == ("opcua.encoding_invalid",)

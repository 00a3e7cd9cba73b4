"""Session and discovery service bodies (OPC 10000-4, 5.4 and 5.6): application and
endpoint descriptions (what a client or server says it is: identity evidence), session
creation and activation with the user identity token (never its password).
"""

from __future__ import annotations

from typing import Final

from interlock.protocols.opcua.binary import Reader
from interlock.protocols.opcua.certificate import thumbprint
from interlock.protocols.opcua.messages import Application, Endpoint, IdentityToken, Info
from interlock.protocols.opcua.variant import diagnostic_info, extension_object, localized_text

Body = tuple[tuple[object, ...], Info]

ANONYMOUS_TOKEN: Final = 321
USERNAME_TOKEN: Final = 324
X509_TOKEN: Final = 327
ISSUED_TOKEN: Final = 940
_TOKEN_KINDS: Final = {
    ANONYMOUS_TOKEN: "anonymous",
    USERNAME_TOKEN: "username",
    X509_TOKEN: "x509",
    ISSUED_TOKEN: "issued",
}


def _strings(r: Reader) -> tuple[str, ...]:
    return tuple(r.string() or "" for _ in range(r.count()))


def _statuses(r: Reader) -> list[int]:
    """A status code list and the diagnostics after it (the diagnostics skipped)."""
    statuses = [r.u32() for _ in range(r.count())]
    for _ in range(r.count()):
        diagnostic_info(r)
    return statuses


def application(r: Reader) -> Application:
    uri = r.string()
    product = r.string()
    name = localized_text(r)
    kind = r.i32()
    r.string()  # gateway server URI
    r.string()  # discovery profile URI
    return Application(uri, product, name, kind, _strings(r))


def endpoint(r: Reader) -> Endpoint:
    url = r.string()
    server = application(r)
    certificate = r.bytestring()
    mode = r.i32()
    policy = r.string()
    token_types = []
    for _ in range(r.count()):  # UserTokenPolicy
        r.string()
        token_types.append(r.i32())
        r.string()
        r.string()
        r.string()
    r.string()  # transport profile URI
    level = r.u8()
    sha1 = thumbprint(certificate) if certificate else ""
    return Endpoint(url, mode, policy, server, tuple(token_types), level, sha1)


def create_session_request(r: Reader) -> Body:
    client = application(r)
    server_uri = r.string()
    url = r.string()
    name = r.string()
    r.bytestring()  # client nonce
    certificate = r.bytestring()
    timeout = r.f64()
    r.u32()  # max response message size
    info: Info = (
        ("server_uri", server_uri),
        ("endpoint_url", url),
        ("session_name", name),
        ("session_timeout", timeout),
    )
    if certificate:
        info += (("client_certificate_sha1", thumbprint(certificate)),)
    return (client,), info


def create_session_response(r: Reader) -> Body:
    session_id = r.node_id().text()
    r.node_id()  # authentication token: a secret, not kept
    timeout = r.f64()
    r.bytestring()  # server nonce
    certificate = r.bytestring()
    endpoints = tuple(endpoint(r) for _ in range(r.count()))
    info: Info = (("session_id", session_id), ("session_timeout", timeout))
    if certificate:
        info += (("server_certificate_sha1", thumbprint(certificate)),)
    return endpoints, info


def activate_session_request(r: Reader) -> Body:
    r.string()  # client signature: algorithm
    r.bytestring()  # and signature
    for _ in range(r.count()):  # software certificates
        r.bytestring()
        r.bytestring()
    locales = _strings(r)
    token = identity_token(r)
    return (token,), (("locale_ids", list(locales)),)


def activate_session_response(r: Reader) -> Body:
    r.bytestring()  # server nonce
    return (), (("results", _statuses(r)),)


def identity_token(r: Reader) -> IdentityToken:
    """The UserIdentityToken extension object; the password is skipped, never kept."""
    extension = extension_object(r)
    kind = _TOKEN_KINDS.get(extension.type_id.numeric, "unknown")
    if kind == "unknown" or extension.type_id.namespace:
        return IdentityToken("unknown", None, None, False, False, "")
    body = Reader(extension.body)
    policy = body.string()
    if kind == "username":
        user = body.string()
        password = body.bytestring()
        algorithm = body.string()
        present = bool(password)
        return IdentityToken(kind, policy, user, present, present and not algorithm, "")
    if kind == "x509":
        certificate = body.bytestring()
        return IdentityToken(kind, policy, None, False, False, thumbprint(certificate or b""))
    return IdentityToken(kind, policy, None, False, False, "")


def get_endpoints_request(r: Reader) -> Body:
    url = r.string()
    locales = _strings(r)
    profiles = _strings(r)
    return (), (("endpoint_url", url), ("locale_ids", list(locales)), ("uris", list(profiles)))


def get_endpoints_response(r: Reader) -> Body:
    return tuple(endpoint(r) for _ in range(r.count())), ()


def find_servers_response(r: Reader) -> Body:
    return tuple(application(r) for _ in range(r.count())), ()
